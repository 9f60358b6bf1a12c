"""`PAR(*children)`: children side by side; outputs merge, shutdown goes to all."""
from kamaelia_lite.chassis.container import _Container
from microaxon import newComponent, producerFinished, shutdownMicroprocess


class PAR(_Container):
    """Children in parallel; their outboxes and signals merge into mine; shutdown goes to all."""

    def __init__(self, *components, **argd):
        super().__init__(**argd)
        self.components = list(components)
        self.addChildren(*components)
        self._forward = []
        for c in components:
            self.link((c, "outbox"), (self, "outbox"), passthrough=2)
            box = self.addOutbox("_control_%d" % c.id)
            self.link((self, box), (c, "control"))
            self._forward.append(box)
            c._par_signal = self.addInbox("_signal_%d" % c.id)
            self.link((c, "signal"), (self, c._par_signal))

    def main(self):
        yield newComponent(*self.components)
        stopped = yield from self._wait_children(self._forward)
        for c in self.components:       # children's own shutdown messages: seen, not repeated
            while self.dataReady(c._par_signal):
                if isinstance(self.recv(c._par_signal), shutdownMicroprocess):
                    stopped = True
        self.send(shutdownMicroprocess(self) if stopped else producerFinished(self), "signal")
