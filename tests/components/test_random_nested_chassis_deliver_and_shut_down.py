"""Random nestings of Pipelines and Graphlines (wired as pipelines), between a DataSource and a
Collector: with no shutdown, every message comes out, transformed by every stage in order, and
everything finishes; with a shutdownMicroprocess sent to the outermost Pipeline at a random
moment, everything still finishes, nothing fails, nothing is left asleep, and what came out is
a prefix of what would have.

Each stage adds its number to the message (a tuple), so the collected messages say which stages
they went through, in which order.
"""
import random

import pytest

from kamaelia_lite.chassis import Graphline, Pipeline
from kamaelia_lite.util import Collector, DataSource, PureTransformer
from microaxon import Scheduler, component, shutdownMicroprocess

N = 300


def stage(rng, depth, counter):
    """A random stage: a PureTransformer, or a Pipeline or Graphline of 1-3 stages."""
    r = 0.5 + rng.random() / 2 if depth == 0 else rng.random()     # (the outermost: a container)
    if depth >= 3 or r < 0.5:
        counter[0] += 1
        k = counter[0]
        return PureTransformer(function=lambda m, k=k: m + (k,)), [k]
    parts = [stage(rng, depth + 1, counter) for _ in range(1 + rng.randrange(3))]
    inner = [p[0] for p in parts]
    order = [k for p in parts for k in p[1]]
    if r < 0.75:
        return Pipeline(*inner), order
    names = dict(("s%d" % i, c) for i, c in enumerate(inner))
    links = {("self", "inbox"): ("s0", "inbox"), ("self", "control"): ("s0", "control")}
    for i in range(len(inner) - 1):
        links[("s%d" % i, "outbox")] = ("s%d" % (i + 1), "inbox")
        links[("s%d" % i, "signal")] = ("s%d" % (i + 1), "control")
    last = "s%d" % (len(inner) - 1)
    links[(last, "outbox")] = ("self", "outbox")
    links[(last, "signal")] = ("self", "signal")
    return Graphline(linkages=links, **names), order


class StopLater(component):
    """Sends shutdownMicroprocess after `steps` steps of its own."""

    def main(self):
        for _ in range(self.steps):
            yield 1
        self.send(shutdownMicroprocess(self), "outbox")


def build(seed, stop_after=None):
    rng = random.Random(seed)
    counter = [0]
    middle, order = stage(rng, 0, counter)
    sink = Collector()
    top = Pipeline(DataSource(messages=[(i,) for i in range(N)]), middle, sink)
    s = Scheduler()
    s.report = None
    top.activate(s)
    if stop_after is not None:
        t = StopLater()
        t.steps = stop_after
        t.link((t, "outbox"), (top, "control"))
        t.activate(s)
    return s, top, sink, order


def everything(c):
    yield c
    for ch in c.childComponents():
        yield from everything(ch)


@pytest.mark.parametrize("seed", range(25))
def test_a_random_nesting_delivers_every_message_through_every_stage_and_ends(seed):
    s, top, sink, order = build(seed)
    s.run()
    assert s.failures == [] and s.deadlocked is None
    assert sink.collected == [(i,) + tuple(order) for i in range(N)]
    assert top.finished() and all(c.finished() for c in s.components()) and not s.components()


@pytest.mark.parametrize("seed", range(25))
def test_a_random_nesting_stopped_at_a_random_moment_ends_cleanly(seed):
    rng = random.Random(1000 + seed)
    s, top, sink, order = build(seed, stop_after=rng.randrange(12))
    s.run()
    assert s.failures == [] and s.deadlocked is None
    assert not s.components()             # every component finished
    want = [(i,) + tuple(order) for i in range(N)]
    assert sink.collected == want[:len(sink.collected)]
