"""EchoProtocol facing a receiver whose inbox is full: it holds the reply it could not send,
waits for room, and echoes everything, in order and once, before passing the producerFinished
on (never raising BoxFull, never dropping)."""
from net_helpers import run_with_timeout

from kamaelia_lite.net.protocols import EchoProtocol
from microaxon import Scheduler, component, now, producerFinished

N = 200


class Feeder(component):
    """Sends N chunks as fast as the echo's inbox takes them, then producerFinished."""

    def main(self):
        for i in range(N):
            while not self.hasSpace("outbox"):
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(b"%d;" % i, "outbox")
            yield 1                               # interleave with the echo
        self.send(producerFinished(self), "signal")


class SlowSink(component):
    """A 2-slot inbox, read one message per millisecond: the echo finds it full most of the time."""

    Capacities = {"inbox": 2}
    got = None
    ended_after = None

    def main(self):
        self.got = []
        due = now()
        while True:
            if now() >= due and self.dataReady("inbox"):    # (a message wakes us sooner: wait on)
                self.got.append(self.recv("inbox"))
                due = now() + 0.001
            elif not self.dataReady("inbox") and self.dataReady("control"):
                self.ended_after = len(self.got)
                self.recv("control")
                return
            self.pause(max(0.0, due - now()))
            yield 1


def test_every_reply_arrives_in_order_once_although_the_receiver_is_full():
    sched = Scheduler()
    feeder, echo, sink = Feeder(), EchoProtocol(), SlowSink()
    feeder.link((feeder, "outbox"), (echo, "inbox"))
    feeder.link((feeder, "signal"), (echo, "control"))
    echo.link((echo, "outbox"), (sink, "inbox"))
    echo.link((echo, "signal"), (sink, "control"))
    for c in (feeder, echo, sink):
        c.activate(sched)
    run_with_timeout(sched, 20)
    assert echo.failure is None
    assert b"".join(sink.got) == b"".join(b"%d;" % i for i in range(N))
    assert sink.ended_after == len(sink.got)      # the shutdown came after the last reply
