"""10,000 messages through 3 stages with the heap locked: a hop allocates nothing.

Under micropython.heap_lock() any allocation raises MemoryError, so this passes only if the
steady state of send/recv/pause/waitSpace and the scheduler's pass allocate nothing at all.
Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

import micropython  # noqa: E402

from microaxon import Scheduler, component, producerFinished  # noqa: E402

N = 10000
WARM = 300                     # messages before the lock: every field and ring exists by then
locked = [False]


def unlock():
    if locked[0]:
        locked[0] = False
        micropython.heap_unlock()


class Source(component):
    def main(self):
        i = 0
        while i < N:
            k = self.hasSpace("outbox")
            if k <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                continue
            while k > 0 and i < N:
                self.send(i & 63, "outbox")
                i += 1
                k -= 1
                if i == WARM:
                    locked[0] = True
                    micropython.heap_lock()
            yield 1
        while not self.dataReady("inbox"):      # finish only after the sink unlocked the heap
            self.pause()
            yield 1
        self.send(producerFinished(self), "signal")


class Stage(component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                if self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    break
                self.send(self.recv("inbox"), "outbox")
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Sink(component):
    got = 0
    total = 0

    def main(self):
        n = 0
        t = 0
        while True:
            while self.dataReady("inbox"):
                t += self.recv("inbox")
                n += 1
            if n >= N:
                break
            self.pause()
            yield 1
        unlock()
        Sink.got = n
        Sink.total = t
        self.send("done", "outbox")
        while not self.dataReady("control"):
            self.pause()
            yield 1


s = Scheduler()
cs = [Source(), Stage(), Stage(), Stage(), Sink()]
for a, b in zip(cs, cs[1:]):
    a.link((a, "outbox"), (b, "inbox"))
    a.link((a, "signal"), (b, "control"))
cs[-1].link((cs[-1], "outbox"), (cs[0], "inbox"))
for c in cs:
    c.activate(s)
try:
    s.run()
finally:
    unlock()
if Sink.got != N or s.failures:
    raise AssertionError("got %d of %d, failures %r" % (Sink.got, N, s.failures))
want = 0
for i in range(N):
    want += i & 63
if Sink.total != want:
    raise AssertionError("wrong messages")
if s.deadlocked or s.components():
    raise AssertionError("did not finish cleanly")
print("ok")
