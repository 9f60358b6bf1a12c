"""UDP: sender -> receiver on loopback (IPv4 and IPv6), SimplePeer both ways, PostboxPeer and
TargettedPeer addressing, send errors reported (not raised), shutdown honoured."""
import socket

from net_helpers import run_with_timeout

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.udp import PostboxPeer, SimplePeer, TargettedPeer, UDPReceiver, UDPSender, sendError
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, component, shutdownMicroprocess


class StopAfter(component):
    """Collects ``n`` messages, then sends shutdownMicroprocess on its outbox (to a control)."""

    def __init__(self, n, **argd):
        super().__init__(**argd)
        self.n = n
        self.got = []

    def main(self):
        while len(self.got) < self.n:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if len(self.got) >= self.n:
                break
            self.pause()
            yield 1
        self.send(shutdownMicroprocess(), "outbox")


def receive(sched, n, host="127.0.0.1"):
    rx = UDPReceiver(host, 0)
    stop = StopAfter(n)
    rx.link((rx, "outbox"), (stop, "inbox"))
    rx.link((stop, "outbox"), (rx, "control"))
    rx.activate(sched)
    stop.activate(sched)
    return rx, stop


def test_sender_to_receiver_on_loopback():
    sched = Scheduler()
    rx, stop = receive(sched, 50)
    msgs = [b"datagram %d" % i for i in range(50)]
    Pipeline(DataSource(msgs), UDPSender("127.0.0.1", rx.port)).activate(sched)
    run_with_timeout(sched, 10)
    assert sorted(d for d, addr in stop.got) == sorted(msgs)
    assert all(addr[0] == "127.0.0.1" for d, addr in stop.got)
    assert rx.finished() and rx.sock.fileno() == -1


def test_ipv6_loopback():
    sched = Scheduler()
    rx, stop = receive(sched, 3, host="::1")
    Pipeline(DataSource([b"a", b"b", "c"]), UDPSender("::1", rx.port)).activate(sched)
    run_with_timeout(sched, 10)
    assert sorted(d for d, _ in stop.got) == [b"a", b"b", b"c"]
    assert stop.got[0][1][0] == "::1"


def test_simple_peers_talk_to_each_other():
    sched = Scheduler()
    a_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a_sock.bind(("127.0.0.1", 0))
    a_port = a_sock.getsockname()[1]
    a_sock.close()
    b = SimplePeer("127.0.0.1", 0, "127.0.0.1", a_port)
    a = SimplePeer("127.0.0.1", a_port, "127.0.0.1", b.port)
    got_a, got_b = StopAfter(1), StopAfter(1)
    for peer, sink in ((a, got_a), (b, got_b)):
        peer.link((peer, "outbox"), (sink, "inbox"))
        peer.link((sink, "outbox"), (peer, "control"))
        peer.activate(sched)
        sink.activate(sched)
    src_a, src_b = DataSource([b"from a"]), DataSource([b"from b"])
    src_a.link((src_a, "outbox"), (a, "inbox"))
    src_b.link((src_b, "outbox"), (b, "inbox"))
    src_a.activate(sched)
    src_b.activate(sched)
    run_with_timeout(sched, 10)
    assert got_b.got == [(b"from a", ("127.0.0.1", a_port))]
    assert got_a.got == [(b"from b", ("127.0.0.1", b.port))]


def test_postbox_and_targetted_peers_address_each_datagram():
    sched = Scheduler()
    rx1, stop1 = receive(sched, 2)
    rx2, stop2 = receive(sched, 1)
    post = PostboxPeer("127.0.0.1", 0)
    Pipeline(DataSource([(b"to one", ("127.0.0.1", rx1.port)),         # the outbox's form
                         ("127.0.0.1", rx1.port, b"kamaelia form")]), post).activate(sched)
    tp = TargettedPeer("127.0.0.1", 0, "127.0.0.1", rx1.port)

    class Retarget(component):
        def main(self):
            self.send(("127.0.0.1", rx2.port), "outbox")
            yield 1
            self.send(b"to two", "signal")

    r = Retarget()
    r.link((r, "outbox"), (tp, "target"))
    r.link((r, "signal"), (tp, "inbox"))
    for c in (tp, r):
        c.activate(sched)

    class StopTPWhenDone(component):
        def main(self):
            while not (stop2.finished() and stop1.finished()):
                self.pause(0.01)
                yield 1
            tp.stop()

    StopTPWhenDone().activate(sched)
    run_with_timeout(sched, 10)
    assert sorted(d for d, addr in stop1.got) == [b"kamaelia form", b"to one"]
    assert stop2.got[0][0] == b"to two"


def test_oversized_datagram_is_reported_and_the_next_one_still_goes(capfd):
    sched = Scheduler()
    rx, stop = receive(sched, 1)
    tx = UDPSender("127.0.0.1", rx.port)
    errors = Collector()
    tx.link((tx, "errors"), (errors, "inbox"))
    pipe = Pipeline(DataSource([b"x" * 70000, b"small"]), tx)
    pipe.activate(sched)
    errors.activate(sched)

    class StopErrors(component):
        def main(self):
            while not (pipe.finished() and stop.finished()):
                self.pause(0.01)
                yield 1
            errors.stop()

    StopErrors().activate(sched)
    run_with_timeout(sched, 10)
    assert stop.got[0][0] == b"small"
    assert len(errors.collected) == 1 and isinstance(errors.collected[0], sendError)
    assert errors.collected[0].reason == "datagram too large"
    assert tx.send_errors == 1
    assert "datagram too large" in capfd.readouterr().err
