"""The common base of Graphline and PAR: children that finish, shutdowns forwarded to them."""
from microaxon import component, shutdownMicroprocess


class _Container(component):
    """Common behaviour: activate children, forward control, finish when all children have."""

    def _wait_children(self, forward_to=None):
        """Yield until every child has finished, forwarding what arrives on control.

        forward_to: the names of my outboxes linked to the children's control inboxes; every
        message from my control goes to each, in order. A child's control box that is full holds
        the rest back in mine (no message is lost, none refused) until that child takes one or
        ends. Returns True if a shutdownMicroprocess arrived, also one that arrived as the last
        child ended."""
        stopped = False
        while True:
            done = self.childrenDone()
            while self.dataReady("control"):     # not flow.py's rule: every message goes to the children
                full = [] if done else [b for b in forward_to or () if self.hasSpace(b) <= 0]
                if full:
                    for b in full:
                        self.waitSpace(b)
                    break
                msg = self.recv("control")
                if isinstance(msg, shutdownMicroprocess):
                    stopped = True
                if not done:
                    for b in forward_to or ():
                        self.send(msg, b)
            if done:
                return stopped
            self.pause()
            yield 1
