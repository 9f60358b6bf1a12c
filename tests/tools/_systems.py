"""Real running systems for the introspection tests (no mocks: real components, real links)."""
from microaxon import Scheduler, component
from microaxon.introspect import snapshot


class SnapshotAfter(component):
    """Waits ``seconds``, stores ``snapshot(scheduler)`` in ``.snapshot``, stops the scheduler."""

    seconds = 0.3

    def main(self):
        self.pause(self.seconds)
        yield 1
        while self.dataReady("control"):
            self.recv("control")
        self.snapshot = snapshot(self._sched)
        self._sched.stop()
        yield 1


def snapshot_of(system, seconds=0.3, extra=()):
    """Run ``system`` (and ``extra`` components) in a fresh scheduler for ``seconds``; the snapshot."""
    sched = Scheduler()
    system.activate(sched)
    for c in extra:
        c.activate(sched)
    taker = SnapshotAfter(seconds=seconds).activate(sched)
    sched.run()
    return taker.snapshot
