"""Over TCP (where multicast is blocked) displays get the current state as soon as they connect,
and when the operator's machine restarts they reconnect by themselves and follow the new run."""
import random
import time

from surtitles_helpers import Proc, display_args, free_tcp_port, wait_until

KEY = "tcp-key-%d" % random.randrange(1 << 30)


def test_tcp_displays_reconnect_and_follow_a_restarted_operator():
    port = free_tcp_port()
    net = ["--tcp", "127.0.0.1:%d" % port]
    op = Proc(["examples.surtitles.operator", "--key", KEY] + net, stdin=True)
    displays = [Proc(display_args(KEY, net)) for _ in range(3)]
    op2 = None
    try:
        assert wait_until(displays, lambda: all((d.last_show() or {}).get("version") == 0 for d in displays), 30)
        op.send("cue 4")
        assert wait_until(displays, lambda: all(d.last_show()["cue"] == "4" for d in displays), 5)
        op.stop()                                    # the operator's machine goes away...
        time.sleep(0.3)
        op2 = Proc(["examples.surtitles.operator", "--key", KEY] + net, stdin=True)
        op2.send("cue 7")                            # ...comes back (a new run) and moves on
        assert wait_until(displays, lambda: all(d.last_show()["cue"] == "7" for d in displays), 15), \
            [d.last_show() for d in displays]
        assert {d.last_show()["text"] for d in displays} == {"No one came ashore."}
    finally:
        for p in displays + [op, op2]:
            if p is not None:
                p.stop()
