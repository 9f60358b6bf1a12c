"""Random publishers and subscribers on a Backplane, subscribers joining late and leaving early:
each subscriber gets, from each publisher, an unbroken run of its messages in order (a lossy one:
an in-order subsequence), and the whole thing ends when the backplane is shut down.

Per seed: 1-3 publishers send numbered messages at random paces (1 ms sleeps now and then);
1-4 subscribers, some lossy, start after a random delay, take their messages at random paces,
and some are stopped early. After the publishers finish, the backplane gets producerFinished.
"""
import random

import pytest

from kamaelia_lite.chassis import Backplane, PublishTo, SubscribeTo
from microaxon import Scheduler, component, producerFinished

M = 120


class Publisher(component):
    def main(self):
        rng = random.Random(self.seed)
        for i in range(M):
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send((self.k, i), "outbox")
            if rng.random() < 0.1:
                self.pause(0.001)
                yield 1
        self.done = True
        self.send(producerFinished(self), "signal")


class Reader(component):
    """Takes what its SubscribeTo sends, at a random pace; may stop itself (and its subscriber)
    early; ends when the subscriber passes the backplane's ending on."""

    def main(self):
        rng = random.Random(self.seed)
        self.got = []
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
                if rng.random() < 0.05:
                    break
            if self.leave_after is not None and len(self.got) >= self.leave_after:
                self.sub.stop()
                return
            if self.dataReady("control") and not self.dataReady("inbox"):
                return
            if rng.random() < 0.1:
                self.pause(0.001)
            elif not self.dataReady("inbox"):
                self.pause()
            yield 1


class Join(component):
    """Activates a subscriber and its reader after `wait` seconds."""

    def main(self):
        self.pause(self.wait)
        yield 1
        self.sub.activate(self._sched)
        self.r.activate(self._sched)


class Ender(component):
    """Sends producerFinished to the backplane once every publisher is done."""

    def main(self):
        while not all(getattr(p, "done", False) for p in self.pubs):
            self.pause(0.002)
            yield 1
        self.pause(0.01)                 # (what the publishers sent is on its way)
        yield 1
        self.send(producerFinished(self), "outbox")


@pytest.mark.parametrize("seed", range(20))
def test_random_publishers_and_late_or_leaving_subscribers_on_a_backplane(seed):
    rng = random.Random(seed)
    s = Scheduler()
    name = "bp-%d" % seed
    bp = Backplane(name)
    bp.activate(s)
    pubs = []
    for k in range(1 + rng.randrange(3)):
        p = Publisher()
        p.k, p.seed = k, seed * 100 + k
        to = PublishTo(name)
        p.link((p, "outbox"), (to, "inbox"))
        p.link((p, "signal"), (to, "control"))
        pubs += [p, to]
    readers = []
    for j in range(1 + rng.randrange(4)):
        sub = SubscribeTo(name, lossy=rng.random() < 0.3)
        r = Reader()
        r.seed, r.sub = seed * 100 + 50 + j, sub
        r.leave_after = rng.randrange(M) if rng.random() < 0.3 else None
        sub.link((sub, "outbox"), (r, "inbox"))
        sub.link((sub, "signal"), (r, "control"))
        readers.append((sub, r))
    end = Ender()
    end.pubs = pubs[0::2]
    end.link((end, "outbox"), (bp, "control"))
    for c in pubs + [end]:
        c.activate(s)
    for sub, r in readers:               # subscribers join after a random head start
        j = Join()
        j.sub, j.r, j.wait = sub, r, rng.random() * 0.01
        j.activate(s)
    s.run()
    assert s.failures == [] and s.deadlocked is None and not s.components()
    for sub, r in readers:
        for k in range(len(pubs) // 2):
            seq = [i for kk, i in r.got if kk == k]
            assert seq == sorted(seq) and len(set(seq)) == len(seq), (k, seq)
            if not sub.lossy and seq:    # no gap: from its first message to its last
                assert seq == list(range(seq[0], seq[-1] + 1)), (k, seq)
            if not sub.lossy and r.leave_after is None and seq:   # (none: it joined after
                assert seq[-1] == M - 1, (k, seq)     # that publisher's last) it stayed to the end
