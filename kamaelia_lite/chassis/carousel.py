"""`Carousel(factory)`: one child at a time, a new one for each message on "next"."""
from kamaelia_lite.flow import drained_then_stopped, take_ending
from microaxon import component, shutdownMicroprocess


class Carousel(component):
    """One child at a time, made by componentFactory(msg) for each message on "next"."""

    Inboxes = {"inbox": "passed to the child", "next": "arguments for the next child",
               "control": "shutdown", "_childsignal": "the child's signal"}
    Outboxes = {"outbox": "the child's output", "signal": "shutdown",
                "requestNext": "'NEXT' when the child has finished", "_childcontrol": "to child"}

    def __init__(self, componentFactory, make1stRequest=False, **argd):
        super().__init__(**argd)
        self.factory = componentFactory
        self.make1stRequest = make1stRequest
        self.child = None

    def _start(self, args):
        c = self.factory(args)
        self.child = c
        self.addChildren(c)
        self.link((self, "inbox"), (c, "inbox"), passthrough=1)
        self.link((c, "outbox"), (self, "outbox"), passthrough=2)
        self.link((self, "_childcontrol"), (c, "control"))
        self.link((c, "signal"), (self, "_childsignal"))
        c.activate(self._sched)

    def _retire(self):
        c = self.child
        self.child = None
        self.removeChild(c)
        while self.dataReady("_childsignal"):
            self.recv("_childsignal")

    def main(self):
        if self.make1stRequest:
            self.send("NEXT", "requestNext")
        ending = None                    # the shutdown message we were given, if any
        asked = False                    # the current child has been asked to stop
        while True:
            if self.child is not None and self.child.finished():
                self._retire()
                asked = False
                if ending is None and not self.dataReady("next"):
                    self.send("NEXT", "requestNext")
            ending = take_ending(self, ending)
            if self.child is None:
                if self.dataReady("next") and not isinstance(ending, shutdownMicroprocess):
                    self._start(self.recv("next"))
                    continue
                if drained_then_stopped(self, ending, True):
                    return
            elif not asked:
                if self.dataReady("next") and not isinstance(ending, shutdownMicroprocess):
                    self.send(shutdownMicroprocess(self), "_childcontrol")   # replace it
                    asked = True
                elif ending is not None:
                    self.send(ending, "_childcontrol")
                    asked = True
            self.pause()
            yield 1
