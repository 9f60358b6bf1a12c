"""Random networks of sources, relays and sinks, run to the end and checked: what each sink
receives from each source. Portable: the pytest test (test_random_networks_deliver_every_
message_and_end.py) and the MicroPython script (tests/micropython/mp_core_random_networks.py)
both run it.

A network is built at random from a seed: each source feeds a chain of relays that may merge
into another chain (fan-in: several outboxes linked to one inbox) and ends in a sink. Boxes get
1-4 slots and a random mode: bounded (senders wait for room with waitSpace, or with
waitSpace(taken=True)), "grow" (to a limit no run reaches) or "lossy". Components also pause on
short timers, wait for room that may be there already, and take steps that do nothing. What must hold:
- run() returns (nothing waits forever, no deadlock is reported, nothing fails);
- a sink gets every message of every source upstream of it, each source's in order; through a
  lossy box, an in-order subsequence, and the box's drop count says how many are missing.
"""
from microaxon import Scheduler, component, producerFinished

M = 30                                   # messages per source


class Stage(component):
    """Shared by the three kinds: forward what arrives, holding back while the next box is full."""
    Inboxes = {"inbox": "", "control": ""}
    upstream = 1                          # producerFinished messages to wait for
    rng = None

    def jitter(self):
        """Now and then a short timer, a wait for room there may be already (it must end at
        once then), or a step that does nothing (pause() is skipped). True: yield now."""
        r = self.rng.random()
        if r < 0.05:
            self.pause(0.0005)
        elif r < 0.1:
            self.waitSpace("outbox")
            self.pause()
        return r < 0.15

    def forward(self, msg):
        """Send msg on; False (and a wait for room) if the next box is full."""
        if self.hasSpace("outbox") <= 0:
            self.waitSpace("outbox", self.rng.random() < 0.3)
            return False
        self.send(msg, "outbox")
        return True


class Source(Stage):
    def __init__(self, tag, rng):
        super().__init__()
        self.tag, self.rng = tag, rng

    def main(self):
        j = 0
        while j < M:
            if self.jitter():
                yield 1
                continue
            if self.forward((self.tag, j)):
                j += 1
                continue
            self.pause()
            yield 1
        self.send(producerFinished(self), "signal")


class Relay(Stage):
    def __init__(self, rng, slots):
        super().__init__(Capacities={"inbox": slots, "control": 8})
        self.rng = rng
        self.got = []

    def take(self):
        """Pass on what arrived, while there is room; True if it was all passed on."""
        while self.dataReady("inbox"):
            if not self.forward(self.getInbox("inbox").q[0]):
                return False
            self.recv("inbox")
        return True

    def main(self):
        ended = 0
        while True:
            if self.jitter():
                yield 1
                continue
            drained = self.take()
            while self.dataReady("control"):
                self.recv("control")
                ended += 1
            if ended == self.upstream and drained and not self.dataReady("inbox"):
                self.send(producerFinished(self), "signal")
                return
            self.pause()
            yield 1


class Sink(Relay):
    def forward(self, msg):
        self.got.append(msg)
        return True


def build(rng):
    """A random network: (scheduler, components, sinks, {stage: tags of the sources upstream})."""
    s = Scheduler()
    comps, sinks, feeds, chains = [], [], {}, []
    for tag in range(1 + rng.randrange(4)):
        prev = Source(tag, rng)
        comps.append(prev)
        merge = chains and rng.random() < 0.5          # into a stage of another chain (fan-in)
        stages = []
        for _ in range(rng.randrange(4)):
            r = Relay(rng, 1 + rng.randrange(4))
            stages.append(r)
            link(prev, r, rng)
            prev = r
        if merge:
            into = rng.choice(chains)
            k = rng.randrange(len(into))
            into[k].upstream += 1
            link(prev, into[k], rng)
            stages += into[k:]
        else:
            sink = Sink(rng, 1 + rng.randrange(4))
            sinks.append(sink)
            link(prev, sink, rng)
            stages.append(sink)
            chains.append(stages)
        comps += [c for c in stages if c not in comps]
        for st in stages:
            feeds.setdefault(st, []).append(tag)
    for c in comps:
        c.activate(s)
    return s, comps, sinks, feeds


def link(a, b, rng):
    """Link a's outbox to b's inbox in a random mode, and a's signal to b's control."""
    r = rng.random()
    mode = None if r < 0.6 else "grow" if r < 0.8 else "lossy"
    a.link((a, "outbox"), (b, "inbox"), mode=mode, limit=10 * M if mode == "grow" else None)
    a.link((a, "signal"), (b, "control"))


def run_network(rng):
    """Build one random network, run it, check every sink. Returns the messages delivered."""
    s, comps, sinks, feeds = build(rng)
    s.run()
    dropped = delivered = 0
    for c in comps:
        if c.failure is not None:
            raise AssertionError("%s failed: %r" % (c.name, c.failure))
        if not c.finished():
            raise AssertionError("%s did not finish" % c.name)
        b = c.getInbox("inbox")
        if b.drops and b.mode != "lossy":
            raise AssertionError("%s dropped %d in mode %r" % (c.name, b.drops, b.mode))
        dropped += b.drops
    for sink in sinks:
        for tag in feeds[sink]:
            seq = [j for t, j in sink.got if t == tag]
            if seq != sorted(seq) or len(set(seq)) != len(seq):
                raise AssertionError("%s: source %d out of order or repeated: %r" % (sink.name, tag, seq))
            delivered += len(seq)
    sent = M * sum(len(feeds[k]) for k in sinks)
    if delivered + dropped != sent:
        raise AssertionError("sent %d, delivered %d, dropped %d" % (sent, delivered, dropped))
    return delivered
