"""The smallest useful microaxon program: three components linked by hand (core only).

A Lines source sends text lines, a WordCount component counts the words of each line and the
running total, and a Printer prints the results; producerFinished flows down the signal/control
links so every component finishes and run() returns. Runs unchanged on CPython and on
MicroPython with a 64 KiB heap (tests/tools bundle it and compare both outputs):
    python -m examples.hello_core
    python -m microaxon.tools.bundle examples/hello_core.py -o out/hello --mpy && cd out/hello && micropython -X heapsize=64k hello_core.py
"""
from microaxon import Scheduler, component, producerFinished, shutdown

TEXT = [
    "components talk only through boxes",
    "a pipeline drains and then finishes",
    "the same code runs on a handheld",
]


class Lines(component):
    """Sends each line of ``lines`` on outbox, then producerFinished on signal."""

    lines = ()

    def main(self):
        for line in self.lines:
            while self.hasSpace("outbox") <= 0:       # the receiver is full: wait for room
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(line, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")


class WordCount(component):
    """For each line: sends (words in the line, words so far); passes shutdown on."""

    def main(self):
        total = 0
        while True:
            while self.dataReady("inbox"):
                words = len(self.recv("inbox").split())
                total += words
                self.send((words, total), "outbox")
            if self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, shutdown) and not self.dataReady("inbox"):
                    self.send(msg, "signal")
                    return
            self.pause()
            yield 1


class Printer(component):
    """Prints each message it receives; finishes on a shutdown message."""

    def main(self):
        n = 0
        while True:
            while self.dataReady("inbox"):
                n += 1
                words, total = self.recv("inbox")
                print("line %d: %d words (%d so far)" % (n, words, total))
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.recv("control")
                return
            self.pause()
            yield 1


def main():
    sched = Scheduler()
    source, count, out = Lines(lines=TEXT), WordCount(), Printer()
    source.link((source, "outbox"), (count, "inbox"))
    source.link((source, "signal"), (count, "control"))
    count.link((count, "outbox"), (out, "inbox"))
    count.link((count, "signal"), (out, "control"))
    for c in (source, count, out):
        c.activate(sched)
    sched.run()
    print("all finished: %s, failures: %d" % (source.finished() and count.finished() and out.finished(),
                                              len(sched.failures)))


if __name__ == "__main__":
    main()
