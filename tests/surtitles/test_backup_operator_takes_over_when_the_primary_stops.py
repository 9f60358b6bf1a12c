"""A backup operator with the same key stands by, following the live cue; when the primary is
killed it leads within 2 s (its next cue reaches every display); when the primary comes back
it continues from the backup's cue and the backup stands by again. Started together, only the
primary ever leads."""
import random
import time

from surtitles_helpers import Proc, display_args, free_udp_port, wait_until

KEY = "backup-key-%d" % random.randrange(1 << 30)


def net_args():
    return ["--multicast", "239.255.43.%d:%d" % (random.randrange(1, 250), free_udp_port())]


def roles(op):
    return [ln.split()[1] for ln in op.lines if ln.startswith("ROLE ")]


def test_the_backup_leads_within_two_seconds_and_gives_way_to_the_returning_primary(tmp_path):
    net = net_args()
    primary_args = ["examples.surtitles.operator", "--key", KEY, "--state-file", str(tmp_path / "p.pos")] + net
    primary = Proc(primary_args, stdin=True)
    backup = Proc(["examples.surtitles.operator", "--key", KEY, "--backup", "--state-file",
                   str(tmp_path / "b.pos")] + net, stdin=True)
    displays = [Proc(display_args(KEY, net, lang)) for lang in ("en", "fr")]
    primary2 = None
    everyone = displays + [primary, backup]
    try:
        assert wait_until(everyone, lambda: "leading" in roles(primary), 30)
        primary.send("cue 3")
        assert wait_until(everyone, lambda: all((d.last_show() or {}).get("cue") == "3" for d in displays), 10)
        # the backup follows the live cue while it stands by
        assert wait_until(everyone, lambda: any(ln.startswith("LIVE cue=3") for ln in backup.lines), 5)
        assert roles(backup) == ["standby"]
        primary.p.kill()
        killed = time.monotonic()
        backup.send("next")                     # the backup operator carries on at once
        everyone = displays + [backup]
        assert wait_until(everyone, lambda: all(d.last_show()["cue"] == "4" for d in displays), 10)
        took = max(t for d in displays for t, f in d.shows() if f["cue"] == "4") - killed
        first = min(t for d in displays for t, f in d.shows() if f["cue"] == "4") - killed
        print("backup took over: cue 4 on the first display %.2f s, on all %.2f s after the kill" % (first, took))
        assert took <= 2.0, took
        assert roles(backup) == ["standby", "leading"]
        n = [len(d.shows()) for d in displays]
        primary2 = Proc(primary_args, stdin=True)          # saved position: cue 3
        everyone = displays + [backup, primary2]
        assert wait_until(everyone, lambda: "leading" in roles(primary2) and roles(backup)[-1] == "standby", 15), \
            (roles(primary2), roles(backup))
        assert roles(backup) == ["standby", "leading", "standby"]
        primary2.send("next")
        assert wait_until(everyone, lambda: all(d.last_show()["cue"] == "5" for d in displays), 10)
        for d, k in zip(displays, n):                       # never back to the primary's old cue
            assert [f["cue"] for _, f in d.shows()[k:]] in (["5"], ["4", "5"], ["4", "4", "5"]), d.shows()[k:]
    finally:
        for p in displays + [primary, backup, primary2]:
            if p is not None:
                p.stop()


def test_started_at_the_same_moment_only_the_primary_ever_leads(tmp_path):
    net = net_args()
    backup = Proc(["examples.surtitles.operator", "--key", KEY, "--backup", "--fresh",
                   "--state-file", str(tmp_path / "b.pos")] + net, stdin=True)
    primary = Proc(["examples.surtitles.operator", "--key", KEY, "--fresh",
                    "--state-file", str(tmp_path / "p.pos")] + net, stdin=True)
    display = Proc(display_args(KEY, net))
    try:
        assert wait_until([primary, backup, display], lambda: "leading" in roles(primary), 30)
        primary.send("cue 2")
        assert wait_until([primary, backup, display], lambda: (display.last_show() or {}).get("cue") == "2", 10)
        wait_until([primary, backup, display], lambda: False, 2.0)
        assert roles(backup) == ["standby"] and roles(primary) == ["standby", "leading"]
    finally:
        for p in (display, primary, backup):
            p.stop()
