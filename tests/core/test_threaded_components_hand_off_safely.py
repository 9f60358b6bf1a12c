import io
import threading
import time

import pytest
from core_helpers import Sink, Source, chain, start

from microaxon import ComponentFailed, Scheduler, component, producerFinished, threadedcomponent


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


class BlockingDoubler(threadedcomponent):
    """Does blocking work per message in its own thread."""

    def main(self):
        while True:
            while self.dataReady("inbox"):
                x = self.recv("inbox")
                time.sleep(0.0005)
                self.send(x * 2, "outbox")
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()


def test_thread_receives_and_sends_in_order_with_backpressure():
    s = quiet()
    src, d, sink = chain(Source(list(range(400))), BlockingDoubler(queuelengths=4), Sink())
    start(s, src, d, sink)
    s.run()
    assert sink.got == [2 * i for i in range(400)]
    assert s.deadlocked is None


def test_thread_send_blocks_while_destination_is_full():
    s = quiet()

    class Burst(threadedcomponent):
        def main(self):
            for i in range(100):
                self.send(i, "outbox")          # destination holds 4: the thread must wait
            self.send(producerFinished(), "signal")

    class SlowSink(Sink):
        Capacities = {"inbox": 4}

        def main(self):
            while True:
                if self.dataReady("inbox"):
                    self.got.append(self.recv("inbox"))
                elif self.dataReady("control"):
                    return
                self.pause(0.001)
                yield 1

    b, sink = chain(Burst(queuelengths=2), SlowSink())
    start(s, b, sink)
    s.run()
    assert sink.got == list(range(100)) and not s.failures


def test_exception_in_thread_is_the_component_failure():
    s = quiet()

    class Broken(threadedcomponent):
        def main(self):
            time.sleep(0.01)
            raise OSError("device gone")

    b, sink = chain(Broken(), Sink())
    start(s, b, sink)
    with pytest.raises(ComponentFailed) as ei:
        s.run()
    assert isinstance(b.failure, OSError) and "device gone" in s.report.getvalue()
    assert b.name in str(ei.value) and "device gone" in str(ei.value)
    assert sink.finished()


def test_call_from_thread_wakes_a_blocked_scheduler():
    s = quiet()
    got = []

    class Waiter(component):
        def main(self):
            while not self.dataReady("inbox"):
                self.pause()
                yield 1
            got.append(self.recv("inbox"))

    w = Waiter()
    src = component()
    src.link((src, "outbox"), (w, "inbox"))
    start(s, w)
    s.threadStarted()

    def later():
        time.sleep(0.1)
        s.callFromThread(src.send, "from thread", "outbox")
        s.threadFinished()

    t0 = time.monotonic()
    threading.Thread(target=later).start()
    s.run()
    assert got == ["from thread"] and time.monotonic() - t0 < 5


def test_plain_thread_can_stop_a_blocked_scheduler():
    s = quiet()
    a = start(s, component())[0]

    class Forever(component):
        def main(self):
            while True:
                self.pause(30)
                yield 1

    start(s, Forever())
    threading.Timer(0.1, lambda: s.callFromThread(s.stop)).start()
    t0 = time.monotonic()
    s.run()
    assert time.monotonic() - t0 < 5 and s.components() == []
    assert a.finished()


def test_two_receives_that_free_room_before_the_scheduler_looks_wake_the_sender_without_error():
    # A threadedcomponent's recv sees a sender waiting for room and asks the scheduler (through
    # callFromThread) to wake it; a second recv before the scheduler gets to it asks again, and
    # by then nobody waits. (That second wake raised AttributeError in the scheduler.)
    s = quiet()
    go = threading.Event()

    class Reader(threadedcomponent):
        def main(self):
            go.wait(5)

    class Filler(component):
        def main(self):
            while self.hasSpace("outbox"):
                self.send(1, "outbox")
            self.waitSpace("outbox")
            self.pause()
            yield 1                          # woken once there is room

    r, f = Reader(), Filler()

    class Taker(component):
        def main(self):
            r.recv("inbox")                  # f is asleep waiting for room: both ask to wake it
            r.recv("inbox")
            go.set()
            yield 1

    f.link((f, "outbox"), (r, "inbox"))
    start(s, f, r, Taker())
    s.run()
    assert f.finished() and r.finished() and not s.failures, s.failures
