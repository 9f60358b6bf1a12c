"""Random scripts of a supervised child's lives, with a random outside shutdown: the Supervisor
restarts each failure, gives up after max_restarts failures in a row, ends with the child that
ends well, and stops when told to, whatever the order, and leaves nothing running.

Per seed: the child's lives are drawn in advance (each fails, or ends well, after 0-5 steps,
passing on what arrives meanwhile), max_restarts is 0-4, the back-off is a few milliseconds,
and at a random moment, or never, shutdownMicroprocess or producerFinished is sent to the
supervisor's control. What must hold:
- with no outside shutdown: `restarts` is the number of failures before the first good end,
  and the run raises ComponentFailed (the supervisor gave up, naming the child's last failure)
  exactly when there were more than max_restarts; else it ends, and the supervisor's signal
  says producerFinished;
- with one: the run ends (or gave up first); the supervisor is finished either way;
- every restart is announced on outbox, in order; nothing is left running or asleep.
"""
import random

import pytest
from core_helpers import Sink

from kamaelia_lite.chassis import Supervisor
from microaxon import ComponentFailed, Scheduler, component, producerFinished, shutdownMicroprocess


class Life(component):
    """One life of the child, by the script: ("fail" or "end", steps)."""

    def main(self):
        how, steps = self.script.pop(0) if self.script else ("end", 0)
        for _ in range(steps):
            while self.dataReady("inbox"):
                self.send(self.recv("inbox"), "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause(0.001)
            yield 1
        if how == "fail":
            raise RuntimeError("life failed")
        self.send(producerFinished(self), "signal")


class Later(component):
    """Sends `msg` to the supervisor's control after `steps` steps (each a 1 ms sleep)."""

    def main(self):
        for _ in range(self.steps):
            self.pause(0.001)
            yield 1
        self.send(self.msg, "outbox")


@pytest.mark.parametrize("seed", range(40))
def test_a_random_supervised_life_story_ends_as_the_rules_say(seed):
    rng = random.Random(seed)
    script = [("fail" if rng.random() < 0.6 else "end", rng.randrange(6)) for _ in range(8)]
    max_restarts = rng.randrange(5)
    s = Scheduler()
    s.report = None

    class Child(Life):
        pass
    Child.script = list(script)

    sup = Supervisor(Child, initial_backoff=0.001, max_backoff=0.004, max_restarts=max_restarts)
    out = Sink()
    sup.link((sup, "outbox"), (out, "inbox"))
    sup.link((sup, "signal"), (out, "control"))
    for c in (sup, out):
        c.activate(s)
    told = None
    if rng.random() < 0.5:
        later = Later()
        later.steps = rng.randrange(20)
        later.msg = told = shutdownMicroprocess() if rng.random() < 0.5 else producerFinished()
        later.link((later, "outbox"), (sup, "control"))
        later.activate(s)
    gave_up = False
    try:
        s.run()
    except ComponentFailed as e:
        gave_up = True
        assert sup.name in str(e) and "gave up" in str(e)
    failures_first = next((i for i, (how, _) in enumerate(script) if how == "end"), len(script))
    assert sup.finished() and not s.components() and s.deadlocked is None
    notices = [m for m in out.got if isinstance(m, tuple) and m[0] == "restarted"]
    assert [m[1] for m in notices] == list(range(1, sup.restarts + 1))
    if told is None:
        assert gave_up == (failures_first > max_restarts)
        assert sup.restarts == min(failures_first, max_restarts)
        if not gave_up:
            assert isinstance(out.control[-1], producerFinished)
    else:
        assert sup.restarts <= min(failures_first, max_restarts)
        assert not gave_up or sup.restarts == max_restarts
