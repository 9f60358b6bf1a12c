"""`DataSource(messages)`: sends each item, then producerFinished."""

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished


class DataSource(component):
    """Sends each of `messages`, then producerFinished on signal."""

    def __init__(self, messages=(), **argd):
        super().__init__(**argd)
        self.messages = messages

    def main(self):
        for msg in self.messages:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                if passed_shutdown_on(self):
                    return
            self.send(msg, "outbox")
            if passed_shutdown_on(self):
                return
        yield 1
        self.send(producerFinished(self), "signal")
