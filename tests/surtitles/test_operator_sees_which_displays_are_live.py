"""Displays send signed heartbeats back (multicast: to the group's next port; TCP: on the
connection); the operator prints how many are live per language and names those that went
silent; a heartbeat without the key counts for nothing. When the operator dies, every display
says it lost the leader."""
import random

import pytest
from surtitles_helpers import Proc, display_args, free_tcp_port, free_udp_port, wait_until

KEY = "health-key-%d" % random.randrange(1 << 30)


def last_displays(op):
    lines = [ln for ln in op.lines if ln.startswith("DISPLAYS ")]
    return lines[-1] if lines else ""


@pytest.mark.parametrize("transport", ["multicast", "tcp"])
def test_the_operator_counts_live_displays_per_language_and_names_the_silent_one(transport):
    if transport == "tcp":
        net = ["--tcp", "127.0.0.1:%d" % free_tcp_port()]
    else:
        net = ["--multicast", "239.255.44.%d:%d" % (random.randrange(1, 250), free_udp_port())]
    op = Proc(["examples.surtitles.operator", "--key", KEY, "--fresh"] + net, stdin=True)
    displays = [Proc(display_args(KEY, net, lang) + ["--name", name, "--lost-after", "2"])
                for name, lang in (("stalls-en", "en"), ("circle-en", "en"), ("box-fr", "fr"))]
    intruder = Proc(display_args("not-the-key", net, "de") + ["--name", "intruder"])
    procs = displays + [op, intruder]
    try:
        assert wait_until(procs, lambda: last_displays(op) == "DISPLAYS 3 live (en 2, fr 1)", 30), \
            [ln for ln in op.lines if ln.startswith("DISPLAYS")]
        displays[1].p.kill()                                  # one display dies
        assert wait_until(procs, lambda: last_displays(op) == "DISPLAYS 2 live (en 1, fr 1); silent: circle-en",
                          10), [ln for ln in op.lines if ln.startswith("DISPLAYS")]
        assert not any("intruder" in ln or "de " in ln for ln in op.lines if ln.startswith("DISPLAYS"))
        op.p.kill()
        alive = [displays[0], displays[2]]
        assert wait_until(alive, lambda: all(any(ln.startswith("LOST") for ln in d.lines) for d in alive), 8)
    finally:
        for p in procs:
            p.stop()
