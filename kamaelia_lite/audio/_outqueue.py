"""A small helper for components that may produce more messages than the outbox has room for."""

from collections import deque

__all__ = ["PendingSends"]


class PendingSends:
    """Messages waiting to go out of one outbox, sent as room appears (never dropped)."""

    def __init__(self, comp, box="outbox"):
        self._c = comp
        self._box = box
        self._q = deque()

    def add(self, msg):
        self._q.append(msg)

    def extend(self, msgs):
        for m in msgs:
            self._q.append(m)

    def flush(self):
        """Send what fits; True when nothing is left waiting."""
        c = self._c
        q = self._q
        while q:
            if c.hasSpace(self._box) <= 0:
                c.waitSpace(self._box)
                return False
            c.send(q.popleft(), self._box)
        return True

    def __len__(self):
        return len(self._q)
