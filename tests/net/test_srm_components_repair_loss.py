"""SRMSender/SRMReceiver components (and Kamaelia's SRM_Sender/SRM_Receiver) compose in a
Pipeline: through a lossy, duplicating stage and through real multicast on lo the messages
arrive complete and in order; an idle sender flushes its short block so a lone message is
protected too; shutdown drains and passes on."""
import random

import pytest
from net_helpers import (  # noqa: F401
    LO,
    StopAfter,
    TimedSource,
    free_udp_port,
    run_with_deadline,
)

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import Multicast_transceiver, MulticastReceiver, MulticastSender
from kamaelia_lite.net.srm_components import SRM_Receiver, SRM_Sender, SRMReceiver, SRMSender
from kamaelia_lite.util import Collector, DataSource, Forwarding
from microaxon import Scheduler

pytestmark = pytest.mark.usefixtures("lo_multicast")

GROUP = "239.255.42.2"


class LossyStage(Forwarding):
    """Drops (seeded) a fraction of datagrams and duplicates a few."""

    def __init__(self, loss, seed, **argd):
        super().__init__(**argd)
        self.rnd = random.Random(seed)
        self.loss = loss
        self.dropped = 0

    def process(self, msg):
        if self.rnd.random() < self.loss:
            self.dropped += 1
            return None
        return msg


class DropFirst(Forwarding):
    """Drops the first datagram only."""

    dropped = 0

    def process(self, msg):
        if not self.dropped:
            self.dropped = 1
            return None
        return msg


def test_pipeline_through_lossy_stage_is_complete():
    messages = [b"message %d " % i + b"x" * (i % 50) for i in range(2000)]
    sched = Scheduler()
    lossy = LossyStage(0.08, 3)
    out = Collector()
    Pipeline(DataSource(messages), SRMSender(k=32, m=10), lossy, SRMReceiver(), out).activate(sched)
    assert not run_with_deadline(sched, 30)
    assert lossy.dropped > 100
    assert out.collected == messages
    assert sched.failures == []


def test_kamaelia_names_keep_the_contract():
    messages = [b"a", b"bb", b"c" * 5000, "text"]
    sched = Scheduler()
    out = Collector()
    tx = SRM_Sender()
    Pipeline(DataSource(messages + [12345, None]), tx, SRM_Receiver(), out).activate(sched)
    assert not run_with_deadline(sched, 10)
    assert out.collected == [b"a", b"bb", b"c" * 5000, b"text"]
    assert tx.refused == 2 and tx.failure is None


def test_lone_message_of_idle_sender_is_protected():
    """One message, its data datagram lost: the parity sent on idle (flush_after) repairs it."""
    sched = Scheduler()
    tx = SRMSender(k=64, m=16, flush_after=0.02, heartbeat_interval=0)
    drop_first = DropFirst()
    rx = SRMReceiver()
    stop = StopAfter(1, timeout=3)
    Pipeline(TimedSource([b"the only surtitle"], delay=0, finish=False), tx, drop_first, rx, stop).activate(sched)
    stop.link((stop, "stop"), (tx, "control"))
    assert not run_with_deadline(sched, 10)
    assert stop.collected == [b"the only surtitle"]
    assert rx.state.counters["recovered"] == 1


def test_over_real_multicast_on_lo():
    port = free_udp_port()
    sched = Scheduler()
    messages = [b"%05d" % i * 20 for i in range(1000)]
    rx = SRMReceiver(key=b"0123456789abcdef")
    stop = StopAfter(len(messages), timeout=15)
    mrx = MulticastReceiver(GROUP, port, LO, with_address=True)
    Pipeline(mrx, rx, stop).activate(sched)
    stop.link((stop, "stop"), (mrx, "control"))
    Pipeline(TimedSource(messages), SRMSender(key=b"0123456789abcdef"), MulticastSender(GROUP, port, LO)
             ).activate(sched)
    assert not run_with_deadline(sched, 20)
    assert stop.collected == messages
    assert rx.state.counters["gaps"] == 0


def test_kamaelia_style_program_over_multicast_transceiver():
    port = free_udp_port()
    sched = Scheduler()
    messages = [b"line %d\n" % i for i in range(100)]
    mrx = Multicast_transceiver("0.0.0.0", port, GROUP, 0, interface=LO)
    stop = StopAfter(len(messages), timeout=10)
    Pipeline(mrx, SRM_Receiver(), stop).activate(sched)
    stop.link((stop, "stop"), (mrx, "control"))
    Pipeline(TimedSource(messages), SRM_Sender(), Multicast_transceiver("0.0.0.0", 0, GROUP, port, interface=LO)
             ).activate(sched)
    assert not run_with_deadline(sched, 15)
    assert stop.collected == messages


class WithAddress(Forwarding):
    """Tags datagrams with a source address, as MulticastReceiver(with_address=True) does."""

    def process(self, msg):
        return (msg, ("127.0.0.1", 40000))


def test_nack_back_channel_repairs_what_fec_cannot():
    """No parity at all (m=0) and 20% loss: the receiver's NACKs (nack outbox, addressed to the
    sender host and nack_port) reach the sender's nack inbox and the retransmissions fill in."""
    messages = [b"msg %d" % i for i in range(300)]
    sched = Scheduler()
    tx = SRMSender(k=16, m=0, history=1024)
    lossy = LossyStage(0.2, 9)
    rx = SRMReceiver(nack_port=40001, nack_delay=0.01, nack_retries=20, hold_time=2.0, window_blocks=64)
    stop = StopAfter(len(messages), timeout=8)
    Pipeline(TimedSource(messages, delay=0, finish=False), tx, lossy, WithAddress(), rx, stop).activate(sched)
    nacks = []

    class BackChannel(Forwarding):
        def process(self, msg):
            datagram, addr = msg
            nacks.append(addr)
            return datagram

    back = BackChannel()
    rx.link((rx, "nack"), (back, "inbox"))
    back.link((back, "outbox"), (tx, "nack"))
    back.activate(sched)
    stop.link((stop, "stop"), (tx, "control"))
    assert not run_with_deadline(sched, 15)
    assert stop.collected == messages
    assert lossy.dropped > 30
    assert nacks and all(a == ("127.0.0.1", 40001) for a in nacks)
    assert tx.state.resent > 0 and rx.state.counters["gaps"] == 0
