"""A Carousel fed "next" at random moments (some while its child still runs, which replaces it),
children of random lengths and paces, and sometimes a shutdown from outside: the children's
outputs come out one child after another, in the order the children were made, each one a
prefix of what that child had to send (all of it unless it was replaced or stopped), and the
whole thing ends: nothing left running, nothing asleep, nothing failed."""
import random

import pytest
from core_helpers import Sink

from kamaelia_lite.chassis import Carousel
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess


class Child(component):
    """Sends (tag, 0), (tag, 1), ... (tag, n - 1), sleeping now and then; stops at once on
    shutdownMicroprocess, passes producerFinished on after sending everything."""

    def main(self):
        ending = None
        for i in range(self.n):
            while self.dataReady("control"):
                ending = self.recv("control")
            if isinstance(ending, shutdownMicroprocess):
                self.send(ending, "signal")
                return
            self.send((self.tag, i), "outbox")
            if self.rng.random() < 0.2:
                self.pause(0.0005)
            yield 1
        self.send(ending or producerFinished(self), "signal")


class Feeder(component):
    """Sends `count` next-arguments at random moments, then maybe an outside ending."""

    def main(self):
        rng = self.rng
        for k in range(self.count):
            for _ in range(rng.randrange(8)):
                self.pause(0.0005)
                yield 1
            self.send(k, "outbox")
        for _ in range(rng.randrange(8)):
            self.pause(0.0005)
            yield 1
        self.send(self.ending, "signal")


@pytest.mark.parametrize("seed", range(40))
def test_a_random_carousel_keeps_its_children_in_order_and_ends(seed):
    rng = random.Random(seed)
    lengths = {}

    def factory(k):
        c = Child()
        c.tag, c.n, c.rng = k, rng.randrange(1, 12), rng
        lengths[k] = c.n
        return c

    s = Scheduler()
    s.report = None
    car, feed, out = Carousel(factory), Feeder(), Sink()
    feed.rng, feed.count = rng, 1 + rng.randrange(6)
    feed.ending = producerFinished() if rng.random() < 0.6 else shutdownMicroprocess()
    feed.link((feed, "outbox"), (car, "next"))
    feed.link((feed, "signal"), (car, "control"))
    car.link((car, "outbox"), (out, "inbox"))
    car.link((car, "signal"), (out, "control"))
    for c in (car, feed, out):
        c.activate(s)
    s.run()
    assert s.failures == [] and s.deadlocked is None and not s.components()
    tags = []
    for tag, _ in out.got:
        if not tags or tags[-1] != tag:
            assert tag not in tags, "child %d's output resumed after another's: %r" % (tag, out.got)
            tags.append(tag)
    assert tags == sorted(tags)                       # in the order the children were made
    for tag in tags:
        seq = [i for t, i in out.got if t == tag]
        assert seq == list(range(len(seq))) and len(seq) <= lengths[tag], (tag, seq)
