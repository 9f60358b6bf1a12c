"""The life of one TCP connection as an explicit state machine, with its byte budget (sans-IO).

No sockets and no scheduler here: ``kamaelia_lite.net.tcp.ConnectedSocket`` feeds this module
what happened (the peer closed, we were asked to finish, the send buffer emptied, a deadline
passed, the socket broke) and does what the state says. Portable to MicroPython.

States (``Lifecycle.state``):

========== ==================================================================================
OPEN        both directions open: read, deliver, write
PEER_CLOSED the peer sent its FIN (it has finished sending); we still write what the protocol
            answers, and wait for it to finish
FLUSHING    we were asked to finish: write what is queued (until a deadline), still reading
CLOSING     finishing after the peer closed: write what is queued and hand on what was read,
            then close
WR_SHUT     we have sent our FIN (shutdown SHUT_WR) after flushing; reading on until the peer
            sends its FIN (a server waits ``linger`` s for it, a client as long as it takes)
DRAINING    both FINs are sent: hand on what was read and not yet taken, then close
DONE        ended in an orderly way (socket closed)
ERROR       the connection broke (reset, broken pipe...)
========== ==================================================================================

Events: ``EOF`` (read returned b""), ``FINISH`` (producerFinished: flush, then end), ``ABORT``
(shutdownMicroprocess or an idle timeout: flush for at most ``linger`` s), ``FLUSHED`` (nothing
is left to write; in CLOSING and DRAINING, nothing is left to hand on either), ``EXPIRED`` (the state's deadline passed), ``FAIL``
(the socket broke). ``TRANSITIONS`` is the whole table; any event not in it for the current
state raises ``StateError`` (a bug in the caller, never a remote peer's doing).

The byte budget (``Budget``): a connection holds at most ``budget`` bytes of its own: bytes read
but not yet taken by the protocol, plus bytes queued for writing (``SendBuffer``). ``allowance()``
is how much may be read now; at 0 the connection stops reading and TCP flow control slows the
peer.
"""

OPEN = "OPEN"
PEER_CLOSED = "PEER_CLOSED"
FLUSHING = "FLUSHING"
CLOSING = "CLOSING"
WR_SHUT = "WR_SHUT"
DRAINING = "DRAINING"
DONE = "DONE"
ERROR = "ERROR"

EOF = "EOF"
FINISH = "FINISH"
ABORT = "ABORT"
FLUSHED = "FLUSHED"
EXPIRED = "EXPIRED"
FAIL = "FAIL"

# state -> {event: next state}. Everything absent is illegal.
TRANSITIONS = {
    OPEN: {EOF: PEER_CLOSED, FINISH: FLUSHING, ABORT: FLUSHING, FAIL: ERROR},
    PEER_CLOSED: {FINISH: CLOSING, ABORT: CLOSING, FAIL: ERROR},
    FLUSHING: {EOF: CLOSING, FINISH: FLUSHING, ABORT: FLUSHING, FLUSHED: WR_SHUT, EXPIRED: DONE,
               FAIL: ERROR},
    CLOSING: {FINISH: CLOSING, ABORT: CLOSING, FLUSHED: DONE, EXPIRED: DONE, FAIL: ERROR},
    WR_SHUT: {EOF: DRAINING, FINISH: WR_SHUT, ABORT: WR_SHUT, EXPIRED: DONE, FAIL: ERROR},
    DRAINING: {FINISH: DRAINING, ABORT: DRAINING, FLUSHED: DONE, EXPIRED: DONE, FAIL: ERROR},
    DONE: {},
    ERROR: {},
}

READS = (OPEN, FLUSHING, WR_SHUT)                 # states in which we read from the socket
WRITES = (OPEN, PEER_CLOSED, FLUSHING, CLOSING)   # states in which queued bytes are written
FINISHING = (FLUSHING, CLOSING, WR_SHUT, DRAINING)   # states with a deadline (maybe None)
ENDED = (DONE, ERROR)


class StateError(Exception):
    """An event that the current state does not allow (a caller's bug)."""


class Lifecycle:
    """The connection's state, its deadline, and the rules for both.

    ``linger`` (s): how long an urgent finish (ABORT) may take, and how long a server waits for
    the peer's FIN after sending its own. ``flush_timeout`` (s): how long a FINISH may take to
    write what is queued. ``wait_peer``: after our FIN keep reading, with no deadline, until the
    peer's (a client reading a reply to the end); an ABORT still bounds it by ``linger``.
    ``end_on_peer_close``: the peer's FIN finishes the connection (client, single server) instead
    of waiting for the protocol to say so.
    """

    def __init__(self, linger=2.0, flush_timeout=30.0, wait_peer=False, end_on_peer_close=False):
        self.state = OPEN
        self.deadline = None
        self.urgent = False          # an ABORT arrived: deadlines are at most `linger` away
        self.linger = linger
        self.flush_timeout = flush_timeout
        self.wait_peer = wait_peer
        self.end_on_peer_close = end_on_peer_close

    def __repr__(self):
        return "<Lifecycle %s deadline=%r>" % (self.state, self.deadline)

    def handle(self, event, now):
        """Apply ``event`` at time ``now`` (s); returns the new state."""
        old = self.state
        try:
            new = TRANSITIONS[old][event]
        except KeyError:
            raise StateError("event %s is not allowed in state %s" % (event, old)) from None
        self.state = new
        if event == ABORT:
            self.urgent = True
            limit = now + self.linger
            if self.deadline is None or self.deadline > limit:
                self.deadline = limit
        elif event == FINISH:
            if old == OPEN or old == PEER_CLOSED:
                self.deadline = now + self.flush_timeout
        elif new == WR_SHUT:
            if self.wait_peer and not self.urgent:
                self.deadline = None
            else:
                self.deadline = now + self.linger
        if new == DONE or new == ERROR:
            self.deadline = None
        return new

    def peer_closed(self, now):
        """The read returned EOF. Returns the new state (CLOSING at once for a connection that
        ends on the peer's close, with ``linger`` s to flush)."""
        new = self.handle(EOF, now)
        if new == PEER_CLOSED and self.end_on_peer_close:
            self.urgent = True
            self.deadline = now + self.linger
            self.state = new = CLOSING
        return new

    def expired(self, now):
        """True if the state has a deadline and it has passed."""
        return self.deadline is not None and now >= self.deadline

    def reads(self):
        return self.state in READS

    def writes(self):
        return self.state in WRITES

    def ended(self):
        return self.state in ENDED


