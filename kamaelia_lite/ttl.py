"""`TTL(component, delay)`: a time-to-live wrapper (Kamaelia's name:
Kamaelia.Apps.SA.Chassis.TTL).

The wrapped component's public boxes become the TTL's (messages pass straight through). After
``delay`` seconds, if it is still running, the TTL asks it to stop with producerFinished, then
shutdownMicroprocess on its "control" inbox (a turn apart), and if it is still running after
that (or has no control inbox), stops it outright and sends shutdownMicroprocess on "signal".
The TTL finishes when the wrapped component has finished. A control message sent to the TTL
itself goes to the wrapped component (its control inbox is the TTL's).
"""
from typing import Any

from kamaelia_lite.ticks import SingleTick
from microaxon import component, producerFinished, shutdownMicroprocess


def _public(boxes: Any) -> dict:
    return {n: (boxes[n] if isinstance(boxes, dict) else "") for n in boxes if not n.startswith("_")}


class TTL(component):
    """Gives `child` at most `delay` seconds (see module doc)."""

    def __init__(self, comp: Any, delay: float, **argd: Any) -> None:
        ins = _public(comp.Inboxes)
        ins["_trigger"] = "the timer's tick"
        outs = _public(comp.Outboxes)
        outs["_sigkill"] = "to the wrapped component's control"
        outs["_disarm"] = "stops the timer early"
        super().__init__(Inboxes=ins, Outboxes=outs, **argd)
        self.child = comp
        self.timebomb = SingleTick(delay=delay)
        self.link((self.timebomb, "outbox"), (self, "_trigger"))
        self.link((self, "_disarm"), (self.timebomb, "control"))
        self.child_has_control = "control" in comp.Inboxes
        if self.child_has_control:
            self.link((self, "_sigkill"), (comp, "control"))
        for n in ins:
            if not n.startswith("_") and n != "control":
                self.link((self, n), (comp, n), passthrough=1)
        for n in outs:
            if not n.startswith("_"):
                self.link((comp, n), (self, n), passthrough=2)
        self.addChildren(comp, self.timebomb)
        component()     # Kamaelia's TTL uses one more id (its timer's thread): names stay the same

    def main(self):
        child = self.child
        self.timebomb.activate(self._sched)
        child.activate(self._sched)
        yield 1
        while not child.finished() and not self.dataReady("_trigger"):
            # not flow.py's rule: the TTL's control is the child's, so every message goes on to it
            if "control" in self.Inboxes and self.dataReady("control"):
                msg = self.recv("control")
                if self.child_has_control:
                    self.send(msg, "_sigkill")
            self.pause()
            yield 1
        if not self.timebomb.finished():
            self.send(producerFinished(self), "_disarm")
        if self.child_has_control:
            for msg in (producerFinished(self), shutdownMicroprocess(self)):
                if child.finished():
                    break
                self.send(msg, "_sigkill")
                yield 1
                yield 1
        if not child.finished():
            child.stop()
            yield 1
            if "signal" in self.Outboxes:
                self.send(shutdownMicroprocess(self), "signal")
