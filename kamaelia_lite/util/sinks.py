"""`Collector()`: keeps what arrives in `.collected` (and calls `callback(msg)` if given)."""

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component


class Collector(component):
    """Keeps every message that arrives in `.collected`; calls `callback(msg)` if given."""

    callback = None

    def __init__(self, **argd):
        super().__init__(**argd)
        self.collected = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                self.collected.append(msg)
                if self.callback is not None:
                    self.callback(msg)
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1
