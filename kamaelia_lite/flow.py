"""Flow helpers: how components end, and how they hold output the next box has no room for.

One home for what every component used to write out by hand (portable: runs on MicroPython)::

    if passed_shutdown_on(self):          # stop at once on any shutdown, passing it on
        return

    ending = take_ending(self, ending)    # drain, then stop: keep the shutdown message ...
    if drained_then_stopped(self, ending, not self.dataReady("inbox")):
        return                            # ... and pass it on once the work is done

    out = PendingSends(self)              # output waiting for room downstream, bounded
    out.add(msg)
    if not out.flush():                   # waits (waitSpace) when the box is full
        self.pause()

The "served by" chassis for TCP command ports lives in ``kamaelia_lite.command_port_components``
(kept apart so that a device component importing these helpers does not pay for TCP servers).
"""
from microaxon import shutdown, shutdownMicroprocess

__all__ = ["passed_shutdown_on", "take_ending", "drained_then_stopped", "PendingSends"]


def passed_shutdown_on(c, kind=shutdown):
    """Take every message waiting in ``c``'s ``control`` inbox. At the first producerFinished or
    shutdownMicroprocess, pass that message on ``signal`` and return True (the caller finishes);
    other control messages are dropped. False if nothing asked it to finish.

    ``kind=shutdownMicroprocess``: only that stops ``c`` (a source, with no upstream to finish,
    drops producerFinished too)."""
    while c.dataReady("control"):
        msg = c.recv("control")
        if isinstance(msg, kind):
            c.send(msg, "signal")
            return True
    return False


def take_ending(c, ending=None):
    """Drain, then stop (first half): the shutdown message that ends ``c``.

    Returns ``ending`` if one is already kept; otherwise takes control messages until a
    producerFinished or shutdownMicroprocess (other messages are dropped) and returns it, or
    None if none has come. Keep the result and pass it back in on the next turn."""
    while ending is None and c.dataReady("control"):
        msg = c.recv("control")
        if isinstance(msg, shutdown):
            return msg
    return ending


def drained_then_stopped(c, ending, drained):
    """Drain, then stop (second half): once ``ending`` has come, pass it on ``signal`` and
    return True (the caller returns) if the work is ``drained``, or at once if it is a
    shutdownMicroprocess (stop now, drop the rest). False while there is work left."""
    if ending is None:
        return False
    if drained or isinstance(ending, shutdownMicroprocess):
        c.send(ending, "signal")
        return True
    return False


def _size(msg):
    """Bytes a message holds: its length for bytes/str, the payload's for (payload, address)."""
    if isinstance(msg, tuple):
        msg = msg[0] if msg else b""
    if isinstance(msg, (bytes, bytearray, str, memoryview)):
        return len(msg)
    return 0


class PendingSends:
    """Messages waiting to go out of one outbox of ``comp``, sent in order as room appears (never
    dropped, never raising BoxFull).

    Bounded in count AND bytes: ``full()`` says the producer must take no new input until
    ``flush()`` has made room (at most ``max_count`` messages and ``max_bytes`` bytes, plus what
    one input produced). ``flush()`` sends what fits; when the box is full it registers a
    ``waitSpace`` (the component is woken when the receiver drains) and returns False."""

    def __init__(self, comp, box="outbox", max_count=64, max_bytes=1 << 20):
        self._c = comp
        self._box = box
        self._q = []
        self._head = 0
        self.max_count = max_count
        self.max_bytes = max_bytes
        self.nbytes = 0

    def add(self, msg):
        """Queue one message (always accepted: check ``full()`` before taking more input)."""
        self._q.append(msg)
        self.nbytes += _size(msg)

    def extend(self, msgs):
        """Queue each of ``msgs`` in order."""
        for m in msgs:
            self.add(m)

    def full(self):
        """True when the queue holds its limit of messages or bytes."""
        return len(self) >= self.max_count or self.nbytes >= self.max_bytes

    def flush(self):
        """Send what fits; True when nothing is left waiting (else a waitSpace is registered)."""
        c = self._c
        q = self._q
        box = self._box
        while self._head < len(q):
            if c.hasSpace(box) <= 0:
                c.waitSpace(box)
                if self._head > 16 and self._head * 2 > len(q):
                    del q[:self._head]        # keep the list from growing a dead prefix
                    self._head = 0
                return False
            msg = q[self._head]
            q[self._head] = None
            self._head += 1
            self.nbytes -= _size(msg)
            c.send(msg, box)
        del q[:]
        self._head = 0
        return True

    def __len__(self):
        return len(self._q) - self._head
