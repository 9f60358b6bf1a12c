"""One operator (leader) and 20 display processes on loopback multicast: after every operator
action all show the same cue; forged datagrams are ignored and counted; a late display catches up
within the snapshot period (0.5 s, so well within 1 s)."""
import random
import socket
import struct

import pytest
from surtitles_helpers import Proc, display_args, free_udp_port, wait_until

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.cues import CueDeck, load_cue_list
from kamaelia_lite.surtitles.sync import SyncLeader

N = 20
KEY = "test-key-%d" % random.randrange(1 << 30)

# each step: the operator's command line; the expected state comes from a CueDeck replaying it
STEPS = ["next", "next", "blackout", "blackout off", "cue 5", "scene act 2", "prev",
         "freeze on", "next", "next", "freeze off", "rewind"]


def expected_states():
    deck = CueDeck(load_cue_list("examples/surtitles/show.cues"))
    out = []
    for line in STEPS:
        from kamaelia_lite.surtitles.commands import parse_command
        deck.apply(parse_command(line))
        s = deck.shown()
        out.append((s["version"], s["cue"], s["texts"].get("en", "")))
    return out


def all_show(displays, version):
    return all((d.last_show() or {}).get("version") == version for d in displays)


def send_forged(group, port):
    """A datagram signed with the wrong key, and one with no signature at all."""
    intruder = SyncLeader(DatagramAuthenticator(b"not the key"), epoch=1 << 50)
    [forged] = intruder.publish({"cue": "1", "texts": {"en": "HACKED"}, "version": 999,
                                 "blackout": False}, 0.0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, struct.pack("B", 1))
    s.sendto(forged, (group, port))
    s.sendto(b'KLS1{"e": 1125899906842624, "v": 5, "s": {"texts": {"en": "HACKED"}}}' + bytes(28), (group, port))
    s.close()


@pytest.mark.slow
def test_twenty_followers_follow_every_action_and_a_late_one_catches_up():
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    port = free_udp_port()
    transport = ["--multicast", "%s:%d" % (group, port), "--interface", "127.0.0.1"]
    displays = [Proc(display_args(KEY, transport)) for _ in range(N)]
    operator = None
    late = None
    try:
        assert wait_until(displays, lambda: all(d.ready_at() for d in displays), 30), \
            [d.stderr_text() for d in displays]
        operator = Proc(["examples.surtitles.operator", "--key", KEY] + transport, stdin=True)
        # the leader's first snapshot (standby, version 0) reaches every display
        assert wait_until(displays, lambda: all_show(displays, 0), 10), [d.last_show() for d in displays]

        for line, (version, cue, text) in zip(STEPS, expected_states()):
            operator.send(line)
            ok = wait_until(displays, lambda v=version: all_show(displays, v), 5)
            assert ok, (line, version, [d.last_show() for d in displays])
            shown = {(d.last_show()["cue"], d.last_show()["text"]) for d in displays}
            assert shown == {(cue, text)}, (line, shown)

        # nobody without the key can put text on the screens
        send_forged(group, port)
        operator.send("end")
        last_version = expected_states()[-1][0] + 1
        assert wait_until(displays, lambda: all_show(displays, last_version)
                          and all(len(d.rejected()) >= 2 for d in displays), 5)
        for d in displays:
            assert not any("HACKED" in (f.get("text") or "") for _, f in d.shows())
            reasons = [ln.split()[1] for ln in d.rejected()]
            assert reasons.count("forged") == 2, d.rejected()
            assert '"forged": 2' in d.rejected()[-1]

        # a display that starts now shows the current cue within the snapshot period
        late = Proc(display_args(KEY, transport))
        assert wait_until([late], lambda: late.ready_at() and late.last_show()
                          and late.last_show()["version"] == last_version, 30), late.lines
        first_current = next(t for t, f in late.shows() if f["version"] == last_version)
        assert first_current - late.ready_at() <= 1.0
        assert late.last_show()["cue"] == "8"
    finally:
        for p in displays + [operator, late]:
            if p is not None:
                p.stop()
