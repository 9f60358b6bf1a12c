"""The core's 10-stage pipeline, shaped like the anchors: a source emitting N small ints
(respecting a full box), 10 pass-through stages written with per-message recv/send (as much as
the next box has room for, waiting for space when it is full), a sink counting. Prints `microaxon-pipeline HOPS_PER_S`. Runs under CPython and MicroPython."""
import sys
import time

_parts = __file__.split("/")[:-3]          # the repository root, also under MicroPython
sys.path.insert(0, "/".join(_parts) if _parts else ".")

from microaxon import Scheduler, component, producerFinished  # noqa: E402

N, STAGES = 100_000 if sys.implementation.name != "micropython" else 20_000, 10


class Source(component):
    def main(self):
        i = 0
        n = N
        while i < n:
            k = self.hasSpace("outbox")
            if not k:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                continue
            if k > 32:
                k = 32
            while k and i < n:
                self.send(i & 63, "outbox")
                i += 1
                k -= 1
            yield 1
        self.send(producerFinished(self), "signal")


class Pass(component):
    def main(self):
        while True:
            n = self.dataReady("inbox")
            if n:                            # as much as the next box has room for
                k = self.hasSpace("outbox")
                if k < n:
                    n = k
                    self.waitSpace("outbox")
                while n:
                    self.send(self.recv("inbox"), "outbox")
                    n -= 1
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Sink(component):
    count = 0

    def main(self):
        n = 0
        while True:
            while self.dataReady("inbox"):
                self.recv("inbox")
                n += 1
            if self.dataReady("control"):
                Sink.count = n
                return
            self.pause()
            yield 1


def once():
    s = Scheduler()
    cs = [Source()] + [Pass() for _ in range(STAGES)] + [Sink()]
    for a, b in zip(cs, cs[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    for c in cs:
        c.activate(s)
    t = time.perf_counter() if hasattr(time, "perf_counter") else None
    if t is None:
        t0 = time.ticks_us()
    s.run()
    dt = (time.perf_counter() - t) if t is not None else time.ticks_diff(time.ticks_us(), t0) / 1e6
    assert Sink.count == N, Sink.count
    return N * (STAGES + 1) / dt


if __name__ == "__main__":
    print("microaxon-pipeline", "%.0f" % max(once() for _ in range(3)))
