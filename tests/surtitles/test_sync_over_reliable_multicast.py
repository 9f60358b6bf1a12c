"""The same sync over the reliable-multicast layer (sequence numbers, FEC, in-order delivery):
displays follow every action, and a display that joins late still catches up within 1 s."""
import random

from surtitles_helpers import Proc, display_args, free_udp_port, wait_until

KEY = "srm-key-%d" % random.randrange(1 << 30)


def test_displays_follow_over_reliable_multicast():
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    net = ["--multicast", "%s:%d" % (group, free_udp_port()), "--interface", "127.0.0.1", "--reliable"]
    displays = [Proc(display_args(KEY, net)) for _ in range(3)]
    operator = late = None
    try:
        assert wait_until(displays, lambda: all(d.ready_at() for d in displays), 30)
        operator = Proc(["examples.surtitles.operator", "--key", KEY] + net, stdin=True)
        assert wait_until(displays, lambda: all((d.last_show() or {}).get("version") == 0 for d in displays), 10), \
            [d.lines for d in displays] + [operator.stderr_text()]
        for version, line in enumerate(["next", "next", "blackout", "scene act 1"], 1):
            operator.send(line)
            assert wait_until(displays, lambda v=version: all(d.last_show()["version"] == v for d in displays), 5)
        assert {d.last_show()["cue"] for d in displays} == {"4"}
        late = Proc(display_args(KEY, net))
        assert wait_until([late], lambda: (late.last_show() or {}).get("version") == 4, 30), late.lines
        first = next(t for t, f in late.shows() if f["version"] == 4)
        assert first - late.ready_at() <= 1.0
    finally:
        for p in displays + [operator, late]:
            if p is not None:
                p.stop()
