"""Operator in one network namespace, displays in another, joined by a veth pair: the displays
follow over multicast, and over TCP (for networks that block multicast). Namespaces are removed
in finally."""
import random

import pytest
from common_helpers import two_namespaces
from surtitles_helpers import Proc, display_args, wait_until

KEY = "netns-key-%d" % random.randrange(1 << 30)


@pytest.fixture
def two_hosts():
    with two_namespaces("surt", "10.78.0") as (a, b):
        yield ("ip", "netns", "exec", a), ("ip", "netns", "exec", b)


STEPS = [("next", "1"), ("next", "2"), ("cue 6", "6"), ("prev", "5")]


@pytest.mark.netns
@pytest.mark.parametrize("transport", ["multicast", "tcp"])
def test_displays_in_another_namespace_follow_the_operator(two_hosts, transport):
    in_a, in_b = two_hosts
    if transport == "multicast":
        op_net = ["--multicast", "239.255.77.7:5405", "--interface", "10.78.0.1"]
        disp_net = ["--multicast", "239.255.77.7:5405", "--interface", "10.78.0.2"]
    else:
        op_net = ["--tcp", "10.78.0.1:5406"]
        disp_net = ["--tcp", "10.78.0.1:5406"]
    operator = Proc(["examples.surtitles.operator", "--key", KEY] + op_net, prefix=in_a, stdin=True)
    displays = [Proc(display_args(KEY, disp_net, language=lang), prefix=in_b) for lang in ("en", "fr", "de")]
    late = None
    try:
        assert wait_until(displays, lambda: all((d.last_show() or {}).get("version") == 0 for d in displays),
                          30), [d.lines for d in displays] + [operator.stderr_text()]
        for version, (line, cue) in enumerate(STEPS, 1):
            operator.send(line)
            assert wait_until(displays, lambda v=version: all(d.last_show()["version"] == v for d in displays), 5)
            assert {d.last_show()["cue"] for d in displays} == {cue}
        texts = [d.last_show()["text"] for d in displays]
        assert texts == ["Listen! A bell across the water.", "\u00c9coutez ! Une cloche sur l'eau.",
                         "H\u00f6rt! Eine Glocke \u00fcber dem Wasser."]
        late = Proc(display_args(KEY, disp_net), prefix=in_b)
        assert wait_until([late], lambda: (late.last_show() or {}).get("version") == len(STEPS), 30)
        first = next(t for t, f in late.shows() if f["version"] == len(STEPS))
        assert first - late.ready_at() <= 1.0
    finally:
        for p in displays + [operator, late]:
            if p is not None:
                p.stop()
