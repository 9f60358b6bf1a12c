import io

import pytest

from kamaelia_lite.chassis import (
    PAR,
    Backplane,
    Carousel,
    Graphline,
    Pipeline,
    PublishTo,
    SubscribeTo,
    Supervisor,
)
from kamaelia_lite.util import Collector, DataSource, PureTransformer
from microaxon import ComponentFailed, Scheduler, component, producerFinished, shutdownMicroprocess


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def test_pipeline_runs_to_completion_and_passes_shutdown_along():
    s = quiet()
    out = Collector()
    p = Pipeline(DataSource(range(300)), PureTransformer(lambda x: x + 1), out)
    p.run(s)
    assert out.collected == list(range(1, 301))
    assert p.finished() and s.deadlocked is None and s.components() == []


def test_nested_pipeline_boxes_pass_through():
    s = quiet()
    out = Collector()
    inner = Pipeline(PureTransformer(lambda x: x * 10), PureTransformer(lambda x: x + 1))
    Pipeline(DataSource([1, 2, 3]), inner, out).run(s)
    assert out.collected == [11, 21, 31]


def test_graphline_wires_named_children_and_self_boxes():
    s = quiet()
    out = Collector()
    g = Graphline(
        UP=PureTransformer(lambda x: x.upper()),
        REV=PureTransformer(lambda x: x[::-1]),
        linkages={("self", "inbox"): ("UP", "inbox"), ("UP", "outbox"): ("REV", "inbox"),
                  ("REV", "outbox"): ("self", "outbox"), ("self", "control"): ("UP", "control"),
                  ("UP", "signal"): ("REV", "control"), ("REV", "signal"): ("self", "signal")})
    Pipeline(DataSource(["abc", "xy"]), g, out).run(s)
    assert out.collected == ["CBA", "YX"] and s.deadlocked is None


def test_graphline_forwards_unwired_control_to_children_and_signals_when_done():
    s = quiet()
    a, b = Collector(), Collector()
    g = Graphline(A=a, B=b, linkages={})
    sig = Collector()
    g.link((g, "signal"), (sig, "inbox"))
    src = DataSource([])
    src.link((src, "signal"), (g, "control"))
    for c in (g, sig, src):
        c.activate(s)
    s.run()
    assert a.finished() and b.finished()
    assert isinstance(sig.collected[0], producerFinished)


def test_par_merges_outputs_and_shuts_all_down():
    s = quiet()
    out = Collector()
    Pipeline(PAR(DataSource([1, 2]), DataSource([3, 4])), out).run(s)
    assert sorted(out.collected) == [1, 2, 3, 4] and s.deadlocked is None


def test_par_passes_shutdown_to_every_child():
    s = quiet()
    a, b = Collector(), Collector()
    par = PAR(a, b)
    stopper = component()
    stopper.link((stopper, "signal"), (par, "control"))
    par.activate(s)
    stopper.send(shutdownMicroprocess(), "signal")
    s.run()
    assert a.finished() and b.finished() and par.finished()


class OnRequest(component):
    """Sends the next item each time "NEXT" arrives; producerFinished after the last."""

    def __init__(self, items, **argd):
        super().__init__(**argd)
        self.items = list(items)

    def main(self):
        self.send(self.items.pop(0))
        while True:
            while self.dataReady():
                self.recv()
                if self.items:
                    self.send(self.items.pop(0))
                else:
                    self.send(producerFinished(self), "signal")
                    return
            self.pause()
            yield 1


def test_carousel_makes_a_child_per_next_message_and_requests_more():
    s = quiet()
    out = Collector()
    car = Carousel(lambda word: DataSource([word, word * 2]))
    g = Graphline(F=OnRequest(["a", "b", "c"]), C=car, O=out,
                  linkages={("F", "outbox"): ("C", "next"), ("F", "signal"): ("C", "control"),
                            ("C", "outbox"): ("O", "inbox"), ("C", "signal"): ("O", "control"),
                            ("C", "requestNext"): ("F", "inbox")})
    g.run(s)
    assert out.collected == ["a", "aa", "b", "bb", "c", "cc"]
    assert s.deadlocked is None and car.finished()


def test_carousel_replaces_a_running_child_when_next_arrives_early():
    s = quiet()
    out = Collector()
    made = []

    def factory(word):
        made.append(word)
        return Collector()

    car = Carousel(factory)
    feeder = DataSource(["a", "b"])
    g = Graphline(F=feeder, C=car, O=out,
                  linkages={("F", "outbox"): ("C", "next"), ("F", "signal"): ("C", "control"),
                            ("C", "signal"): ("O", "control")})
    g.run(s)
    assert made == ["a", "b"] and s.deadlocked is None


def test_backplane_delivers_every_publication_to_every_subscriber():
    s = quiet()
    got1, got2 = Collector(), Collector()
    bp = Backplane("NEWS-1")
    subs = [Pipeline(SubscribeTo("NEWS-1"), got1), Pipeline(SubscribeTo("NEWS-1"), got2)]

    class Publish(component):
        def main(self):
            while len(bp.subscribers) < 2:    # wait until both have subscribed
                self.pause(0.005)
                yield 1
            self.send("x")
            self.send("y")
            self.send(producerFinished(self), "signal")
            yield 1

    pub = Pipeline(Publish(), PublishTo("NEWS-1"))
    stop = component()
    stop.link((stop, "signal"), (bp, "control"))

    class StopLater(component):
        def main(self):
            while len(got1.collected) < 2 or len(got2.collected) < 2:
                self.pause(0.005)
                yield 1
            stop.send(shutdownMicroprocess(), "signal")

    for c in [bp, pub, StopLater()] + subs:
        c.activate(s)
    s.run()
    assert got1.collected == ["x", "y"] and got2.collected == ["x", "y"]
    assert bp.finished() and all(p.finished() for p in subs)


def test_supervisor_restarts_a_failing_child_with_backoff_then_gives_up():
    s = quiet()
    made = []

    class Flaky(component):
        def main(self):
            made.append(1)
            yield 1
            raise RuntimeError("flaky")

    notices = Collector()
    sup = Supervisor(Flaky, initial_backoff=0.01, max_restarts=3)
    sup.link((sup, "outbox"), (notices, "inbox"))
    sig = Collector()
    sup.link((sup, "signal"), (sig, "inbox"))
    for c in (sup, notices, sig):
        c.activate(s)
    with pytest.raises(ComponentFailed) as ei:     # giving up is the supervisor's own failure
        s.run()
    assert len(made) == 4                          # first run + 3 restarts
    assert [n[1] for n in notices.collected] == [1, 2, 3]
    told = sig.collected + list(sig.Inbox())       # (the run stopped before it could read it)
    assert isinstance(told[0], shutdownMicroprocess)
    assert len(s.failures) == 5                    # 4 of the child's (handled), 1 of its own
    assert [f[0] for f in ei.value.failures] == [sup.name] and "flaky" in str(ei.value)


def test_supervisor_passes_shutdown_to_a_healthy_child():
    s = quiet()
    kid = []

    def make():
        kid.append(Collector())
        return kid[-1]

    sup = Supervisor(make)
    src = DataSource([])
    src.link((src, "signal"), (sup, "control"))
    sup.activate(s)
    src.activate(s)
    s.run()
    assert kid[0].finished() and sup.finished() and len(kid) == 1
