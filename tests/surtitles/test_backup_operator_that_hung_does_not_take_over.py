"""A backup operator whose own process was stopped for a while (its machine suspended or
swapping, the process paused) does not take over from a primary that never stopped when it runs
again: the primary's states were waiting in its socket all along. Found by the show rehearsal's
probes: SIGSTOP, then SIGCONT 4 s later, of the backup printed "ROLE leading" and published
under a newer epoch (every display redrew), then "ROLE standby" a moment later."""
import random
import signal

import pytest
from surtitles_helpers import Proc, display_args, free_udp_port, wait_until

KEY = "hung-backup-%d" % random.randrange(1 << 30)


def roles(op):
    return [ln.split()[1] for ln in op.lines if ln.startswith("ROLE ")]


@pytest.mark.slow
def test_a_backup_that_hung_stands_by_when_it_runs_again(tmp_path):
    net = ["--multicast", "239.255.47.%d:%d" % (random.randrange(1, 250), free_udp_port())]
    primary = Proc(["examples.surtitles.operator", "--key", KEY, "--state-file", str(tmp_path / "p.pos")] + net,
                   stdin=True)
    backup = Proc(["examples.surtitles.operator", "--key", KEY, "--backup", "--state-file",
                   str(tmp_path / "b.pos")] + net, stdin=True)
    display = Proc(display_args(KEY, net, "en"))
    everyone = [primary, backup, display]
    try:
        assert wait_until(everyone, lambda: "leading" in roles(primary) and roles(backup) == ["standby"], 30)
        primary.send("cue 1")
        assert wait_until(everyone, lambda: any(ln.startswith("LIVE cue=1") for ln in backup.lines), 10)
        backup.p.send_signal(signal.SIGSTOP)
        primary.send("cue 4")                      # the show goes on while the backup hangs
        assert wait_until([primary, display], lambda: (display.last_show() or {}).get("cue") == "4", 10)
        wait_until([primary, display], lambda: False, 3.0)     # hung for well over its 1.5 s hold
        shown = len(display.shows())
        backup.p.send_signal(signal.SIGCONT)
        assert wait_until(everyone, lambda: any(ln.startswith("LIVE cue=4") for ln in backup.lines), 10)
        wait_until(everyone, lambda: False, 2.0)
        assert roles(backup) == ["standby"], [ln for ln in backup.lines if ln.startswith("ROLE")]
        assert display.shows()[shown:] == []       # nothing for the displays to redraw
    finally:
        for p in everyone:
            p.stop()
