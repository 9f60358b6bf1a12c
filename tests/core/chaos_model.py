"""Random components that send, take, sleep, wait for room, stop each other, fail and finish, in
a random graph, run to the end and checked. Portable: the pytest test (test_random_failures_
are_contained_and_reported.py) and the MicroPython script (tests/micropython/mp_core_random_
failures.py) both run it.

Each component takes at most STEPS steps. In a step it takes what arrived, and then, by a draw
from the seeded generator: sends one numbered message (or waits for room), sleeps on a short
timer, pauses until a message, turns without pausing, stops another component, raises,
returns, links its outbox elsewhere, stops taking messages for good (a stuck consumer), or
takes a snapshot of the whole world (microaxon.introspect), which must see it running. Some are children of others; some fail as they are
closed by stop(). Half of them have an onFinish hook (a watcher); a few hooks raise. What must
hold (docs/design.md, rule 6):
- run() returns, or raises ComponentFailed; never anything else, and it never hangs;
- it raises ComponentFailed exactly when a component with no hook raised, or a hook raised;
  every component is then finished, each finally block run once;
- when it returns, every component is finished, or else the deadlock report names exactly
  those still live, and each of them sleeps for a reason: waiting for room it does not have,
  or for a message when none arrived since (never on a timer, never runnable); a finished component's finally block ran once (if it had started), a live
  one's not at all;
- every failure is in scheduler.failures, with its component's name; a failed component's
  .failure is its exception; a hook is called once, with its component, when it finishes;
  a parent that fails in a step has its children stopped;
- a receiver gets each sender's messages in order, none twice.
"""
from microaxon import ComponentFailed, Scheduler, component
from microaxon.introspect import snapshot

STEPS = 25


class Boom(Exception):
    pass


class Chaos(component):
    Inboxes = {"inbox": "", "control": ""}
    Outboxes = {"outbox": "", "signal": ""}

    def __init__(self, k, world):
        super().__init__(Capacities={"inbox": 1 + world.rng.randrange(3), "control": 8})
        self.k, self.world = k, world
        self.closed = 0
        self.got = []
        self.raised = None
        self.started = False
        self.bad_close = world.rng.random() < 0.1
        self.waiting = None                # what its last pause waits for
        self.had = 0                       # messages waiting when it paused for one
        self.holding = False

    def main(self):
        w, rng = self.world, self.world.rng
        n = 0
        self.started = True              # (a generator closed before it starts runs no finally)
        try:
            for _ in range(STEPS):
                while self.dataReady("inbox") and not self.holding:
                    self.got.append(self.recv("inbox"))
                while self.dataReady("control"):
                    self.recv("control")
                if rng.random() < 0.02:
                    self.holding = True       # from now on it takes nothing (a stuck consumer)
                r = rng.random()
                self.waiting = None
                if r < 0.35:
                    if self.hasSpace("outbox") > 0:
                        self.send((self.k, n), "outbox")
                        n += 1
                    else:
                        self.waitSpace("outbox")
                        self.pause()
                        self.waiting = "room"
                elif r < 0.5:
                    self.pause(0.0002 * rng.randrange(4))
                    self.waiting = "timer"
                elif r < 0.52:
                    self.pause()              # (until a message; may be the end of it: deadlock)
                    self.waiting = "message"
                    self.had = self.dataReady("inbox") + self.dataReady("control")
                elif r < 0.54:
                    other = w.comps[rng.randrange(len(w.comps))]
                    if other is not self:
                        other.stop()
                elif r < 0.555:
                    self.raised = Boom("component %d failed" % self.k)
                    raise self.raised
                elif r < 0.58:
                    return
                elif r < 0.59:
                    w.snapshots += 1              # introspection sees the world half-way through
                    for row in snapshot(self._sched):
                        if row["name"] == self.name and row["state"] != "running":
                            raise AssertionError("%s sees itself %r" % (self.name, row["state"]))
                elif r < 0.6 and self.k + 1 < len(w.comps):      # relink my outbox further on
                    self.unlink(self)                             # (forwards: never a loop)
                    j = self.k + 1 + rng.randrange(len(w.comps) - self.k - 1)
                    self.link((self, "outbox"), (w.comps[j], "inbox"))
                yield 1
        except GeneratorExit:
            if self.bad_close and not w.over:    # closed by stop(): it fails as it closes (not
                # when a deadlocked world is collected after the checks)
                self.raised = Boom("component %d failed as it closed" % self.k)
                raise self.raised from None
            raise
        finally:
            self.closed += 1


