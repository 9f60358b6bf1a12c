"""A Supervisor watches its child: the child's failure is restarted, not a failure of the run."""
import io

from kamaelia_lite.chassis import Supervisor
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, now, shutdownMicroprocess


def test_a_child_that_raises_is_restarted_and_the_run_does_not_stop():
    s = Scheduler()
    s.report = io.StringIO()
    made = []

    class FailsTwice(component):
        def main(self):
            made.append(1)
            yield 1
            if len(made) <= 2:
                raise RuntimeError("flaky %d" % len(made))
            self.send("done")

    class Ticker(component):
        """An unrelated component that must run to its end, not be stopped by the failures."""

        ticks = 0

        def main(self):
            t_end = now() + 0.1
            while now() < t_end:
                self.ticks += 1
                self.pause(0.005)
                yield 1

    out = Collector()
    sup = Supervisor(FailsTwice, initial_backoff=0.01)
    sup.link((sup, "outbox"), (out, "inbox"))
    sup.link((sup, "signal"), (out, "control"))
    ticker = Ticker()
    for c in (sup, out, ticker):
        c.activate(s)
    s.run()                                  # returns: no ComponentFailed
    assert len(made) == 3 and sup.restarts == 2
    assert [m[:2] for m in out.collected[:2]] == [("restarted", 1), ("restarted", 2)]
    assert out.collected[2] == "done" and out.finished()
    assert ticker.ticks >= 10                # ran its whole 0.1 s
    assert [f[0] for f in s.failures].count(sup.child.name) == 0 and len(s.failures) == 2
    assert "flaky 1" in s.report.getvalue() and "flaky 2" in s.report.getvalue()


def test_a_shutdown_during_the_back_off_ends_the_supervisor_without_counting_a_restart():
    s = Scheduler()
    s.report = io.StringIO()

    class FailsAtOnce(component):
        def main(self):
            raise RuntimeError("down")
            yield

    class StopSoon(component):
        def main(self):
            self.pause(0.05)                  # while the supervisor waits out its 10 s back-off
            yield 1
            self.send(shutdownMicroprocess(), "outbox")

    out = Collector()
    sup = Supervisor(FailsAtOnce, initial_backoff=10.0)
    stop = StopSoon()
    sup.link((sup, "outbox"), (out, "inbox"))
    sup.link((sup, "signal"), (out, "control"))
    stop.link((stop, "outbox"), (sup, "control"))
    for c in (sup, out, stop):
        c.activate(s)
    t0 = now()
    s.run()
    assert now() - t0 < 5 and sup.finished()
    assert sup.restarts == 0 and out.collected == []     # (it said 1, with no restart made)
