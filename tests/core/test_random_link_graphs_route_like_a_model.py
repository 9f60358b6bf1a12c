"""Random sequences of link, unlink and stop, checked after every step against a model.

The model is the rule in docs/design.md: a message sent from an outbox follows the one link
leaving each box it reaches (outbox -> inbox, inbox -> inbox by passthrough 1, outbox -> outbox
by passthrough 2) and lands in the inbox where the chain ends; a chain that ends in an outbox
goes nowhere. A link that is refused (a box that does not exist, a box already linked, a cycle)
changes nothing. Every check sends one numbered message from every outbox of every component and
reads every inbox, so what is compared is delivery, not the kernel's tables.
"""
import random

import pytest

from microaxon import BoxAlreadyLinked, BoxNotFound, Scheduler, component

INS = ("inbox", "control", "both")       # "both" is an inbox and an outbox: separate namespaces
OUTS = ("outbox", "signal", "both")
SIZE = 6


class Node(component):
    Inboxes = dict((n, "") for n in INS)
    Outboxes = dict((n, "") for n in OUTS)
    Capacities = dict((n, 64) for n in INS)


class Model:
    """Links as (maker, source, source box, sink, sink box, passthrough), by component index."""

    def __init__(self):
        self.links = []
        self.stopped = set()

    def leaving(self, c, box, inbox):
        for lk in self.links:
            if lk[1] == c and lk[2] == box and (lk[5] == 1) == inbox:
                return lk
        return None

    def end(self, c, box, inbox):
        """Where a message at (c, box) lands: (component, inbox), None (nowhere), or "cycle"."""
        seen = set()
        while (c, box, inbox) not in seen:
            seen.add((c, box, inbox))
            lk = self.leaving(c, box, inbox)
            if lk is None:
                return (c, box) if inbox else None
            c, box, inbox = lk[3], lk[4], lk[5] != 2
        return "cycle"

    def refusal(self, lk):
        """The exception link() must raise for lk, or None."""
        _, sc, sb, dc, db, pt = lk
        if sb not in (INS if pt == 1 else OUTS) or db not in (OUTS if pt == 2 else INS):
            return BoxNotFound
        if self.leaving(sc, sb, pt == 1) is not None:
            return BoxAlreadyLinked
        self.links.append(lk)
        cycle = self.end(dc, db, pt != 2) == "cycle"
        self.links.pop()
        return ValueError if cycle else None


def random_link(rng):
    pt = rng.choice((0, 0, 1, 2))
    boxes = INS + ("nosuch",) if pt == 1 else OUTS + ("nosuch",)
    sinks = OUTS + ("nosuch",) if pt == 2 else INS + ("nosuch",)
    return (rng.randrange(SIZE), rng.randrange(SIZE), rng.choice(boxes), rng.randrange(SIZE),
            rng.choice(sinks), pt)


def check_delivery(comps, model, step):
    expected, got = {}, {}
    n = 0
    for i, c in enumerate(comps):
        for box in OUTS:
            n += 1
            expected[n] = model.end(i, box, False)
            c.send(n, box)
    for i, c in enumerate(comps):
        for box in INS:
            while c.dataReady(box):
                got[c.recv(box)] = (i, box)
    for n, where in expected.items():
        assert got.get(n) == where, "step %d: message %d landed in %r, not %r" % (
            step, n, got.get(n), where)


@pytest.mark.parametrize("seed", range(40))
def test_random_link_unlink_and_stop_sequences_deliver_as_the_model_says(seed):
    rng = random.Random(seed)
    s = Scheduler()
    comps = [Node() for _ in range(SIZE)]
    for c in comps:
        c.activate(s)
    model = Model()
    made = {}                             # model link -> the linkage link() returned
    for step in range(120):
        op = rng.random()
        if op < 0.6:
            lk = random_link(rng)
            m, sc, sb, dc, db, pt = lk
            want = model.refusal(lk)
            if lk[0] in model.stopped or lk[1] in model.stopped or lk[3] in model.stopped:
                continue                  # (linking a finished component: not modelled)
            if want is None:
                made[lk] = comps[m].link((comps[sc], sb), (comps[dc], db), passthrough=pt)
                model.links.append(lk)
            else:
                with pytest.raises(want):
                    comps[m].link((comps[sc], sb), (comps[dc], db), passthrough=pt)
        elif op < 0.85 and model.links:
            lk = rng.choice(model.links)
            comps[rng.randrange(SIZE)].unlink(thelinkage=made.pop(lk))
            model.links.remove(lk)
        elif op < 0.9 and model.links:
            i = rng.choice(model.links)[rng.choice((0, 1, 3))]     # every link touching i goes
            comps[i].unlink(comps[i])
            for lk in [lk for lk in model.links if i in (lk[0], lk[1], lk[3])]:
                model.links.remove(lk)
                made.pop(lk)
        elif op >= 0.97:
            i = rng.randrange(SIZE)
            comps[i].stop()               # a finished component's links are torn down
            model.stopped.add(i)
            for lk in [lk for lk in model.links if i in (lk[0], lk[1], lk[3])]:
                model.links.remove(lk)
                made.pop(lk)
        check_delivery(comps, model, step)