class World:
    def __init__(self, rng):
        self.rng = rng
        self.comps = []
        self.hooked = {}                   # k -> calls of its hook
        self.bad_hooks = []                # k of hooks that raise
        self.hook_failed = False
        self.over = False
        self.snapshots = 0


def build(rng, size):
    w = World(rng)
    s = Scheduler()
    s.report = None                        # (the failures list is read instead)
    w.comps = [Chaos(k, w) for k in range(size)]
    for k in range(size):                  # a random graph without loops: links go forwards
        if k + 1 < size and rng.random() < 0.8:
            j = k + 1 + rng.randrange(size - k - 1)
            a, b = w.comps[k], w.comps[j]
            a.link((a, "outbox"), (b, "inbox"))
            a.link((a, "signal"), (b, "control"))
        if k > 0 and rng.random() < 0.3:       # a child of an earlier component
            w.comps[rng.randrange(k)].addChildren(w.comps[k])
    for c in w.comps:
        if rng.random() < 0.5:
            w.hooked[c.k] = 0
            if rng.random() < 0.1:
                w.bad_hooks.append(c.k)
            c.onFinish(hook(w))
    for c in w.comps:
        c.activate(s)
    return s, w


def hook(w):
    def finished(c):
        w.hooked[c.k] += 1
        if c.k in w.bad_hooks:
            w.hook_failed = True
            raise Boom("hook of %d failed" % c.k)
    return finished


def run_chaos(rng, size=6):
    """Build, run and check one random world; returns what happened, in a word."""
    s, w = build(rng, size)
    outcome = "returned"
    try:
        s.run()
    except ComponentFailed:
        outcome = "failed"
    failed = [c for c in w.comps if c.raised is not None]
    unwatched = [c for c in failed if c.k not in w.hooked]
    if (outcome == "failed") != (len(unwatched) > 0 or w.hook_failed):
        raise AssertionError("run() %s; unwatched failures %r, a hook failed: %r" % (
            outcome, [c.name for c in unwatched], w.hook_failed))
    live = sorted([c.name for c in w.comps if not c.finished()])
    if outcome == "failed" and live:
        raise AssertionError("run() raised but left %r live" % live)
    if live and sorted(s.deadlocked or []) != live:
        raise AssertionError("live %r, the deadlock report says %r" % (live, s.deadlocked))
    for c in w.comps:                      # each one left asleep has nothing that would wake it
        if c.finished():
            continue
        if c.waiting == "room" and c.hasSpace("outbox") > 0:
            raise AssertionError("%s sleeps waiting for room it has" % c.name)
        if c.waiting == "message" and c.dataReady("inbox") + c.dataReady("control") > c.had:
            raise AssertionError("%s sleeps, though messages arrived" % c.name)
        if c.waiting not in ("room", "message"):
            raise AssertionError("%s is stuck, waiting for %r" % (c.name, c.waiting))
    names = [f[0] for f in s.failures]
    for c in w.comps:
        if c.closed != (1 if c.finished() and c.started else 0):
            raise AssertionError("%s: finally ran %d times, finished: %r" % (
                c.name, c.closed, c.finished()))
        if c.raised is not None and (c.failure is not c.raised or c.name not in names):
            raise AssertionError("%s raised %r: failure %r, reported %r" % (
                c.name, c.raised, c.failure, names))
        if c.raised is None and c.failure is not None:
            raise AssertionError("%s did not raise, but its failure is %r" % (c.name, c.failure))
        if c.k in w.hooked and w.hooked[c.k] != (1 if c.finished() else 0):
            raise AssertionError("%s: hook called %d times, finished: %r" % (
                c.name, w.hooked[c.k], c.finished()))
        if c.raised is not None and not c.bad_close and c.raised is c.failure:
            for ch in c.childComponents():        # a failed parent's children are stopped
                if not ch.finished():
                    raise AssertionError("%s failed, its child %s lives" % (c.name, ch.name))
        last = {}
        for k, n in c.got:
            if n <= last.get(k, -1):
                raise AssertionError("%s got %r after %r from %d" % (c.name, n, last[k], k))
            last[k] = n
    w.over = True
    return outcome if not live else "deadlock"
