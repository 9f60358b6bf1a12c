"""A PAR of children of random lengths and paces, sometimes stopped from outside at a random
moment: each child's output comes out in order (merged with the others'), whole unless the PAR
was stopped, and the PAR ends with producerFinished when its children ended by themselves;
nothing is left running or asleep, nothing fails."""
import random

import pytest
from core_helpers import Sink
from test_random_carousel_lives_stay_in_order_and_end import Child

from kamaelia_lite.chassis import PAR
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess


class StopAfter(component):
    """Sends shutdownMicroprocess after `steps` short sleeps."""

    def main(self):
        for _ in range(self.steps):
            self.pause(0.0005)
            yield 1
        self.send(shutdownMicroprocess(), "outbox")


@pytest.mark.parametrize("seed", range(40))
def test_a_random_par_merges_its_children_in_order_and_ends(seed):
    rng = random.Random(seed)
    kids = []
    for k in range(1 + rng.randrange(5)):
        c = Child()
        c.tag, c.n, c.rng = k, rng.randrange(1, 15), rng
        kids.append(c)
    s = Scheduler()
    s.report = None
    par, out = PAR(*kids), Sink()
    par.link((par, "outbox"), (out, "inbox"))
    par.link((par, "signal"), (out, "control"))
    stopped = rng.random() < 0.5
    if stopped:
        stop = StopAfter()
        stop.steps = rng.randrange(12)
        stop.link((stop, "outbox"), (par, "control"))
        stop.activate(s)
    par.activate(s)
    out.activate(s)
    s.run()
    assert s.failures == [] and s.deadlocked is None and not s.components()
    for c in kids:
        seq = [i for t, i in out.got if t == c.tag]
        assert seq == list(range(len(seq))), (c.tag, seq)
        if not stopped:
            assert len(seq) == c.n
    if not stopped:
        assert isinstance(out.control[-1], producerFinished)