class SendBuffer:
    """Bytes queued for writing, oldest first, and how many of them are written.

    ``push(data)`` queues; ``chunk()`` is what to hand to ``socket.send`` next (small queued
    writes are joined, up to ``join_limit`` bytes, into one system call); ``sent(n)`` records that
    ``n`` bytes of it went out. ``nbytes`` is the number of bytes queued and not yet written.
    """

    join_limit = 65536

    def __init__(self):
        self.chunks = []
        self.head = 0                # chunks[:head] are written (the list is compacted lazily)
        self.offset = 0              # bytes of chunks[head] already written
        self.nbytes = 0

    def __len__(self):
        return self.nbytes

    def push(self, data):
        n = len(data)
        if n:
            self.chunks.append(data)
            self.nbytes += n

    def chunk(self):
        """The bytes to write next (a memoryview when part of a chunk is written), or None."""
        chunks = self.chunks
        head = self.head
        left = len(chunks) - head
        if not left:
            return None
        first = chunks[head]
        if self.offset:
            return memoryview(first)[self.offset:]
        if left > 1 and len(first) < 16384:
            size = 0
            i = head
            end = len(chunks)
            limit = self.join_limit
            while i < end and size < limit:
                size += len(chunks[i])
                i += 1
            first = b"".join(chunks[head:i])
            chunks[i - 1] = first        # the joined bytes stand in for the chunks they hold
            self.head = head = i - 1
        return first

    def sent(self, n):
        """``n`` bytes of ``chunk()`` were written."""
        self.nbytes -= n
        off = self.offset + n
        if off < len(self.chunks[self.head]):
            self.offset = off
            return
        self.offset = 0
        self.head += 1
        if self.head == len(self.chunks):
            self.chunks = []
            self.head = 0
        elif self.head >= 64 and self.head * 2 >= len(self.chunks):
            del self.chunks[:self.head]
            self.head = 0

    def clear(self):
        self.chunks = []
        self.head = self.offset = self.nbytes = 0


class Budget:
    """The bytes one connection holds: read and handed to the receiver but not yet taken by it
    (``unconsumed``), plus queued for writing (``send.nbytes``), against ``limit``.

    The receiver's box is seen only through its free slots (``space``, as ``hasSpace`` reports
    it): the connection is the only sender into it, so the box's capacity (``watch`` learns it
    while the box is empty) less its free slots is the number of our messages still in it, and
    the receiver takes them oldest first. ``read(n)`` for bytes read, ``delivered(n)`` for each
    message handed on, ``dropped(n)`` for read bytes thrown away, ``taken(space)`` whenever the
    receiver may have taken some. A receiver with room without end (unlinked, or a lossy box)
    holds nothing of ours: ``space`` >= ``UNBOUNDED``.
    """

    UNBOUNDED = 1 << 29

    def __init__(self, limit=1 << 20, send=None):
        self.limit = limit
        self.send = send if send is not None else SendBuffer()
        self.unconsumed = 0
        self.sizes = []              # sizes of our messages in the receiver's box, oldest first
        self.head = 0
        self.slots = 0               # the box's free slots with none of ours in it

    def allowance(self):
        """How many bytes may be read now (<= 0: stop reading)."""
        return self.limit - self.unconsumed - self.send.nbytes

    def read(self, n):
        """``n`` bytes were read from the socket (held until handed on)."""
        self.unconsumed += n

    def dropped(self, n):
        """``n`` bytes read were thrown away instead of handed on."""
        self.unconsumed -= n

    def watch(self, space):
        """Learn the receiver's box: ``space`` free slots, none of them ours (call before the
        first message is handed on)."""
        if space < self.UNBOUNDED and space > self.slots:
            self.slots = space

    def delivered(self, n):
        """A message of ``n`` read bytes was handed on (it is in the receiver's box)."""
        self.sizes.append(n)

    def taken(self, space):
        """The receiver's box has ``space`` free slots now: forget the messages it took."""
        sizes = self.sizes
        head = self.head
        waiting = len(sizes) - head
        if space >= self.UNBOUNDED:          # nothing is kept there: nothing to wait for
            still = 0
        else:
            if space > self.slots:           # (learnt with the box empty: see watch)
                self.slots = space
            still = self.slots - space       # messages in the box now, all ours
            if still > waiting:
                still = waiting
        gone = waiting - still
        if not gone:
            return
        n = 0
        end = head + gone
        while head < end:
            n += sizes[head]
            head += 1
        self.unconsumed -= n
        if head == len(sizes):
            del sizes[:]
            self.head = 0
        elif head >= 64 and head * 2 >= len(sizes):
            del sizes[:head]
            self.head = 0
        else:
            self.head = head

    def waiting(self):
        """Messages of ours that the receiver has not taken (as far as we know)."""
        return len(self.sizes) - self.head

    def holding(self):
        """Bytes held in all: unconsumed plus queued for writing."""
        return self.unconsumed + self.send.nbytes
