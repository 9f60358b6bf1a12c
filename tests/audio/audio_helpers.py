"""Small real components for wiring audio components in tests (no mocks: they run in a Scheduler)."""
from microaxon import component, producerFinished, shutdown


class Feeder(component):
    """Sends each item of ``items`` on outbox (waiting for room), then ``final`` on signal."""

    def __init__(self, items, final=None, **argd):
        super().__init__(**argd)
        self.items = list(items)
        self.final = final if final is not None else producerFinished()

    def main(self):
        for item in self.items:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(item, "outbox")
            yield 1
        self.send(self.final, "signal")


class Recorder(component):
    """Keeps every message that reaches inbox (``got``) and control (``control_got``)."""

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []
        self.control_got = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if self.dataReady("control"):
                msg = self.recv("control")
                self.control_got.append(msg)
                if isinstance(msg, shutdown):
                    while self.dataReady("inbox"):
                        self.got.append(self.recv("inbox"))
                    return
            self.pause()
            yield 1

    @property
    def pcm(self):
        return b"".join(m for m in self.got if isinstance(m, bytes))

    def of_type(self, cls):
        return [m for m in self.got if isinstance(m, cls)]


def chain(*comps):
    """Link outbox->inbox and signal->control along ``comps``; returns them."""
    for a, b in zip(comps, comps[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    return comps


def run_all(scheduler, *comps):
    for c in comps:
        c.activate(scheduler)
    scheduler.run()
