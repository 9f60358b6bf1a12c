import io
import time

from core_helpers import HoldsUntilClosed, Sink, Sleeper, Source, chain, start

from microaxon import Scheduler, component, newComponent, now, producerFinished
from microaxon.introspect import snapshot


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def test_run_returns_when_every_component_has_finished(scheduler):
    src, a, sink = chain(Source("abc"), Sink(), Sink())
    start(scheduler, src, a)
    scheduler.run()
    assert scheduler.deadlocked is None
    assert scheduler.components() == []


def test_pause_with_timeout_wakes_after_the_timeout():
    s = quiet()

    class Napper(component):
        def main(self):
            t0 = now()
            self.pause(0.05)
            yield 1
            self.slept = now() - t0

    n = start(s, Napper())[0]
    s.run()
    assert n.slept >= 0.05


def test_message_arriving_between_pause_and_yield_cancels_the_pause():
    s = quiet()

    class SelfSender(component):
        def main(self):
            self.link((self, "outbox"), (self, "inbox"))
            self.pause()
            self.send("wake")               # arrives before the yield: no lost wake-up
            yield 1
            self.got = self.recv()

    c = start(s, SelfSender())[0]
    s.run()
    assert c.got == "wake" and s.deadlocked is None


def test_stale_timer_does_not_wake_a_later_pause():
    s = quiet()

    class Twice(component):
        def main(self):
            self.pause(0.02)                # timer set ...
            yield 1                         # ... but a message wakes us first
            self.recv()
            self.pause()                    # now wait for a message only
            yield 1
            self.woken_at = now()

    class Poke(component):
        def main(self):
            self.send(1)
            self.pause(0.1)
            yield 1
            self.sent_at = now()
            self.send(2)

    t, p = Twice(), Poke()
    p.link((p, "outbox"), (t, "inbox"))
    start(s, t, p)
    s.run()
    assert t.woken_at >= p.sent_at            # not woken by the old 20 ms timer


def test_deadlock_is_reported_naming_each_paused_component():
    s = quiet()
    a, b = start(s, Sleeper(), Sleeper())
    s.run()
    assert sorted(s.deadlocked) == sorted([a.name, b.name])
    assert "deadlock" in s.report.getvalue() and a.name in s.report.getvalue()


def test_paused_components_cost_nothing_per_pass():
    """With 100,000 idle components around, delivering to one visits only that one."""
    s = quiet()
    idle = [Sleeper() for _ in range(100_000)]
    start(s, *idle)
    src, sink = chain(Source(list(range(100))), Sink())
    s._loop_once = None
    start(s, src, sink)
    s.run()                                   # ends as a deadlock of the idle ones
    assert sink.got == list(range(100))
    assert max(c._steps for c in idle) == 1   # each ran once (to pause), never again
    assert len(s.deadlocked) == 100_000


def test_idle_scheduler_blocks_instead_of_spinning():
    s = quiet()

    class Wait(component):
        def main(self):
            self.pause(0.5)
            yield 1

    start(s, Wait())
    cpu0, t0 = time.process_time(), time.monotonic()
    s.run()
    cpu, wall = time.process_time() - cpu0, time.monotonic() - t0
    assert wall >= 0.5
    assert cpu < 0.2 * wall                   # a spinning loop would use ~all of it


def test_yield_newcomponent_activates_children():
    s = quiet()

    class Parent(component):
        def main(self):
            self.kid = Sink()
            self.link((self, "outbox"), (self.kid, "inbox"))
            self.link((self, "signal"), (self.kid, "control"))
            self.addChildren(self.kid)
            yield newComponent(self.kid)
            self.send("x")
            self.send(producerFinished(self), "signal")
            while not self.childrenDone():
                self.pause()
                yield 1

    p = start(s, Parent())[0]
    s.run()
    assert p.kid.got == ["x"] and p.kid.finished() and s.deadlocked is None


def test_several_schedulers_are_independent():
    s1, s2 = quiet(), quiet()
    a = start(s1, Sleeper())[0]
    src, sink = chain(Source([1]), Sink())
    start(s2, src, sink)
    s2.run()
    assert sink.got == [1] and not a.finished()
    a.stop()
    s1.run()
    assert s1.deadlocked is None


def test_snapshot_shows_components_boxes_links_and_state():
    s = quiet()

    class Holder(component):
        Capacities = {"inbox": 10}

        def main(self):
            while True:
                self.pause()
                yield 1

    h = Holder()
    src = Source([1, 2, 3])
    src.link((src, "outbox"), (h, "inbox"))
    t = start(s, h, src)
    s.run()
    del t
    snap = {d["id"]: d for d in snapshot(s)}
    d = snap[h.id]
    assert d["name"] == h.name and d["state"] == "paused"
    assert d["inboxes"]["inbox"][:2] == [3, 10]
    assert d["parent"] is None and d["children"] == []
    assert d["outboxes"]["outbox"] == [None, None, 0]
    assert d["steps"] >= 1


def test_scheduler_stop_closes_every_component_running_finally_blocks():
    s = quiet()
    closed = []

    class Stopper(component):
        def main(self):
            yield 1
            self._sched.stop()
            yield 1

    hs = start(s, HoldsUntilClosed(closed), HoldsUntilClosed(closed))
    start(s, Stopper())
    s.run()
    assert sorted(closed) == sorted(h.name for h in hs)


def test_a_component_woken_by_the_running_one_runs_next():
    s = quiet()
    order = []

    class Asker(component):
        def main(self):
            order.append("asker")
            self.send("question", "outbox")
            yield 1

    class Answerer(component):
        def main(self):
            while not self.dataReady("inbox"):
                self.pause()
                yield 1
            order.append("answerer")
            self.recv("inbox")

    class Bystander(component):
        def main(self):
            order.append("bystander")
            yield 1

    answerer = Answerer()
    asker = Asker()
    asker.link((asker, "outbox"), (answerer, "inbox"))
    start(s, answerer)
    s.run()                                    # the answerer is now paused, waiting
    start(s, asker, Bystander())               # queued: asker, then bystander
    del order[:]
    s.run()
    assert order == ["asker", "answerer", "bystander"]


def test_components_waking_each_other_for_ever_do_not_starve_the_rest():
    s = quiet()

    class PingPong(component):
        def main(self):
            while True:
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox"), "outbox")
                self.pause()
                yield 1

    a, b = PingPong(), PingPong()
    a.link((a, "outbox"), (b, "inbox"))
    b.link((b, "outbox"), (a, "inbox"))

    class Counter(component):
        def main(self):
            for _ in range(50):                # never pauses: needs 50 turns of its own
                yield 1
            a.stop()
            b.stop()

    counter = Counter()
    start(s, a, b, counter)
    a.send("ball", "outbox")
    s.run()
    assert counter.finished()
    assert a._steps + b._steps <= 3 * 50 + 10  # the pair ran at most a few times per turn of ours
