"""MulticastTunnel bridges two multicast "islands" over unicast UDP or TCP: everything sent on one
island's group arrives on the other's exactly once, both ways, nothing loops back (each island
sees each message once), forged frames are dropped, and it ends on shutdown."""
import socket

import pytest
from net_helpers import (  # noqa: F401
    LO,
    StopAfter,
    TimedSource,
    free_udp_port,
    run_with_deadline,
)

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.net.multicast import MulticastReceiver, MulticastSender
from kamaelia_lite.net.tunnel import MAGIC, MulticastTunnel
from microaxon import Scheduler, shutdownMicroprocess

pytestmark = pytest.mark.usefixtures("lo_multicast")

G1, G2 = "239.255.43.1", "239.255.43.2"
KEY = b"tunnel key 12345"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_two_islands_bridged_both_ways_exactly_once(transport):
    p1, p2, la, lb = (free_udp_port() for _ in range(4))
    sched = Scheduler()
    if transport == "udp":
        a = MulticastTunnel(G1, p1, LO, peer=(LO, lb), listen_port=la, key=KEY)
        b = MulticastTunnel(G2, p2, LO, peer=(LO, la), listen_port=lb, key=KEY)
    else:                              # a listens, b connects
        a = MulticastTunnel(G1, p1, LO, peer=None, listen_port=la, key=KEY, transport="tcp")
        b = MulticastTunnel(G2, p2, LO, peer=(LO, la), listen_port=0, key=KEY, transport="tcp")
    a.activate(sched)
    b.activate(sched)
    r1 = MulticastReceiver(G1, p1, LO)
    r2 = MulticastReceiver(G2, p2, LO)
    s1 = StopAfter(30, timeout=5, settle=0.3)
    s2 = StopAfter(30, timeout=5, settle=0.3)
    Pipeline(r1, s1).activate(sched)
    Pipeline(r2, s2).activate(sched)
    from_1 = [b"island 1 says %d" % i for i in range(20)]
    from_2 = [b"island 2 says %d" % i for i in range(10)]
    def up():                          # over TCP, frames before the connection are dropped
        return transport == "udp" or (a.connects and b.connects)

    Pipeline(TimedSource(from_1, delay=0.4, gap=0.002, ready=up), MulticastSender(G1, p1, LO)).activate(sched)
    Pipeline(TimedSource(from_2, delay=0.45, gap=0.002, ready=up), MulticastSender(G2, p2, LO)).activate(sched)
    s1.link((s1, "stop"), (r1, "control"))
    s2.link((s2, "stop"), (r2, "control"))

    for tunnel in (a, b):                  # tunnels run until told to stop (after ~2.5 s)
        ender = StopAfter(1 << 30, timeout=2.5)
        ender.link((ender, "stop"), (tunnel, "control"))
        ender.activate(sched)
    assert not run_with_deadline(sched, 15)
    assert sorted(s1.collected) == sorted(from_1 + from_2)      # each once: no loop copies
    assert sorted(s2.collected) == sorted(from_1 + from_2)
    assert a.forwarded == 20 and b.forwarded == 10
    assert a.emitted == 10 and b.emitted == 20
    assert a.looped >= 10 and b.looped >= 20                   # own re-emissions refused
    assert a.finished() and b.finished() and a.failure is None and b.failure is None
    if transport == "tcp":
        assert a.connects == 1 and b.connects == 1 and a.send_drops == b.send_drops == 0


def test_forged_and_malformed_frames_dropped():
    p1, la = free_udp_port(), free_udp_port()
    sched = Scheduler()
    a = MulticastTunnel(G1, p1, LO, peer=(LO, free_udp_port()), listen_port=la, key=KEY)
    r1 = MulticastReceiver(G1, p1, LO)
    s1 = StopAfter(1, timeout=1.0)
    Pipeline(r1, s1).activate(sched)
    s1.link((s1, "stop"), (r1, "control"))
    a.activate(sched)
    evil = DatagramAuthenticator(b"not the key 1234")

    class Inject(TimedSource):
        def main(self):
            self.pause(0.2)
            yield 1
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(evil.sign(MAGIC + b"\x00\x00\x00\x01EVIL"), (LO, la))
            s.sendto(b"garbage", (LO, la))
            s.sendto(DatagramAuthenticator(KEY).sign(b"no magic"), (LO, la))
            s.close()
            self.pause(0.3)
            yield 1
            self.send(shutdownMicroprocess(), "outbox")

    inj = Inject([])
    inj.link((inj, "outbox"), (a, "control"))
    inj.activate(sched)
    assert not run_with_deadline(sched, 10)
    assert s1.collected == []
    assert a.forged == 2 and a.malformed == 1 and a.emitted == 0
    assert a.finished() and a.failure is None


def test_tcp_tunnel_connects_once_the_listener_appears():
    """The connecting end retries every reconnect_interval until the listener is there."""
    p1, p2, la = free_udp_port(), free_udp_port(), free_udp_port()
    sched = Scheduler()
    b = MulticastTunnel(G2, p2, LO, peer=(LO, la), listen_port=0, transport="tcp", reconnect_interval=0.1)
    b.activate(sched)
    made = []

    class LateListener(TimedSource):
        def main(self):
            self.pause(0.5)                # b's first attempts are refused meanwhile
            yield 1
            a = MulticastTunnel(G1, p1, LO, peer=None, listen_port=la, transport="tcp")
            made.append(a)
            self.link((self, "signal"), (a, "control"))
            a.activate(sched)
            self.pause(0.5)
            yield 1
            self.send(shutdownMicroprocess(), "outbox")
            self.send(shutdownMicroprocess(), "signal")

    late = LateListener([])
    late.link((late, "outbox"), (b, "control"))
    late.activate(sched)
    assert not run_with_deadline(sched, 10)
    assert b.connects == 1 and made[0].connects == 1
    assert b.failure is None and made[0].failure is None
