"""Small components used by the core tests."""
from microaxon import component, producerFinished, shutdown


class Source(component):
    """Sends items, waiting for room; then producerFinished."""

    def __init__(self, items, **argd):
        super().__init__(**argd)
        self.items = items

    def main(self):
        for x in self.items:
            while not self.hasSpace("outbox"):
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(x, "outbox")
        self.send(producerFinished(self), "signal")
        yield 1


class Passer(component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                if not self.hasSpace("outbox"):
                    self.waitSpace("outbox")
                    break
                self.send(self.recv("inbox"), "outbox")
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Sink(component):
    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []
        self.control = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            while self.dataReady("control"):
                msg = self.recv("control")
                self.control.append(msg)
                if isinstance(msg, shutdown):
                    return
            self.pause()
            yield 1


class Sleeper(component):
    """Pauses for ever (until a message or shutdown), counting how often it was resumed."""

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.recv("inbox")
            if self.dataReady("control"):
                return
            self.pause()
            yield 1


def chain(*cs):
    for a, b in zip(cs, cs[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    return cs


def start(sched, *cs):
    for c in cs:
        c.activate(sched)
    return cs


class HoldsUntilClosed(component):
    """Pauses for ever; when closed (stop, scheduler stop, Ctrl-C) its finally block appends its
    name to `log`, so a test can see that finally blocks ran."""

    def __init__(self, log, **argd):
        super().__init__(**argd)
        self.log = log

    def main(self):
        try:
            while True:
                self.pause()
                yield 1
        finally:
            self.log.append(self.name)
