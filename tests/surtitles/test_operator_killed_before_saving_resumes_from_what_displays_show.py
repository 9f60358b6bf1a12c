"""kill -9 the operator right after a cue, before its position writer saved it (the record on
disk still says an older place): the restarted operator learns from the displays' heartbeats
what the audience sees, resumes there, and no display ever goes back a cue or blanks. The
operator says which it resumed from and why (stdout and show log)."""
import json
import os
import random
import time

from surtitles_helpers import Proc, display_args, free_udp_port, saved_cue, wait_until

from kamaelia_lite.surtitles.resume import encode_position
from kamaelia_lite.surtitles.resume_components import write_atomic
from kamaelia_lite.surtitles.showlog import parse_log_line

KEY = "resume-ahead-key-%d" % random.randrange(1 << 30)


def test_an_operator_killed_before_saving_resumes_on_the_cue_the_displays_show(tmp_path):
    port = free_udp_port()
    net = ["--multicast", "239.255.42.%d:%d" % (random.randrange(100, 200), port)]
    state, log = str(tmp_path / "show.position"), str(tmp_path / "show.log")
    op_args = ["examples.surtitles.operator", "--key", KEY, "--state-file", state, "--show-log", log] + net
    op = Proc(op_args, stdin=True)
    displays = [Proc(display_args(KEY, net, lang) + ["--lost-after", "2"]) for lang in ("en", "fr", "de")]
    op2 = None
    try:
        assert wait_until(displays + [op], lambda: any(ln.startswith("ROLE leading") for ln in op.lines), 30)
        op.send("cue 3")
        assert wait_until([op], lambda: saved_cue(state) == "3", 10)
        with open(state, "rb") as f:
            at_cue_3 = json.loads(f.read())
        op.send("next")
        assert wait_until(displays + [op], lambda: all(
            (d.last_show() or {}).get("cue") == "4" for d in displays), 10)
        # let the displays tell the leader that they show cue 4 (heartbeats)
        wait_until(displays + [op], lambda: False, 1.5)
        texts = [d.last_show()["text"] for d in displays]
        seen = [len(d.shows()) for d in displays]
        op.p.kill()                                               # kill -9, mid-show
        # the writer "had not caught up": the file still holds cue 3
        write_atomic(state, encode_position(at_cue_3))
        time.sleep(0.3)
        op2 = Proc(op_args, stdin=True)                           # the operator comes back
        assert wait_until(displays + [op2], lambda: any(ln.startswith("ROLE leading") for ln in op2.lines), 20)
        wait_until(displays + [op2], lambda: False, 2.0)            # what it publishes on its own
        for d, n in zip(displays, seen):
            assert set(f["cue"] for _, f in d.shows()[n:]) <= {"4"}, d.shows()[n:]   # never back a cue
        op2.send("next")
        assert wait_until(displays + [op2], lambda: all(d.last_show()["cue"] == "5" for d in displays), 10)
        for d, text, n in zip(displays, texts, seen):
            after = [f for _, f in d.shows()[n:]]
            # nothing but cue 4's text (again) until the operator moved on to cue 5: never back, never blank
            before_next = after[:[f["cue"] for f in after].index("5")]
            assert all(f["text"] == text and f["cue"] == "4" for f in before_next), after
        said = [ln for ln in op2.lines if ln.startswith("RESUMED")]
        assert said and "displays" in said[0] and "cue=4" in said[0], said
        op2.send("quit")
        op2.p.wait(10)
    finally:
        for p in displays + [op, op2]:
            if p is not None:
                p.stop()
    kinds = [(k, t) for _, k, t in (parse_log_line(ln) for ln in open(log, encoding="utf-8"))]
    assert [t.split()[0] for k, t in kinds if k == "CUE"][-2:] == ["4", "5"], kinds
    assert any("displays" in t and "cue=4" in t for k, t in kinds if k == "RESUMED"), kinds
    assert os.path.exists(state)
