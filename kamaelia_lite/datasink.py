"""`DataSink(outlist)`: appends every message to a list-like object (Kamaelia's name:
Kamaelia.Apps.SA.DSL.DataSink), the mirror of DataSource.

Options: ``limit`` (default 0: no limit) finishes after that many messages; ``pass_thru``
(default True) also sends each message on out of "outbox". Finishes on a control message
(passed on) or at the limit (producerFinished); messages already queued when producerFinished
arrives are stored first, so a pipeline's data is never lost.
"""
from typing import Any

from microaxon import component, producerFinished, shutdownMicroprocess


class DataSink(component):
    """Appends each message to ``outlist`` (see module doc)."""

    Inboxes = {"inbox": "messages to store", "control": "shutdown signals"}
    Outboxes = {"outbox": "each message, if pass_thru", "signal": "producerFinished, or the control message"}

    limit = 0
    pass_thru = True

    def __init__(self, outlist: Any, **argd: Any) -> None:
        super().__init__(**argd)
        self.outlist = outlist

    def main(self):
        count = 0
        while True:
            while self.dataReady("inbox") and (not self.limit or count < self.limit):
                msg = self.recv("inbox")
                self.outlist.append(msg)
                if self.pass_thru:
                    self.send(msg, "outbox")
                count += 1
            if self.limit and count >= self.limit:
                self.send(producerFinished(self), "signal")
                return
            if self.dataReady("control"):     # not flow.py's rule: Kamaelia's DataSink ends on ANY message
                msg = self.recv("control")
                if isinstance(msg, shutdownMicroprocess) or not self.dataReady("inbox"):
                    self.send(msg, "signal")
                    return
            self.pause()
            yield 1
