"""Real multicast on lo (IP_MULTICAST_IF=127.0.0.1): MulticastSender/Receiver/Transceiver move
datagrams, always set the outgoing interface, and end on shutdown (the original never did)."""
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
from kamaelia_lite.net.multicast import (
    Multicast_transceiver,
    MulticastReceiver,
    MulticastSender,
    MulticastTransceiver,
    make_multicast_socket,
)
from microaxon import Scheduler

pytestmark = pytest.mark.usefixtures("lo_multicast")

GROUP = "239.255.42.1"


def _receive_pipeline(receiver, count, timeout=5.0, settle=0.0):
    stop = StopAfter(count, timeout=timeout, settle=settle)
    pipe = Pipeline(receiver, stop)
    stop.link((stop, "stop"), (receiver, "control"))
    return pipe, stop


def test_sender_to_receiver():
    port = free_udp_port()
    sched = Scheduler()
    rx = MulticastReceiver(GROUP, port, LO, with_address=True)
    pipe, stop = _receive_pipeline(rx, 50)
    pipe.activate(sched)
    messages = [b"datagram %d" % i for i in range(50)]
    tx = MulticastSender(GROUP, port, LO)
    Pipeline(TimedSource(messages), tx).activate(sched)
    assert not run_with_deadline(sched, 10)
    assert [d for d, _ in stop.collected] == messages
    assert all(addr[0] == LO for _, addr in stop.collected)
    assert tx.sent == 50 and rx.received == 50
    assert rx.finished() and tx.finished()
    assert rx.sock is None and tx.sock is None          # closed in finally
    assert sched.failures == []


def test_outgoing_interface_always_set():
    s = make_multicast_socket(GROUP, free_udp_port(), LO, ttl=3, loop=False, join=False)
    try:
        assert s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 4) == socket.inet_aton(LO)
        assert s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL) == 3
        assert s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP) == 0
    finally:
        s.close()
    with pytest.raises(ValueError, match="interface is required"):
        make_multicast_socket(GROUP, 1234, None)
    with pytest.raises(ValueError, match="not an IPv4 multicast group"):
        make_multicast_socket("10.0.0.1", 1234, LO)


def test_receiver_ends_on_shutdown_and_passes_it_on():
    sched = Scheduler()
    rx = MulticastReceiver(GROUP, free_udp_port(), LO)
    stop = StopAfter(1, timeout=0.2)          # nothing arrives: stops it after 0.2 s
    pipe = Pipeline(rx, stop)
    stop.link((stop, "stop"), (rx, "control"))
    pipe.activate(sched)
    assert not run_with_deadline(sched, 5)
    assert rx.finished() and rx.sock is None and rx.failure is None


def test_sender_drains_queue_before_finishing():
    port = free_udp_port()
    sched = Scheduler()
    rx = MulticastReceiver(GROUP, port, LO)
    pipe, stop = _receive_pipeline(rx, 500)
    pipe.activate(sched)
    messages = [bytes([i % 256]) * 200 for i in range(500)]
    tx = MulticastSender(GROUP, port, LO)
    Pipeline(TimedSource(messages), tx).activate(sched)
    assert not run_with_deadline(sched, 10)
    assert tx.sent == 500
    assert stop.collected == messages


def test_transceivers_talk_and_ignore_their_own():
    port = free_udp_port()
    sched = Scheduler()
    a = MulticastTransceiver(GROUP, port, LO)
    b = MulticastTransceiver(GROUP, port, LO, with_address=True)
    stop_a = StopAfter(3, timeout=5, settle=0.5)
    stop_b = StopAfter(3, timeout=5, settle=0.5)
    # the sources do not finish: a transceiver given producerFinished ends (after sending)
    Pipeline(TimedSource([b"from b %d" % i for i in range(3)], finish=False), b, stop_b).activate(sched)
    Pipeline(TimedSource([b"from a %d" % i for i in range(3)], delay=0.1, finish=False), a,
             stop_a).activate(sched)
    stop_a.link((stop_a, "stop"), (a, "control"))
    stop_b.link((stop_b, "stop"), (b, "control"))
    assert not run_with_deadline(sched, 10)
    assert a.sent == 3 and b.sent == 3
    assert stop_a.collected == [b"from b %d" % i for i in range(3)]
    assert [d for d, _ in stop_b.collected] == [b"from a %d" % i for i in range(3)]


def test_send_errors_are_counted_not_raised():
    sched = Scheduler()
    tx = MulticastSender(GROUP, free_udp_port(), LO, max_datagram=100)
    Pipeline(TimedSource([b"x" * 101, (b"to nowhere", ("127.0.0.1", 0)), b"fine", 12345, "text"], delay=0),
             tx).activate(sched)
    assert not run_with_deadline(sched, 5)
    assert tx.send_errors == 3 and tx.sent == 2 and tx.failure is None


def test_kamaelia_multicast_transceiver_contract():
    port = free_udp_port()
    sched = Scheduler()
    rx = Multicast_transceiver("0.0.0.0", port, GROUP, 0, interface=LO)
    pipe, stop = _receive_pipeline(rx, 3)
    pipe.activate(sched)
    tx = Multicast_transceiver("0.0.0.0", 0, GROUP, port, interface=LO)
    Pipeline(TimedSource([b"one", b"two", b"three"]), tx).activate(sched)
    assert not run_with_deadline(sched, 10)
    assert [m[1] for m in stop.collected] == [b"one", b"two", b"three"]
    assert all(m[0][0] == LO for m in stop.collected)       # (source address, data)



def test_transceiver_takes_kamaelias_debug_option_and_refuses_a_misspelt_one():
    assert Multicast_transceiver("0.0.0.0", 0, GROUP, 1600, debug=True).debug is True
    with pytest.raises(TypeError, match="'debg'"):
        Multicast_transceiver("0.0.0.0", 0, GROUP, 1600, debg=True)
