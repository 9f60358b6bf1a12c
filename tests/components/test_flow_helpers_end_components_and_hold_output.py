"""kamaelia_lite.flow: the one place components take shutdown messages (stop now, or drain then
stop) and hold output that the next box has no room for (bounded in count and bytes, woken by
waitSpace, never dropped)."""
from kamaelia_lite.flow import PendingSends, drained_then_stopped, passed_shutdown_on, take_ending
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess


def wired():
    c, before, after = component(), component(), Collector()
    before.link((before, "outbox"), (c, "control"))
    c.link((c, "signal"), (after, "inbox"))
    return c, before, after


def test_nothing_waiting_means_carry_on():
    c, _, after = wired()
    assert passed_shutdown_on(c) is False
    assert take_ending(c) is None
    assert drained_then_stopped(c, None, True) is False
    assert after.dataReady("inbox") == 0


def test_other_messages_are_dropped_and_the_shutdown_is_passed_on():
    for ending in (producerFinished(), shutdownMicroprocess()):
        c, before, after = wired()
        before.send("not a shutdown", "outbox")
        before.send(ending, "outbox")
        before.send("after it", "outbox")
        assert passed_shutdown_on(c) is True
        assert after.recv("inbox") is ending and after.dataReady("inbox") == 0
        assert c.dataReady("control") == 1          # what came after is left for later


def test_producer_finished_is_kept_until_the_work_is_drained():
    c, before, after = wired()
    pf = producerFinished()
    before.send("noise", "outbox")
    before.send(pf, "outbox")
    ending = take_ending(c)
    assert ending is pf and c.dataReady("control") == 0
    assert take_ending(c, ending) is pf                    # kept: later messages are not read
    assert drained_then_stopped(c, ending, False) is False   # work left: not passed on yet
    assert after.dataReady("inbox") == 0
    assert drained_then_stopped(c, ending, True) is True
    assert after.recv("inbox") is pf


def test_shutdown_microprocess_stops_at_once_even_with_work_left():
    c, before, after = wired()
    sm = shutdownMicroprocess()
    before.send(sm, "outbox")
    ending = take_ending(c)
    assert drained_then_stopped(c, ending, False) is True
    assert after.recv("inbox") is sm


class Burst(component):
    """Produces `count` messages of `size` bytes in one go through PendingSends, then finishes."""

    def __init__(self, count, size, **argd):
        super().__init__(**argd)
        self.count = count
        self.size = size
        self.waits = 0
        self.most_pending = 0

    def main(self):
        out = PendingSends(self, max_count=4, max_bytes=3 * self.size)
        made = 0
        while True:
            while made < self.count and not out.full():
                out.add(b"%0*d" % (self.size, made))
                made += 1
            self.most_pending = max(self.most_pending, len(out))
            if out.flush() and made == self.count:
                self.send(producerFinished(self), "signal")
                return
            self.waits += 1
            self.pause()
            yield 1


class SlowSink(component):
    """Takes one message per turn (so its 2-slot inbox is full most of the time)."""

    Capacities = {"inbox": 2}

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []

    def main(self):
        while True:
            if self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            elif self.dataReady("control"):
                return
            yield 1


def test_pending_sends_deliver_everything_in_order_within_their_bounds():
    sched = Scheduler()
    burst, sink = Burst(200, 10), SlowSink()
    burst.link((burst, "outbox"), (sink, "inbox"))
    burst.link((burst, "signal"), (sink, "control"))
    burst.activate(scheduler=sched)
    sink.activate(scheduler=sched)
    sched.run()
    assert sink.got == [b"%010d" % i for i in range(200)]   # nothing lost, nothing reordered
    assert burst.waits > 10                 # it had to wait for room (woken by waitSpace)
    assert burst.most_pending <= 3          # the byte bound (3 x 10 bytes) held before the count bound


def test_pending_sends_count_bytes_of_payloads_and_datagram_pairs():
    c = component()
    out = PendingSends(c, max_count=100, max_bytes=10)
    out.add(("abcd", ("127.0.0.1", 9)))
    out.add(b"xyz")
    assert out.nbytes == 7 and not out.full()
    out.add("xyz")
    assert out.full() and len(out) == 3
    assert out.flush()                      # unlinked outbox: dropped and counted by the core
    assert out.nbytes == 0 and len(out) == 0 and not out.full()


def test_a_source_can_pass_on_only_shutdownmicroprocess():
    c, before, after = wired()
    sm = shutdownMicroprocess()
    before.send(producerFinished(), "outbox")       # means nothing to a source: dropped
    assert passed_shutdown_on(c, shutdownMicroprocess) is False
    assert c.dataReady("control") == 0 and after.dataReady("inbox") == 0
    before.send(sm, "outbox")
    assert passed_shutdown_on(c, shutdownMicroprocess) is True
    assert after.recv("inbox") is sm
