"""kill -9 the operator mid-show and start it again: it comes back in the timing mode the
operator left it in. A timed show comes back timed (even without --timed on the new command
line) and its clock carries on over the time the operator was away, so the next cue comes at
its own time; a show the operator had paused comes back paused (even with --timed), and GO
still steps."""
import os
import signal
import time

from surtitles_helpers import Proc, wait_until

SRT = (b"1\n00:00:00,500 --> 00:00:01,500\none\n\n"
       b"2\n00:00:02,000 --> 00:00:03,000\ntwo\n\n"
       b"3\n00:00:09,000 --> 00:00:10,000\nthree\n\n"
       b"4\n00:01:00,000 --> 00:01:01,000\nfour\n")


def live_cues(proc):
    return [ln.split()[1][4:] for ln in proc.lines if ln.startswith("LIVE cue=")]


def operator(srt, state, *extra):
    return Proc(["examples.surtitles.operator", "--key", "mode-key", "--tcp", "127.0.0.1:0",
                 "--srt", "en=" + srt, "--state-file", state] + list(extra), stdin=True)


def saved_mode(state):
    import json
    try:
        with open(state) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def seen_at(proc, cue, timeout):
    """Monotonic time at which ``proc`` first said its audience sees ``cue`` (None if never)."""
    if wait_until([proc], lambda: cue in live_cues(proc), timeout):
        return time.monotonic()
    return None


def test_a_killed_timed_show_restarts_timed_with_its_clock_carried_on(tmp_path):
    srt, state = str(tmp_path / "show.en.srt"), str(tmp_path / "show.position")
    with open(srt, "wb") as f:
        f.write(SRT)
    op = operator(srt, state, "--timed")
    op2 = None
    try:
        t1 = seen_at(op, "1", 20)
        assert t1 is not None, op.stderr_text()
        clock0 = t1 - 0.5                       # when the show clock was at 0 (to ~0.1 s)
        assert seen_at(op, "2", 5) is not None
        assert wait_until([op], lambda: saved_mode(state).get("cue") == "2", 5)
        assert saved_mode(state)["mode"] == "timed"
        time.sleep(1.5)
        os.kill(op.p.pid, signal.SIGKILL)         # kill -9 mid-show, between cues 2 and 3
        op.p.wait(5)
        op2 = operator(srt, state)                # the same show, restarted without --timed
        assert wait_until([op2], lambda: any(ln.startswith("RESUME ") for ln in op2.lines), 20)
        resume = [ln for ln in op2.lines if ln.startswith("RESUME ")][0]
        assert resume.startswith("RESUME cue=2 ") and " TIMED " in resume, resume
        assert wait_until([op2], lambda: live_cues(op2), 10)
        assert live_cues(op2)[:1] == ["2"], op2.lines[:12]       # back on its cue, not standby
        t3 = seen_at(op2, "3", 10)                # the clock runs by itself: cue 3 comes ...
        assert t3 is not None, op2.lines
        # ... at its own time (9 s on the show clock), not 7 s after the restart's cue 2
        # (which would be 10.8 s or later); late by at most 1 s under a loaded machine
        assert -0.3 < (t3 - clock0) - 9.0 < 1.0, t3 - clock0
        op2.send("quit")
        op2.p.wait(10)
    finally:
        for p in (op, op2):
            if p is not None:
                p.stop()


def test_a_killed_paused_show_restarts_paused_and_go_still_steps(tmp_path):
    srt, state = str(tmp_path / "show.en.srt"), str(tmp_path / "show.position")
    with open(srt, "wb") as f:
        f.write(SRT)
    op = operator(srt, state, "--timed")
    op2 = None
    try:
        assert seen_at(op, "1", 20) is not None, op.stderr_text()
        op.send("pause")                          # the operator takes over by hand
        assert wait_until([op], lambda: saved_mode(state).get("mode") == "manual", 5), saved_mode(state)
        os.kill(op.p.pid, signal.SIGKILL)
        op.p.wait(5)
        op2 = operator(srt, state, "--timed")     # the same command line as the first run
        assert wait_until([op2], lambda: any(ln.startswith("RESUME ") for ln in op2.lines), 20)
        resume = [ln for ln in op2.lines if ln.startswith("RESUME ")][0]
        assert resume.startswith("RESUME cue=1 ") and " MANUAL " in resume, resume
        time.sleep(2.5)                           # cue 2 was due at 2 s: a running clock shows it
        wait_until([op2], lambda: False, 0.3)
        assert set(live_cues(op2)) == {"1"}, live_cues(op2)
        assert not [ln for ln in op2.lines if ln.startswith("LIVE ") and "TIMED" in ln]
        op2.send("go")                            # GO steps by hand
        assert seen_at(op2, "2", 5) is not None
        op2.send("quit")
        op2.p.wait(10)
    finally:
        for p in (op, op2):
            if p is not None:
                p.stop()


def test_a_position_that_cannot_be_saved_is_shown_on_the_console_and_the_show_goes_on(tmp_path):
    srt = str(tmp_path / "show.en.srt")
    with open(srt, "wb") as f:
        f.write(SRT)
    op = operator(srt, str(tmp_path / "no-such-folder" / "show.position"))
    try:
        op.send("next")
        assert wait_until([op], lambda: any(ln.startswith("ERROR show position not saved") for ln in op.lines), 20), \
            "\n".join(op.lines)
        op.send("next")
        assert seen_at(op, "2", 10) is not None
        op.send("quit")
        assert op.p.wait(10) == 0
    finally:
        op.stop()


def test_a_show_log_that_cannot_be_written_is_shown_on_the_console_and_the_show_goes_on(tmp_path):
    srt = str(tmp_path / "show.en.srt")
    with open(srt, "wb") as f:
        f.write(SRT)
    op = operator(srt, str(tmp_path / "show.position"), "--show-log", "/dev/full")   # a full disk
    try:
        op.send("next")
        assert wait_until([op], lambda: any(ln.startswith("ERROR show log /dev/full: cannot write")
                                            for ln in op.lines), 20), "\n".join(op.lines)
        op.send("next")
        assert seen_at(op, "2", 10) is not None
        op.send("quit")
        assert op.p.wait(10) == 0
    finally:
        op.stop()


def test_the_console_window_says_where_the_show_resumed(tmp_path):
    from examples.surtitles import operator as op_mod
    from kamaelia_lite.surtitles.resume import encode_position
    state = tmp_path / "show.position"
    state.write_bytes(encode_position({"format": 1, "cue": "3", "pos": 2, "live": "3", "blackout": True,
                                       "freeze": False, "mode": "manual", "clock": None}))
    srt = str(tmp_path / "show.en.srt")
    with open(srt, "wb") as f:
        f.write(SRT)
    args = op_mod.parse_args(["--key", "k", "--srt", "en=" + srt, "--tcp", "127.0.0.1:0", "--no-stdin",
                              "--state-file", str(state)])
    _, comps = op_mod.build(args)           # (built, not run)
    assert comps["CONSOLE"].model.message == "resumed at cue 3 BLACKOUT MANUAL"
    assert comps["PLAYER"].deck.shown()["blackout"] and comps["PLAYER"].deck.position == 2
