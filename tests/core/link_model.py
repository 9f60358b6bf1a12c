"""A model of link routing, and a driver of random link, unlink and stop sequences checked
against it. Portable: the pytest test (test_random_link_graphs_route_like_a_model.py) and the
MicroPython script (tests/micropython/mp_core_random_link_graphs.py) both run it.

The model is the rule in docs/design.md: a message sent from an outbox follows the one link
leaving each box it reaches (outbox -> inbox, inbox -> inbox by passthrough 1, outbox -> outbox
by passthrough 2) and lands in the inbox where the chain ends; a chain that ends in an outbox
goes nowhere. A link that is refused (a box that does not exist, a box already linked, a loop)
changes nothing. Every check sends one numbered message from every outbox of every component and
reads every inbox, so what is compared is delivery, not the kernel's tables.
"""
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

    def leaving(self, c, box, inbox):
        for lk in self.links:
            if lk[1] == c and lk[2] == box and (lk[5] == 1) == inbox:
                return lk
        return None

    def end(self, c, box, inbox):
        """Where a message at (c, box) lands: (component, inbox), None (nowhere), or "loop"."""
        seen = []
        while (c, box, inbox) not in seen:
            seen.append((c, box, inbox))
            lk = self.leaving(c, box, inbox)
            if lk is None:
                return (c, box) if inbox else None
            c, box, inbox = lk[3], lk[4], lk[5] != 2
        return "loop"

    def refusal(self, lk):
        """The exception link() must raise for lk, or None."""
        sc, sb, dc, db, pt = lk[1:]
        if sb not in (INS if pt == 1 else OUTS) or db not in (OUTS if pt == 2 else INS):
            return BoxNotFound
        if self.leaving(sc, sb, pt == 1) is not None:
            return BoxAlreadyLinked
        self.links.append(lk)
        loop = self.end(dc, db, pt != 2) == "loop"
        self.links.pop()
        return ValueError if loop else None

    def drop(self, i):
        """Forget every link that names component i (as maker, source or sink)."""
        for lk in [lk for lk in self.links if i in (lk[0], lk[1], lk[3])]:
            self.links.remove(lk)


def random_link(rng):
    pt = rng.choice((0, 0, 1, 2))
    boxes = (INS if pt == 1 else OUTS) + ("nosuch",)
    sinks = (OUTS if pt == 2 else INS) + ("nosuch",)
    return (rng.randrange(SIZE), rng.randrange(SIZE), rng.choice(boxes), rng.randrange(SIZE),
            rng.choice(sinks), pt)


def check_delivery(comps, model, step):
    expected, got = {}, {}
    n = 0
    for i in range(SIZE):
        for box in OUTS:
            n += 1
            expected[n] = model.end(i, box, False)
            comps[i].send(n, box)
    for i in range(SIZE):
        for box in INS:
            while comps[i].dataReady(box):
                got[comps[i].recv(box)] = (i, box)
    for n in expected:
        if got.get(n) != expected[n]:
            raise AssertionError("step %d: message %d landed in %r, not %r" % (
                step, n, got.get(n), expected[n]))


def run_sequence(rng, steps=120):
    """One random sequence (rng: random.Random(seed), or MicroPython's seeded random module)."""
    s = Scheduler()
    comps = [Node() for _ in range(SIZE)]
    for c in comps:
        c.activate(s)
    model = Model()
    made = {}                             # model link -> the linkage link() returned
    stopped = []
    for step in range(steps):
        op = rng.random()
        if op < 0.6:
            lk = random_link(rng)
            m, sc, sb, dc, db, pt = lk
            if m in stopped or sc in stopped or dc in stopped:
                continue                  # (linking a finished component: not modelled)
            want = model.refusal(lk)
            try:
                made[lk] = comps[m].link((comps[sc], sb), (comps[dc], db), passthrough=pt)
            except Exception as e:
                if want is None or e.__class__ is not want:
                    raise
            else:
                if want is not None:
                    raise AssertionError("step %d: %r made, not refused (%r)" % (step, lk, want))
                model.links.append(lk)
        elif op < 0.85 and model.links:
            lk = rng.choice(model.links)
            comps[rng.randrange(SIZE)].unlink(thelinkage=made.pop(lk))
            model.links.remove(lk)
        elif op < 0.9 and model.links:
            i = rng.choice(model.links)[rng.choice((0, 1, 3))]     # every link touching i goes
            comps[i].unlink(comps[i])
            model.drop(i)
        elif op >= 0.97:
            i = rng.randrange(SIZE)
            comps[i].stop()               # a finished component's links are torn down
            stopped.append(i)
            model.drop(i)
        for lk in list(made):
            if lk not in model.links:
                made.pop(lk)
        check_delivery(comps, model, step)
