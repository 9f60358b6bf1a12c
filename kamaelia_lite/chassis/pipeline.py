"""`Pipeline(a, b, c)`: children in a row (a.outbox -> b.inbox, a.signal -> b.control, ...)."""
from microaxon import component, newComponent


class Pipeline(component):
    """Children in a row: each one's outbox feeds the next one's inbox (signal -> control too).

    ``circular=True`` closes the ring (Kamaelia's option): the last child's outbox and signal
    feed the first child's inbox and control, instead of the Pipeline's own outbox and signal."""

    circular = False

    def __init__(self, *components, **argd):
        super().__init__(**argd)
        self.components = list(components)
        if not components:
            raise ValueError("Pipeline needs at least one component")
        self.addChildren(*components)
        cs = self.components
        for i in range(len(cs) - 1):
            self.link((cs[i], "outbox"), (cs[i + 1], "inbox"))
            self.link((cs[i], "signal"), (cs[i + 1], "control"))
        self.link((self, "inbox"), (cs[0], "inbox"), passthrough=1)
        self.link((self, "control"), (cs[0], "control"), passthrough=1)
        if self.circular:
            self.link((cs[-1], "outbox"), (cs[0], "inbox"))
            self.link((cs[-1], "signal"), (cs[0], "control"))
        else:
            self.link((cs[-1], "outbox"), (self, "outbox"), passthrough=2)
            self.link((cs[-1], "signal"), (self, "signal"), passthrough=2)

    def main(self):
        yield newComponent(*self.components)
        while not self.childrenDone():
            self.pause()
            yield 1
