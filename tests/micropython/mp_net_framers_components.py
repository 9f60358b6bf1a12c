"""The framing *components* (LineSplitter, LineJoiner, Deframer) on the microaxon core under the
real micropython binary: lines survive arbitrary re-chunking, an oversized line is reported on
the errors outbox, a fatal frame error ends the chain with framingFailed. Runs from source in a
256 KiB heap (core + framing + framers compiled on the device); frozen .mpy needs far less.
Plain script: raises on failure, prints ok.
"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.net.framing import FrameTooLarge, LineTooLong, encode_length_prefixed  # noqa: E402
from kamaelia_lite.net.framing_components import Deframer, LineJoiner, LineSplitter, framingFailed  # noqa: E402
from microaxon import Scheduler, component, producerFinished  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class Source(component):
    def __init__(self, items, **argd):
        super().__init__(**argd)
        self.items = items

    def main(self):
        for x in self.items:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(x, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")


class Sink(component):
    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []
        self.ended = None

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if self.dataReady("control"):
                self.ended = self.recv("control")
                return
            self.pause()
            yield 1


def chain(sched, *cs):
    for a, b in zip(cs[:-1], cs[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    for c in cs:
        c.activate(sched)


# lines: joiner -> re-cut into 5-byte pieces -> splitter
lines = [b"alpha", b"", b"a much longer line of text", b"z"] * 10
stream = b"".join(x + b"\n" for x in lines)
pieces = [stream[i:i + 5] for i in range(0, len(stream), 5)]
s = Scheduler()
sink = Sink()
chain(s, Source(pieces), LineSplitter(max_line=64), sink)
s.run()
check(sink.got == lines, sink.got[:5])
check(isinstance(sink.ended, producerFinished), sink.ended)

s = Scheduler()
sink = Sink()
chain(s, Source([b"ok", "text"]), LineJoiner(), sink)
s.run()
check(sink.got == [b"ok\n", b"text\n"], sink.got)

# an oversized line goes to errors; the next line still arrives
s = Scheduler()
sink = Sink()
errs = Sink()
split = LineSplitter(max_line=8, quiet=True)
split.link((split, "errors"), (errs, "inbox"))
chain(s, Source([b"x" * 40 + b"\nfine\n"]), split, sink)
errs.activate(s)


class CloseErrorsWhenDone(component):
    def main(self):
        while not sink.finished():
            self.pause(0.01)
            yield 1
        self.send(producerFinished(self), "outbox")


closer = CloseErrorsWhenDone()
closer.link((closer, "outbox"), (errs, "control"))
closer.activate(s)
s.run()
check(sink.got == [b"fine"], sink.got)
check(len(errs.got) == 1 and isinstance(errs.got[0], LineTooLong), errs.got)

# a fatal error ends the chain with framingFailed
s = Scheduler()
sink = Sink()
chain(s, Source([encode_length_prefixed(b"first") + b"\xff\xff\xff\xff"]), Deframer(max_frame=100, quiet=True), sink)
s.run()
check(sink.got == [b"first"], sink.got)
check(isinstance(sink.ended, framingFailed) and isinstance(sink.ended.error, FrameTooLarge), sink.ended)
print("ok")
