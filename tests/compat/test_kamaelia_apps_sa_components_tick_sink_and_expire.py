"""Kamaelia.Apps.SA's components behave as documented: ticks on schedule, DataSink keeps every
message, TTL stops a component that outlives its delay, even one that ignores shutdown."""
import time

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.datasink import DataSink
from kamaelia_lite.ticks import PeriodicTick, SingleTick
from kamaelia_lite.ttl import TTL
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, component, producerFinished


def test_single_tick_sends_once_after_its_delay_then_finishes():
    s = Scheduler()
    got = Collector()
    t0 = time.monotonic()
    Pipeline(SingleTick(0.2, tick_mesg="tick"), got).run(s)
    assert got.collected == ["tick"]
    assert time.monotonic() - t0 >= 0.2


def test_periodic_tick_keeps_to_schedule_until_told_to_stop():
    s = Scheduler()
    got = Collector()
    ticker = PeriodicTick(0.05, tick_mesg=1)
    stopper = SingleTick(0.33, tick_mesg=producerFinished())
    stopper.link((stopper, "outbox"), (ticker, "control"))
    Pipeline(ticker, got).activate(s)
    stopper.activate(s)
    s.run()
    assert 5 <= len(got.collected) <= 7


def test_datasink_appends_every_message_and_passes_them_on():
    s = Scheduler()
    store, after = [], Collector()
    Pipeline(DataSource([1, 2, 3]), DataSink(store), after).run(s)
    assert store == [1, 2, 3] and after.collected == [1, 2, 3]


def test_datasink_limit_finishes_after_that_many():
    s = Scheduler()
    store = []
    Pipeline(DataSource(list(range(10))), DataSink(store, limit=4)).run(s)
    assert store == [0, 1, 2, 3]


class Stubborn(component):
    Inboxes = []
    Outboxes = []
    ran = 0

    def main(self):
        while True:                      # never looks at any box
            Stubborn.ran += 1
            self.pause(0.01)
            yield 1


def test_ttl_stops_a_component_that_ignores_shutdown_after_its_delay():
    s = Scheduler()
    t0 = time.monotonic()
    TTL(Stubborn(), 0.2).run(s)
    took = time.monotonic() - t0
    assert 0.2 <= took < 2.0 and Stubborn.ran > 3


class Polite(component):
    def main(self):
        while not self.dataReady("control"):
            self.send("x", "outbox")
            self.pause(0.05)
            yield 1
        self.send(self.recv("control"), "signal")


def test_ttl_passes_the_wrapped_components_output_through():
    s = Scheduler()
    got = Collector()
    Pipeline(TTL(Polite(), 0.3), got).run(s)
    assert got.collected and set(got.collected) == {"x"}
