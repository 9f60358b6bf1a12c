"""Random components that sleep on short timers, send each other messages and turn without
pausing, checked on every wake. Portable: the pytest test (test_random_timers_never_wake_a_
sleeper_early.py) and the MicroPython script (tests/micropython/mp_core_random_timers.py) both
run it.

Each component is linked in a ring to the next and takes STEPS steps. In a step it takes what
arrived, then by a draw: sleeps on a timer of 1-8 ms (a message may end the sleep early), sends
the next one a message, or turns without pausing. What must hold:
- a sleeper woken before its deadline (by microaxon's own clock) has a message: a timer never
  fires early, and the timer of a sleep a message ended never ends a later one;
- every timer fires: the run ends with every component finished, no deadlock report;
- each component gets every message sent to it while it lives (later ones are counted as
  dropped by the sender).
"""
from microaxon import Scheduler, component, now

STEPS = 40


class Sleeper(component):
    def __init__(self, k, rng):
        super().__init__()
        self.k, self.rng = k, rng
        self.got = 0
        self.sent = 0
        self.early = []                    # (step, how early) of wakes before the deadline
        self.timers = 0

    def main(self):
        rng = self.rng
        for step in range(STEPS):
            while self.dataReady("inbox"):
                self.recv("inbox")
                self.got += 1
            r = rng.random()
            if r < 0.6:
                deadline = now() + 0.001 * (1 + rng.randrange(8))
                self.pause(deadline - now())
                self.timers += 1
                yield 1
                if now() < deadline and not self.dataReady("inbox"):
                    self.early.append((step, deadline - now()))
                continue
            if r < 0.85 and self.hasSpace("outbox") > 0:
                self.send(step, "outbox")
                self.sent += 1
            yield 1
        while self.dataReady("inbox"):
            self.recv("inbox")
            self.got += 1


def run_timers(rng, size=5):
    """Build a ring of `size` sleepers, run it, check every wake; returns the timers slept on."""
    s = Scheduler()
    cs = [Sleeper(k, rng) for k in range(size)]
    for a, b in zip(cs, cs[1:] + cs[:1]):
        a.link((a, "outbox"), (b, "inbox"))
    for c in cs:
        c.activate(s)
    s.run()
    if s.deadlocked is not None:
        raise AssertionError("deadlock: %r" % (s.deadlocked,))
    timers = 0
    for a in cs:
        if a.early:
            raise AssertionError("%s woke before its deadline with no message: %r" % (
                a.name, a.early))
        if not a.finished():
            raise AssertionError("%s did not finish" % a.name)
        timers += a.timers
    got = sum(c.got for c in cs)
    sent = sum(c.sent for c in cs)
    dropped = sum(c.drops().get("outbox", 0) for c in cs)      # (sent after the next finished)
    if got + dropped != sent:
        raise AssertionError("sent %d, got %d, dropped %d" % (sent, got, dropped))
    return timers
