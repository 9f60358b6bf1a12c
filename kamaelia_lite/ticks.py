"""Timed message sources: `PeriodicTick` (a message every `delay` seconds) and `SingleTick`
(one message after `delay` seconds). Kamaelia's names: Kamaelia.Apps.SA.Time.

Both sleep on the scheduler's timer (no thread, no polling) and wake at once on a control
message, so `check_interval` (Kamaelia's polling period) is accepted but not needed.

Boxes
  inbox    ignored
  control  any message: stop, passing the message on out of "signal"
  outbox   ``tick_mesg`` (default True)
  signal   SingleTick: producerFinished after its tick; both: the control message that stopped it
"""
from typing import Any, Optional

from microaxon import component, now, producerFinished


class _Tick(component):
    Inboxes = {"inbox": "ignored", "control": "any message stops the ticks"}
    Outboxes = {"outbox": "tick_mesg, on time", "signal": "producerFinished, or the control message"}

    tick_mesg: Any = True
    check_interval: Optional[float] = None

    def __init__(self, delay: float = 1.0, **argd: Any) -> None:
        super().__init__(**argd)
        if delay < 0:
            raise ValueError("%s: delay must be >= 0 seconds, not %r" % (self.__class__.__name__, delay))
        self.delay = delay

    def _sleep_until(self, deadline: float):
        """Sleep until `deadline` (scheduler clock); returns True if a control message came first."""
        while True:
            if self.dataReady("control"):   # not flow.py's rule: Kamaelia's ticks stop on ANY message
                return True
            left = deadline - now()
            if left <= 0:
                return False
            self.pause(left)
            yield 1


class PeriodicTick(_Tick):
    """Sends ``tick_mesg`` every ``delay`` seconds (ticks keep to the schedule: no drift)."""

    def main(self):
        start = now()
        n = 1
        while True:
            stopped = yield from self._sleep_until(start + self.delay * n)
            if stopped:
                self.send(self.recv("control"), "signal")
                return
            self.send(self.tick_mesg, "outbox")
            n += 1


class SingleTick(_Tick):
    """Sends ``tick_mesg`` once, ``delay`` seconds after it starts, then producerFinished."""

    def main(self):
        stopped = yield from self._sleep_until(now() + self.delay)
        if stopped:
            self.send(self.recv("control"), "signal")
            return
        self.send(self.tick_mesg, "outbox")
        self.send(producerFinished(self), "signal")
