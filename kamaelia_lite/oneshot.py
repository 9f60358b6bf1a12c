"""`OneShot(msg)` sends one message then finishes; `TriggeredOneShot(msg)` sends it when
anything arrives on its inbox (Kamaelia's names: Kamaelia.Util.OneShot)."""
from typing import Any

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished


class OneShot(component):
    """Sends ``msg`` once on "outbox", then producerFinished on "signal"."""

    Inboxes = {"inbox": "unused", "control": "unused"}
    Outboxes = {"outbox": "the one message", "signal": "producerFinished afterwards"}

    def __init__(self, msg: Any = None, **argd: Any) -> None:
        super().__init__(**argd)
        self.msg = msg

    def main(self):
        self.send(self.msg, "outbox")
        yield 1
        self.send(producerFinished(self), "signal")


class TriggeredOneShot(OneShot):
    """Waits for any message on "inbox", then behaves as OneShot. A shutdown message first:
    passed on, nothing sent."""

    Inboxes = {"inbox": "any message triggers the send", "control": "shutdown signals"}

    def main(self):
        while not self.dataReady("inbox"):
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1
        self.recv("inbox")
        self.send(self.msg, "outbox")
        yield 1
        self.send(producerFinished(self), "signal")
