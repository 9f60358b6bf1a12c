"""kill -9 the operator mid-show and start it again: every display keeps its text (with a
discreet signal-lost mark meanwhile), then follows the show from the resumed cue; the show
log holds a line for every action, written before the kill."""
import os
import random
import time

from surtitles_helpers import Proc, display_args, free_udp_port, saved_cue, wait_until

from kamaelia_lite.surtitles.showlog import parse_log_line

KEY = "resume-key-%d" % random.randrange(1 << 30)


def test_a_killed_operator_restarts_on_its_cue_and_no_display_blanks(tmp_path):
    port = free_udp_port()
    net = ["--multicast", "239.255.42.%d:%d" % (random.randrange(100, 200), port)]
    state, log = str(tmp_path / "show.position"), str(tmp_path / "show.log")
    op_args = ["examples.surtitles.operator", "--key", KEY, "--state-file", state, "--show-log", log] + net
    op = Proc(op_args, stdin=True)
    displays = [Proc(display_args(KEY, net, lang) + ["--lost-after", "2"]) for lang in ("en", "fr", "de")]
    op2 = None
    try:
        assert wait_until(displays + [op], lambda: any(ln.startswith("ROLE leading") for ln in op.lines), 30)
        for line in ("cue 3", "blackout on", "blackout off", "next"):
            op.send(line)
        assert wait_until(displays + [op], lambda: all(
            (d.last_show() or {}).get("cue") == "4" and not d.last_show()["blackout"] for d in displays), 10)
        assert wait_until([op], lambda: saved_cue(state) == "4", 5)
        texts = [d.last_show()["text"] for d in displays]
        assert all(texts)
        seen = [len(d.shows()) for d in displays]
        op.p.kill()                                               # kill -9, mid-show
        killed = time.monotonic()
        assert wait_until(displays, lambda: all(any(ln.startswith("LOST") for ln in d.lines) for d in displays), 8)
        lost_at = [float([ln for ln in d.lines if ln.startswith("LOST")][0].split()[1]) for d in displays]
        assert all(1.5 <= t - killed <= 6 for t in lost_at), [t - killed for t in lost_at]
        op2 = Proc(op_args, stdin=True)                           # the operator comes back
        assert wait_until(displays + [op2], lambda: all(
            any(ln.startswith("FOUND") for ln in d.lines) for d in displays), 15)
        assert any(ln.startswith("RESUME cue=4") for ln in op2.lines), op2.lines[:3]
        op2.send("next")
        assert wait_until(displays + [op2], lambda: all(d.last_show()["cue"] == "5" for d in displays), 10)
        for d, text, n in zip(displays, texts, seen):
            after = [f for _, f in d.shows()[n:]]
            # nothing but cue 4's text (again) until the operator moved on to cue 5
            before_next = after[:[f["cue"] for f in after].index("5")]
            assert before_next and all(f["text"] == text and f["cue"] == "4" for f in before_next), after
        op2.send("quit")
        op2.p.wait(10)
    finally:
        for p in displays + [op, op2]:
            if p is not None:
                p.stop()
    lines = [parse_log_line(ln) for ln in open(log, encoding="utf-8")]
    kinds = [(k, t) for _, k, t in lines]
    actions = [t for k, t in kinds if k == "ACTION"]
    assert actions == ["cue 3", "blackout on", "blackout off", "next", "next", "quit"]
    assert ("BLACKOUT", "on") in kinds and ("BLACKOUT", "off") in kinds
    assert [t.split()[0] for k, t in kinds if k == "CUE"] == ["standby", "3", "4", "4", "5"]  # restart: on 4
    assert [k for k, _ in kinds].count("START") == 2 and kinds[-1][0] == "END"
    assert all(os.path.basename(state) not in t for _, t in kinds)
