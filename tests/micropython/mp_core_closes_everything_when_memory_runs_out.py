"""When memory runs out inside a component, run() still closes every component and the
operator is told which one failed.

The sink of a 5-stage pipeline first takes every free block of the heap (a chain of small
tuples: a device whose heap is exhausted), then asks for a buffer. The failure path must not
need memory to close the rest: every component's finally block runs, none is left live, and
run() raises MemoryError, the error the user needs to see. (It failed while stop() copied the
live list, and while finishing a component copied its list of links.) The report names the
component and the error although neither its name ("Greedy#5") nor the message can be
formatted: it is written in pieces that need no memory. (It was lost: naming the component
raised a second MemoryError.)
Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

import gc  # noqa: E402

from microaxon import Scheduler, component  # noqa: E402

closed = [0]                   # finally blocks run (a small int in a list: no allocation)
hog = [None]                   # what holds the heap while it is full


class Source(component):
    def main(self):
        try:
            i = 0
            while True:
                if self.hasSpace("outbox") > 0:
                    self.send(i & 63, "outbox")
                    i += 1
                else:
                    self.waitSpace("outbox")
                    self.pause()
                yield 1
        finally:
            closed[0] += 1


class Stage(component):
    def main(self):
        try:
            while True:
                while self.dataReady("inbox") and self.hasSpace("outbox") > 0:
                    self.send(self.recv("inbox"), "outbox")
                if self.dataReady("inbox"):
                    self.waitSpace("outbox")
                self.pause()
                yield 1
        finally:
            closed[0] += 1


class Greedy(component):
    # the sink: after 300 messages it wants a buffer, and there is no heap left
    def main(self):
        n = 0
        try:
            while True:
                while self.dataReady("inbox"):
                    self.recv("inbox")
                    n += 1
                if n >= 300:
                    h = None
                    try:
                        while True:          # one-block tuples fill every hole
                            h = (h,)
                    except MemoryError:
                        pass
                    hog[0] = h
                    bytearray(256)
                self.pause()
                yield 1
        finally:
            closed[0] += 1


REPORT = "/tmp/microaxon-mp-oom-report.txt"
s = Scheduler()
s.report = open(REPORT, "w")   # where the operator reads failures (opened while memory lasts)
cs = [Source(), Stage(), Stage(), Stage(), Greedy()]
for a, b in zip(cs, cs[1:]):
    a.link((a, "outbox"), (b, "inbox"))
    a.link((a, "signal"), (b, "control"))
raised = None
for c in cs:
    c.activate(s)
try:
    s.run()
except MemoryError as e:
    raised = e
full = hog[0] is not None
hog[0] = None
gc.collect()
if not full:
    raise AssertionError("the sink never ran out of memory")
if not isinstance(raised, MemoryError):
    raise AssertionError("run() should raise the MemoryError, got %r" % (raised,))
if closed[0] != len(cs):
    raise AssertionError("%d of %d finally blocks ran" % (closed[0], len(cs)))
if s.components():
    raise AssertionError("left live: %r" % (s.components(),))
s.report.close()
with open(REPORT) as f:
    said = f.read()
if "microaxon: component Greedy" not in said or "failed: MemoryError" not in said:
    raise AssertionError("the operator was not told: %r" % said)
print("ok")
