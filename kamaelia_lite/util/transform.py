"""`Forwarding` (one in, one out, with backpressure and shutdown), `PureTransformer`, `SimpleDetupler`."""

from kamaelia_lite.flow import drained_then_stopped, take_ending
from microaxon import component


class Forwarding(component):
    """Base for one-in, one-out components: subclasses define process(msg) -> msg or None.

    Handles backpressure (waits for room downstream) and shutdown (drains on producerFinished,
    stops at once on shutdownMicroprocess) in one place."""

    def process(self, msg):
        return msg

    def main(self):
        ending = None
        while True:
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, False):     # shutdownMicroprocess: stop now
                return
            while self.dataReady("inbox"):
                if self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    break
                out = self.process(self.recv("inbox"))
                if out is not None:
                    self.send(out, "outbox")
            if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                return
            self.pause()
            yield 1


class PureTransformer(Forwarding):
    """Sends function(msg) for each message; None results are not sent."""

    def __init__(self, function=None, **argd):
        super().__init__(**argd)
        if function is not None:
            self.processMessage = function

    def processMessage(self, msg):
        return msg

    def process(self, msg):
        return self.processMessage(msg)


class SimpleDetupler(Forwarding):
    """Sends msg[index] for each message."""

    def __init__(self, index=0, **argd):
        super().__init__(**argd)
        self.index = index

    def process(self, msg):
        return msg[self.index]
