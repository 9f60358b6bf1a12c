"""The common base of Graphline and PAR: children that finish, shutdowns forwarded to them."""
from microaxon import component, shutdownMicroprocess


class _Container(component):
    """Common behaviour: activate children, forward control, finish when all children have."""

    def _wait_children(self, forward_to=None):
        """Yield until every child has finished, forwarding shutdowns from control.

        forward_to: list of (child, inboxname) that receive what arrives on our control.
        Returns True if a shutdownMicroprocess was seen."""
        stopped = False
        while not self.childrenDone():
            while self.dataReady("control"):     # not flow.py's rule: every message goes to the children
                msg = self.recv("control")
                if isinstance(msg, shutdownMicroprocess):
                    stopped = True
                if forward_to is not None:
                    for i in range(len(forward_to)):
                        self.send(msg, forward_to[i])
            self.pause()
            yield 1
        return stopped
