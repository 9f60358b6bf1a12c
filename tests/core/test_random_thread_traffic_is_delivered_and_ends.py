"""Random mixes of threaded components and ordinary ones pass numbered messages through bounded,
growing and lossy boxes, with random sleeps on both sides of the thread boundary: every message
arrives once, in order (a lossy box may drop some, and counts them), and the run ends.

Each network is a chain source -> stage -> ... -> sink; each stage is at random a thread
(threadedcomponent: blocking recv/pause/send in its own thread) or an ordinary component, and
each box gets 1-4 slots and a random mode. Threads sleep for random short spells so that their
sends, the scheduler's deliveries and the receivers' takes interleave differently each run.
"""
import random
import time

import pytest
from core_helpers import Passer, Sink, Source

from microaxon import Scheduler, threadedcomponent

N = 200


class ThreadStage(threadedcomponent):
    def main(self):
        rng = random.Random(self.seed)
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox"), "outbox")    # (blocks while too many in flight)
                if rng.random() < 0.05:
                    time.sleep(rng.random() * 0.002)
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause(0.05)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.watchdog(60)
def test_random_chains_of_threads_and_components_deliver_in_order_and_end(seed, watchdog):
    rng = random.Random(seed)
    s = Scheduler()
    chain = [Source(list(range(N)))]
    for k in range(1 + rng.randrange(4)):
        if rng.random() < 0.5:
            t = ThreadStage(Capacities={"inbox": 1 + rng.randrange(4), "control": 8})
            t.seed = seed * 10 + k
            t.queuelengths = 1 + rng.randrange(4)
            chain.append(t)
        else:
            chain.append(Passer(Capacities={"inbox": 1 + rng.randrange(4), "control": 8}))
    chain.append(Sink(Capacities={"inbox": 1 + rng.randrange(4), "control": 8}))
    modes = []
    for a, b in zip(chain, chain[1:]):
        r = rng.random()
        mode = None if r < 0.6 else "grow" if r < 0.8 else "lossy"
        modes.append(mode)
        a.link((a, "outbox"), (b, "inbox"), mode=mode, limit=10 * N if mode == "grow" else None)
        a.link((a, "signal"), (b, "control"))
    for c in chain:
        c.activate(s)
    s.run()
    for c in chain:
        assert c.finished() and c.failure is None, (c.name, c.failure)
    got = chain[-1].got
    dropped = sum(c.getInbox("inbox").drops for c in chain[1:])
    assert got == sorted(got) and len(set(got)) == len(got)
    assert len(got) + dropped == N, (len(got), dropped, modes)
    if "lossy" not in modes:
        assert got == list(range(N))
    for c in chain:                                     # every stage's thread ends (it may
        if isinstance(c, threadedcomponent):            # still be unwinding as run() returns)
            c._thread.join(5)
            assert not c._thread.is_alive()
