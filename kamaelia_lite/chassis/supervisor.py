"""`Supervisor(factory)`: runs a child and restarts it with back-off when it fails."""
from kamaelia_lite.flow import drained_then_stopped, take_ending
from microaxon import component, now, producerFinished, shutdownMicroprocess


class Supervisor(component):
    """Runs factory() as its child; if the child fails, restarts it after a back-off.

    Back-off doubles from `initial_backoff` up to `max_backoff` seconds and resets after the child
    has run `reset_after` seconds without failing. After `max_restarts` failures within one such
    run of bad luck, the supervisor gives up: it sends shutdownMicroprocess on "signal" and fails
    itself (RuntimeError naming the child's last failure), so the failure goes on to whoever
    watches the supervisor, or stops the run. A child that finishes normally ends the supervisor
    too. Shutdown on control goes to the child. Each restart is announced on "outbox" as
    ("restarted", count, child name, exception). The supervisor watches its child's end
    (``onFinish``), so a child's failure is its to handle and does not stop the run."""

    Inboxes = {"inbox": "passed to the child", "control": "shutdown", "_childsignal": "child's signal"}
    Outboxes = {"outbox": "the child's output and restart notices", "signal": "shutdown",
                "_childcontrol": "to the child"}
    initial_backoff = 0.1
    max_backoff = 30.0
    reset_after = 60.0
    max_restarts = 10

    def __init__(self, factory, **argd):
        super().__init__(**argd)
        self.factory = factory
        self.restarts = 0

    def _start(self):
        c = self.factory()
        self.child = c
        self.addChildren(c)
        c.onFinish(self._child_ended)       # its failures are ours to handle
        self.link((self, "inbox"), (c, "inbox"), passthrough=1)
        self.link((c, "outbox"), (self, "outbox"), passthrough=2)
        self.link((self, "_childcontrol"), (c, "control"))
        self.link((c, "signal"), (self, "_childsignal"))
        c.activate(self._sched)
        self.started = now()

    def _child_ended(self, child: component) -> None:
        """The child's onFinish hook: main() reads how it ended (``child.failure``)."""
        self.unpause()

    def main(self):
        backoff = self.initial_backoff
        failures = 0
        ending = None
        self._start()
        while True:
            if ending is None:
                ending = take_ending(self)
                if ending is not None:
                    self.send(ending, "_childcontrol")
            if self.child.finished():
                c = self.child
                self.removeChild(c)
                while self.dataReady("_childsignal"):
                    self.recv("_childsignal")
                if c.failure is None or ending is not None:
                    self.send(ending or producerFinished(self), "signal")
                    return
                if now() - self.started > self.reset_after:
                    failures = 0
                    backoff = self.initial_backoff
                failures += 1
                if failures > self.max_restarts:
                    self.send(shutdownMicroprocess(self), "signal")
                    raise RuntimeError("%s gave up after %d failures of %s in a row; the last: %r"
                                       % (self.name, failures, c.name, c.failure))
                until = now() + backoff
                while now() < until and ending is None:
                    self.pause(until - now())
                    yield 1
                    ending = take_ending(self, ending)
                if drained_then_stopped(self, ending, True):
                    return
                backoff = min(backoff * 2, self.max_backoff)
                self.restarts += 1               # (counted once it happens: a shutdown during
                self._start()                    # the back-off ends it without a restart)
                self.send(("restarted", self.restarts, self.child.name, c.failure), "outbox")
            self.pause()
            yield 1
