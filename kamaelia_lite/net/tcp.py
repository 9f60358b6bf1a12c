"""TCP servers and clients on microaxon: non-blocking sockets driven by the core's I/O waits.

Public components (see docs/net.md for the full reference):

- ``TCPServer(protocol, port=0, host="127.0.0.1", ...)`` — listens, and for every accepted
  connection makes ``protocol()`` (a component factory) and wires it to a ``ConnectedSocket``:
  the protocol's ``inbox`` receives the bytes read from the peer, whatever it sends on its
  ``outbox`` is written to the peer.
- ``ServerCore`` / ``SimpleServer`` — the Kamaelia ``Kamaelia.Chassis.ConnectedServer`` names:
  ``ServerCore`` calls ``protocol(peer=, peerport=, localip=, localport=)`` (a component class
  given as the factory declares those four as class attributes, since unknown keywords are a
  TypeError), ``SimpleServer`` calls ``protocol()``. Both listen on all interfaces by default, as Kamaelia's did.
- ``TCPClient(host, port)`` — connects; ``inbox`` bytes are sent, received bytes come out of
  ``outbox``.
- ``SingleServer(port=...)`` — accepts one connection; its inbox/outbox are that connection's.
- ``ConnectedSocket`` — the per-connection component (Kamaelia's ConnectedSocketAdapter).

How a connection ends is always told as a message (never an exception escaping):

- ``socketShutdown`` (a ``producerFinished``): orderly end — the peer closed its side, the server
  shut down, or we closed. ``reason`` says which.
- ``idleTimeout`` (a ``socketShutdown``): nothing was received or sent for ``idle_timeout`` s.
- ``connectionError`` (a ``shutdownMicroprocess``): the connection broke (reset, broken pipe...);
  ``reason`` and ``errno``.
- ``connectionFailed`` (a ``connectionError``): a client could not connect (refused, timeout,
  unknown host).
"""
import errno as _errno
import socket
import sys

from kamaelia_lite.flow import passed_shutdown_on, take_ending
from kamaelia_lite.net import tcp_state as _ts
from microaxon import component, newComponent, noSpaceInBox, now, producerFinished, shutdownMicroprocess

__all__ = [
    "socketShutdown", "idleTimeout", "connectionError", "connectionFailed",
    "newConnection", "connectionClosed", "connectionRejected",
    "ConnectedSocket", "TCPServer", "ServerCore", "SimpleServer", "TCPClient", "SingleServer",
]

_WOULDBLOCK = (_errno.EAGAIN, getattr(_errno, "EWOULDBLOCK", _errno.EAGAIN), _errno.EINPROGRESS,
               getattr(_errno, "EALREADY", 114))
_NO_RESOURCES = (getattr(_errno, "EMFILE", 24), getattr(_errno, "ENFILE", 23), _errno.ENOBUFS, _errno.ENOMEM)


# ---------------------------------------------------------------------------------- messages

class socketShutdown(producerFinished):
    """The connection ended in an orderly way. ``reason`` (str), ``peer`` ((host, port) or None)."""

    def __init__(self, reason="closed", peer=None, caller=None):
        super().__init__(caller, reason)
        self.reason = reason
        self.peer = peer

    def __repr__(self):
        return "%s(%r, peer=%r)" % (type(self).__name__, self.reason, self.peer)


class idleTimeout(socketShutdown):
    """The connection was closed because it was idle for ``idle_timeout`` seconds."""


class connectionError(shutdownMicroprocess):
    """The connection broke. ``reason`` (str), ``errno`` (int or None), ``peer``."""

    def __init__(self, reason, errno=None, peer=None):
        super().__init__()
        self.reason = reason
        self.errno = errno
        self.peer = peer

    def __repr__(self):
        return "%s(%r, errno=%r, peer=%r)" % (type(self).__name__, self.reason, self.errno, self.peer)


class connectionFailed(connectionError):
    """A client could not connect (refused, unreachable, timed out, bad address)."""


class newConnection:
    """Server event (on ``TCPServer``'s ``events`` outbox): a connection was accepted."""

    def __init__(self, peer, local, handler, connection):
        self.peer = peer
        self.local = local
        self.handler = handler
        self.connection = connection

    def __repr__(self):
        return "newConnection(peer=%r)" % (self.peer,)


class connectionClosed:
    """Server event: a connection ended; ``how`` is the socketShutdown/connectionError message;
    ``failure`` the exception its protocol failed with, if it raised (None otherwise): the server
    watches its protocols, so such a failure closes that connection only (its traceback goes to
    stderr) and does not stop the run."""

    def __init__(self, peer, how, failure=None):
        self.peer = peer
        self.how = how
        self.failure = failure

    def __repr__(self):
        if self.failure is not None:
            return "connectionClosed(peer=%r, how=%r, failure=%r)" % (self.peer, self.how, self.failure)
        return "connectionClosed(peer=%r, how=%r)" % (self.peer, self.how)


class connectionRejected:
    """Server event: a connection was accepted and closed at once because ``max_connections``
    connections were open."""

    def __init__(self, peer, limit):
        self.peer = peer
        self.limit = limit

    def __repr__(self):
        return "connectionRejected(peer=%r, limit=%r)" % (self.peer, self.limit)


def _describe(exc):
    code = getattr(exc, "errno", None)
    if isinstance(exc, ConnectionResetError):
        return "connection reset by peer", code
    if isinstance(exc, BrokenPipeError):
        return "broken pipe (peer vanished mid-write)", code
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused", code
    if isinstance(exc, socket.timeout):
        return "timed out", code
    if isinstance(exc, socket.gaierror):
        return "address lookup failed: %s" % (exc,), code
    return "%s: %s" % (type(exc).__name__, exc), code


def _queued_bytes(q):
    """Bytes in a box of messages waiting to be written (what is not bytes or str counts 0)."""
    n = 0
    for m in q:
        if isinstance(m, (bytes, bytearray, memoryview, str)):
            n += len(m)
    return n


def _family_for(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _to_bytes(msg):
    if isinstance(msg, (bytes, bytearray, memoryview)):
        return msg
    if isinstance(msg, str):
        return msg.encode("utf-8")
    return None


# ------------------------------------------------------------------------- connected socket

class ConnectedSocket(component):
    """One established TCP connection (Kamaelia's ConnectedSocketAdapter).

    Boxes: ``inbox`` bytes (or str, sent UTF-8) to write; ``control`` producerFinished (flush what
    is queued, half-close, finish) or shutdownMicroprocess (flush for at most ``linger`` s, close);
    ``outbox`` bytes read; ``signal`` how it ended (socketShutdown / idleTimeout /
    connectionError), sent once. An owner learns that it finished through ``onFinish``.

    Its life is the state machine of ``kamaelia_lite.net.tcp_state`` (``self.lifecycle``), and
    it holds at most ``max_buffer`` bytes (default 1 MiB): bytes read that the receiver has not
    taken yet, plus bytes queued for writing (of which at most ``max_send_buffer`` are taken from
    ``inbox``; beyond that messages stay in ``inbox``, which fills, and the sender sees it full).
    With the budget spent it stops reading, and TCP flow control slows the peer.
    """

    Inboxes = {"inbox": "bytes to send to the peer", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "bytes received from the peer", "signal": "how the connection ended"}

    recv_size = 65536
    max_buffer = 1 << 20
    max_send_buffer = 256 * 1024
    linger = 2.0
    flush_timeout = 30.0
    idle_timeout = None
    own_idle_timer = False     # servers sweep idle connections themselves
    half_close_reads = False   # after we half-close, keep delivering what the peer sends
    end_on_peer_close = False  # finish (after flushing) as soon as the peer closes
    eager_turn = False         # after a read, stay runnable one turn (see the read step)
    # Counters and outcome: class defaults until first set (a server makes thousands of these).
    bytes_in = 0
    bytes_out = 0
    dropped_after_close = 0
    ended = None               # how it ended (the message sent on signal)
    closing = None             # the message that asked it to finish, once one has
    lifecycle = None           # its tcp_state.Lifecycle, once running
    budget = None              # its tcp_state.Budget, once running

    def __init__(self, sock, peer=None, **argd):
        super().__init__(**argd)
        self.sock = sock
        self.peer = peer
        self.last_active = now()
        self.lifecycle = self.budget = None      # (set now, not on first use: see _SEEN)
        self.bytes_in = self.bytes_out = 0

    # -- helpers -------------------------------------------------------------------------
    def _close_sock(self):
        s = self.sock
        if s is not None:
            self.sock = None
            try:
                s.close()
            except OSError:
                pass

    def _end(self, how):
        """Tell everyone once how the connection ended."""
        if self.ended is None:
            self.ended = how
            self.send(how, "signal")

    def _broke(self, exc):
        """The socket failed: the connection is over (ERROR)."""
        self.lifecycle.handle(_ts.FAIL, now())
        reason, code = _describe(exc)
        self._end(connectionError(reason, code, self.peer))

    def _ask(self, msg):
        """A control message asked us to finish: FINISH (flush), or ABORT (at most linger s)."""
        urgent = isinstance(msg, (shutdownMicroprocess, idleTimeout))
        life = self.lifecycle
        if self.closing is None or (urgent and not life.urgent):
            self.closing = msg
        life.handle(_ts.ABORT if urgent else _ts.FINISH, now())

    def main(self):
        # The hot path of every connection: a step costs a handful of calls (a read step: look
        # at control and inbox, recv, send on; a write step: control, inbox, recv, socket send).
        # It reads: control, deliver, write, read, transition, wait.
        sock = self.sock
        life = self.lifecycle = _ts.Lifecycle(self.linger, self.flush_timeout,
                                              self.half_close_reads, self.end_on_peer_close)
        budget = self.budget = _ts.Budget(self.max_buffer)
        sendbuf = budget.send
        sizes = budget.sizes
        limit = budget.limit
        send_limit = min(self.max_send_buffer, limit)
        held = None               # bytes read but not handed on: the receiver's inbox was full
        recv_size = self.recv_size
        eager = self.eager_turn
        own_idle = self.idle_timeout if self.own_idle_timer else None
        track = self.idle_timeout is not None      # keep last_active up to date
        take = self.recv                           # bound methods: this loop is the hot path
        put = self.send
        space = self.hasSpace
        wait_readable = self.waitReadable
        pause = self.pause
        early = getattr(self, "_early_control", None)     # TCPClient: arrived while connecting
        control_box = self.getInbox("control")     # len(box.q): dataReady without a call
        inbox = self.getInbox("inbox")
        READS = _ts.READS                          # (locals: looked up on every step)
        WRITES = _ts.WRITES
        OPEN = _ts.OPEN
        PEER_CLOSED = _ts.PEER_CLOSED
        WR_SHUT = _ts.WR_SHUT
        DONE = _ts.DONE
        half_close_reads = self.half_close_reads
        # the hot path (0. below) needs room for a full read (and no idle timer of its own)
        fast_room = limit - recv_size if own_idle is None else -1
        steady = False            # in the steady state (see 0.): set by each general step's end
        budget.watch(space("outbox"))
        if early is not None:
            self._ask(early)
        try:
            while True:
                # 0. The steady state of request/response, the hot path of a server: open, nothing
                #    held back or queued for writing, no control message, room for a full read.
                #    Write the one reply waiting as it is, else read and hand on; then wait for
                #    the socket. Anything else, or any surprise on the way, falls through to the
                #    general way (1-6), which sees the state as the hot path left it.
                if steady and not control_box.q:
                    q = inbox.q
                    if q:
                        if len(q) == 1 and q[0].__class__ is bytes:
                            data = take("inbox")
                            try:
                                n = sock.send(data)
                            except OSError as e:
                                if e.errno not in _WOULDBLOCK:
                                    self._broke(e)
                                    return
                                n = 0
                            if n:
                                self.bytes_out += n
                                if track:
                                    self.last_active = now()
                            if n == len(data):
                                wait_readable(sock)       # (no read: the peer waits for this reply)
                                pause()
                                yield 1
                                continue
                            sendbuf.push(data)            # the kernel's buffer is full: keep the rest
                            sendbuf.sent(n)
                    else:
                        try:
                            data = sock.recv(recv_size)
                        except OSError as e:
                            if e.errno not in _WOULDBLOCK:
                                self._broke(e)
                                return
                            data = None
                        if data:
                            n = len(data)
                            self.bytes_in += n
                            if track:
                                self.last_active = now()
                            budget.unconsumed += n
                            try:
                                put(data, "outbox")
                            except noSpaceInBox:
                                held = data               # backpressure: stop reading for now
                            else:
                                sizes.append(n)
                                steady = budget.unconsumed <= fast_room and len(sizes) <= 64
                                if not eager and n < recv_size:
                                    wait_readable(sock)
                                    pause()
                                yield 1                   # (see the read step below)
                                continue
                        elif data is None:
                            wait_readable(sock)
                            pause()
                            yield 1
                            continue
                        else:
                            self._peer_closed()
                            if life.peer_closed(now()) == _ts.CLOSING and self.closing is None:
                                self.closing = self.ended
                steady = False            # (until step 6 finds it again)
                # 1. control (not flow.py's rule: every message steps the lifecycle, urgent ones abort)
                while control_box.q:
                    self._ask(take("control"))
                state = life.state
                # 2. deliver what was held back for want of room
                if held is not None:
                    try:
                        put(held, "outbox")
                    except noSpaceInBox:
                        pass
                    else:
                        sizes.append(len(held))
                        held = None
                # 3. write: take queued messages while the send buffer has room, and write.
                #    Nothing arrives in inbox during our own step, so one look at its length will do.
                took = False
                queued = len(inbox.q) if sendbuf.nbytes < send_limit else 0
                while queued or sendbuf.nbytes:
                    direct = None                 # the one message to write, not queued
                    while queued and sendbuf.nbytes < send_limit:
                        queued -= 1
                        data = take("inbox")
                        took = True
                        if data.__class__ is not bytes:
                            data = _to_bytes(data)
                            if data is None:
                                sys.stderr.write("microaxon: %s: dropped a message that is not bytes "
                                                 "or str\n" % self.name)
                                continue
                        if state not in WRITES:   # our FIN is sent
                            self.dropped_after_close += 1
                            continue
                        if not queued and not sendbuf.nbytes:
                            direct = data         # (the usual reply: written as it is)
                            break
                        sendbuf.push(data)
                    data = direct if direct is not None else sendbuf.chunk()
                    if data is None:
                        break
                    try:
                        n = sock.send(data)
                    except OSError as e:
                        if e.errno in _WOULDBLOCK:
                            if direct is not None:
                                sendbuf.push(direct)
                            break
                        self._broke(e)
                        return
                    self.bytes_out += n
                    if track:
                        self.last_active = now()
                    if direct is not None:
                        if n < len(direct):
                            sendbuf.push(direct)  # the kernel's buffer is full: keep the rest
                            sendbuf.sent(n)
                            break
                    elif n < len(data):
                        sendbuf.sent(n)
                        break                     # the kernel's buffer is full: wait for room
                    else:
                        sendbuf.sent(n)
                    if not queued and not sendbuf.nbytes:
                        queued = len(inbox.q)     # the buffer has room again
                # 4. read (skipped right after taking a reply from inbox: in request/response
                #    the peer is waiting for us, and the poller tells us if it is not)
                room = 0
                if held is None and state in READS:
                    writing = sendbuf.nbytes
                    room = limit - budget.unconsumed - writing
                    if room < recv_size or len(sizes) > 64:
                        budget.taken(space("outbox"))       # what the receiver took meanwhile
                        room = limit - budget.unconsumed - writing
                    if writing >= send_limit and inbox.q:
                        room -= _queued_bytes(inbox.q)       # replies waiting for the buffer
                if room > 0 and not took:
                    try:
                        data = sock.recv(recv_size if room >= recv_size else room)
                    except OSError as e:
                        if e.errno not in _WOULDBLOCK:
                            self._broke(e)
                            return
                    else:
                        if data:
                            n = len(data)
                            self.bytes_in += n
                            if track:
                                self.last_active = now()
                            if state != WR_SHUT or half_close_reads:
                                budget.unconsumed += n
                                try:
                                    put(data, "outbox")
                                    sizes.append(n)
                                except noSpaceInBox:
                                    held = data           # backpressure: stop reading for now
                            # Stay runnable for one more turn instead of sleeping: more data may
                            # be waiting (a full read), or the receiver answers during this pass
                            # and the reply is written next turn without a trip through the poller.
                            if held is None and (eager or n == recv_size):
                                yield 1
                                continue
                        else:
                            if state == OPEN or (state == WR_SHUT and half_close_reads):
                                self._peer_closed()
                            state = life.peer_closed(now())
                            if state == _ts.CLOSING and self.closing is None:
                                self.closing = self.ended
                # 5. transition
                state = life.state
                if state != OPEN and state != PEER_CLOSED:
                    if not sendbuf.nbytes:
                        if state == _ts.FLUSHING:
                            try:
                                sock.shutdown(socket.SHUT_WR)
                            except OSError:
                                pass
                            state = life.handle(_ts.FLUSHED, now())
                        elif held is None and (state == _ts.CLOSING or state == _ts.DRAINING):
                            state = life.handle(_ts.FLUSHED, now())
                    if state != DONE and life.expired(now()):
                        state = life.handle(_ts.EXPIRED, now())
                    if state == DONE:
                        break
                # 6. wait until something can move
                steady = held is None and state == OPEN and not sendbuf.nbytes \
                    and budget.unconsumed <= fast_room and len(sizes) <= 64
                if sendbuf.nbytes:
                    self.waitWritable(sock)
                if held is not None:
                    self.waitSpace("outbox")
                elif state in READS:
                    if room > 0:
                        wait_readable(sock)
                    elif budget.unconsumed:
                        # budget spent: until the receiver takes a message (plain waitSpace
                        # would wake us at once while its box has free slots: a busy loop)
                        self.waitSpace("outbox", taken=True)
                timeout = None
                if life.deadline is not None:
                    timeout = max(0.0, life.deadline - now())
                if own_idle is not None and self.closing is None:
                    left = self.last_active + own_idle - now()
                    if left <= 0:
                        self._ask(idleTimeout("idle for %gs" % own_idle, self.peer))
                        continue
                    if timeout is None or left < timeout:
                        timeout = left
                pause(timeout)
                yield 1
            # orderly end
            closing = self.closing
            if isinstance(closing, idleTimeout):
                self._end(closing)
            elif self.ended is not None:
                pass                       # the half-close notice already told the receiver
            elif isinstance(closing, shutdownMicroprocess):
                self._end(socketShutdown("shut down", self.peer))
            else:
                self._end(socketShutdown("closed", self.peer))
        finally:
            self._close_sock()

    def _peer_closed(self):
        """The peer half-closed: tell the receiver (a producerFinished: drain, answer, finish)."""
        how = socketShutdown("closed by peer", self.peer)
        self.ended = how
        self.send(how, "signal")

# ------------------------------------------------------------------------------- the server

def _listen(host, port, backlog, reuse_port=False):
    family = _family_for(host)
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port and hasattr(socket, "SO_REUSEPORT"):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):
            # "::" then serves IPv4 too, where the system allows it
            try:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except OSError:
                pass
        s.bind((host, port))
        s.listen(backlog)
        s.setblocking(False)
    except Exception:
        s.close()
        raise
    return s


# Protocol classes that have had a connection. CPython (3.11) keeps a class's instances in a compact
# layout, with fast attribute access, only for the attribute names the class learnt while it had
# few instances: a burst of hundreds of connections set up before the first of them runs (and sets
# its attributes) would give every connection of the process a full dict instead, and make every
# request slower (about 5 % more instructions per echo). So a protocol class's first connection
# is set up, and runs, before the rest of its burst.
_SEEN = set()


class TCPServer(component):
    """A multi-connection TCP server: one protocol component per connection.

    Parameters:
    - ``protocol``: callable returning a component (called with no arguments, see ``ServerCore``
      for the variant that passes the peer's address).
    - ``port``: port to listen on; 0 picks a free one (read it back from ``.port`` after
      ``activate()``).
    - ``host``: address to listen on, default "127.0.0.1" (loopback only: exposing a server to
      the network is an explicit choice — pass "0.0.0.0", "::" or an interface address). An
      address containing ":" is IPv6.
    - ``max_connections`` (default 10000): beyond it a new connection is accepted and closed at
      once, reported as ``connectionRejected`` on ``events`` and on stderr (once a second).
    - ``idle_timeout`` (s, default None): close connections with no traffic for this long; the
      protocol receives ``idleTimeout`` on its control inbox.
    - ``max_buffer`` (bytes, default 1 MiB): each connection's byte budget — bytes read that its
      protocol has not taken yet plus bytes queued for writing; past it the connection stops
      reading (TCP flow control slows the peer) and the protocol's replies wait for room.
    - ``max_send_buffer`` (bytes, default 256 KiB, within ``max_buffer``), ``recv_size``
      (default 65536), ``linger`` (s, default 2): per-connection limits, see ``ConnectedSocket``.
    - ``backlog`` (default 1024), ``reuse_port`` (default False), ``accept_batch`` (default
      256: connections set up per turn, between which the open connections are served; with
      1,000 clients connecting at once while 1,000 others close, 256 gave the lowest p99).
      Every turn first takes all waiting connections off the kernel's accept queue (holding at
      most ``backlog`` of them), so a burst does not overflow it: the kernel drops the SYNs of
      clients that find it full, and they retry only a second later.

    Boxes: ``control`` producerFinished/shutdownMicroprocess: stop accepting, close the listening
    socket, send producerFinished to every protocol (they drain and finish, their queued output is
    flushed, then each socket is closed), then pass the message on ``signal`` and finish.
    ``events`` (outbox): newConnection / connectionClosed / connectionRejected notices.
    ``inbox``/``outbox``: unused (kept so a server fits in a Pipeline).

    The socket is bound in the constructor, so a port in use raises ``OSError`` right there.
    """

    Inboxes = {"inbox": "unused", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "unused", "signal": "the shutdown message once everything is closed",
                "events": "newConnection / connectionClosed / connectionRejected"}

    protocol = None
    port = 0
    host = "127.0.0.1"
    max_connections = 10000
    idle_timeout = None
    max_buffer = 1 << 20
    max_send_buffer = 256 * 1024
    recv_size = 65536
    linger = 2.0
    backlog = 1024
    accept_batch = 256
    reuse_port = False

    def __init__(self, protocol=None, port=None, **argd):
        if protocol is not None:
            argd["protocol"] = protocol
        if port is not None:
            argd["port"] = port
        super().__init__(**argd)
        if self.protocol is None:
            raise TypeError("%s needs protocol= (a callable returning a component)" % type(self).__name__)
        self.listener = _listen(self.host, self.port, self.backlog, self.reuse_port)
        self._listen_fd = self.listener
        self.port = self.listener.getsockname()[1]
        self.connections = {}        # ConnectedSocket -> [handler, outbox to it, outbox to handler, peer]
        self._closed = []            # connections that finished since the last look
        self._new = []               # components to activate at the next yield
        self._conn_of = {}           # protocol component -> its ConnectedSocket
        self._done_handlers = []     # protocol components that finished since the last look
        self._orphans = {}           # protocols still running after their socket closed
        self._accepted = []          # (socket, address) accepted but not yet set up (see _accept)
        self.rejected = 0
        self._last_reject_report = -1e9
        self.starved = 0             # accept() failures for want of descriptors or memory
        self._starved_since = 0
        self._last_starve_report = -1e9
        self._backoff = 0.0          # s not to look at the listener after such a failure
        self._resume_at = 0.0

    def make_protocol(self, peer, local):
        """Create the protocol component for a new connection (override to customise)."""
        return self.protocol()

    def _accept(self):
        """Take every waiting connection off the kernel's queue (cheap: accept only), then set up
        at most ``accept_batch`` of them. During a burst the queue is emptied on every turn, so it
        does not overflow the listen backlog (the kernel drops SYNs when it is full, and those
        clients retry a second later) while connections are being set up."""
        waiting = self._accepted
        room = max(self.backlog, self.accept_batch) - len(waiting)   # no more than the kernel's queue
        listener = self.listener
        while room > 0:
            try:
                pair = listener.accept()
            except OSError as e:
                if e.errno in _WOULDBLOCK:
                    break
                if e.errno in _NO_RESOURCES:
                    self._starved(e)
                    break
                continue                              # e.g. ECONNABORTED: that peer gave up
            waiting.append(pair)
            room -= 1
            self._backoff = 0.0
        i = 0
        end = min(len(waiting), self.accept_batch)
        while i < end:
            sock, addr = waiting[i]
            i += 1
            if self._admit(sock, (addr[0], addr[1])):
                break             # a protocol class's first connection runs before the rest
        del waiting[:i]

    def _starved(self, exc):
        """accept() failed for want of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM): the
        connection stays in the kernel's queue and the listener stays readable, so stop looking
        at it for a while (10 ms, doubling up to 1 s; reset by the next accept that works) and
        say so at most once a second, with a count."""
        self._backoff = min(max(self._backoff * 2, 0.01), 1.0)
        t = now()
        self._resume_at = t + self._backoff
        self.starved += 1
        self._starved_since += 1
        if t - self._last_starve_report >= 1.0:
            self._last_starve_report = t
            sys.stderr.write("microaxon: %s: accept failed: %s; %d refused since the last report "
                             "(%d in all), retrying in %gs\n"
                             % (self.name, exc, self._starved_since, self.starved, self._backoff))
            self._starved_since = 0

    def _admit(self, sock, peer):
        if len(self.connections) >= self.max_connections:
            self.rejected += 1
            try:
                sock.close()
            except OSError:
                pass
            t = now()
            if t - self._last_reject_report >= 1.0:
                self._last_reject_report = t
                sys.stderr.write("microaxon: %s: refused connection from %s:%s: max_connections=%d "
                                 "reached (%d refused so far)\n"
                                 % (self.name, peer[0], peer[1], self.max_connections, self.rejected))
            self.send(connectionRejected(peer, self.max_connections), "events")
            return False
        try:
            sock.setblocking(False)
            local = sock.getsockname()[:2]
        except OSError:                               # the peer reset it while it waited
            sock.close()
            return False
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        return self._wire(sock, peer, local)

    def _wire(self, sock, peer, local):
        try:
            handler = self.make_protocol(peer, local)
        except Exception as e:
            sys.stderr.write("microaxon: %s: protocol factory failed for %s: %r\n" % (self.name, peer, e))
            sock.close()
            return False
        conn = ConnectedSocket(sock, peer, **self._conn_opts)
        conn.onFinish(self._closed.append)    # how the server learns that it ended
        # The connection makes the links between itself and its protocol, so the server's own
        # bookkeeping stays O(1) per connection whatever the number of connections.
        conn.link((conn, "outbox"), (handler, "inbox"))
        conn.link((handler, "outbox"), (conn, "inbox"))
        conn.link((conn, "signal"), (handler, "control"))
        conn.link((handler, "signal"), (conn, "control"))
        self.connections[conn] = [handler, None, None, peer]
        self._conn_of[handler] = conn
        handler.onFinish(self._handler_finished)
        self.addChildren(conn, handler)
        self._new.append(conn)                # activated by yielding newComponent (see main)
        self._new.append(handler)
        self.send(newConnection(peer, local, handler, conn), "events")
        kind = handler.__class__
        if kind in _SEEN:
            return False
        _SEEN.add(kind)
        return True               # its class's first: set up alone (see _SEEN)

    def _tell(self, conn, which, msg):
        """Send ``msg`` to the connection's (which=1) or its protocol's (which=2) control inbox,
        linking an outbox for it on first use."""
        entry = self.connections[conn]
        box = entry[which]
        if box is None:
            target = conn if which == 1 else entry[0]
            if target.finished():
                return
            box = self.addOutbox("_%s%d" % ("conn" if which == 1 else "proto", conn.id))
            self.link((self, box), (target, "control"))
            entry[which] = box
        try:
            self.send(msg, box)
        except Exception:
            pass                  # its control box is full of shutdown notices already

    def _handler_finished(self, handler):
        self._done_handlers.append(handler)

    def _reap(self):
        """Remove finished connections; O(1) per connection whatever the number open."""
        closed = self._closed
        while closed:
            conn = closed.pop()
            entry = self.connections.pop(conn, None)
            if entry is None:
                continue
            handler, ctl, hctl, peer = entry
            if conn.ended is not None:
                self.send(connectionClosed(peer, conn.ended, handler.failure), "events")
            for box in (ctl, hctl):
                if box is not None:
                    self.deleteOutbox(box)
            self.removeChild(conn)
            self._conn_of.pop(handler, None)
            if handler.finished():
                self.removeChild(handler)
            else:
                self._orphans[handler] = True      # told how it ended; finishes on its own

    def _after_handlers_finished(self):
        """Protocols that ended: forget the orphans among them; a protocol that returned without
        passing a shutdown on gets its socket flushed and closed. (A protocol that *raises* is
        handled by the core, which sends shutdownMicroprocess on its signal outbox, i.e. to the
        socket.)"""
        done = self._done_handlers
        while done:
            h = done.pop()
            if h in self._orphans:
                del self._orphans[h]
                self.removeChild(h)
                continue
            conn = self._conn_of.get(h)
            if conn is not None and not conn.finished() and conn.closing is None \
                    and not conn.dataReady("control"):
                self._tell(conn, 1, producerFinished(self))

    def _sweep_idle(self):
        t = now()
        limit = self.idle_timeout
        for conn in list(self.connections):
            if not conn.finished() and not getattr(conn, "_idled", False):
                if t - conn.last_active >= limit:
                    conn._idled = True
                    self._tell(conn, 1, idleTimeout("idle for %.3gs" % limit, conn.peer))

    def main(self):
        # Per-connection settings that differ from ConnectedSocket's own defaults (only those
        # are passed on: fewer attributes to set for each new connection).
        self._conn_opts = {}
        for k in ("max_buffer", "max_send_buffer", "recv_size", "linger", "idle_timeout"):
            v = getattr(self, k)
            if v != getattr(ConnectedSocket, k):
                self._conn_opts[k] = v
        stopping = None
        sweep = None             # idle connections are looked for every `sweep` s (not per wake-up)
        if self.idle_timeout is not None:
            sweep = max(0.01, self.idle_timeout / 4.0)
            next_sweep = now() + sweep
        wait = None
        try:
            while True:
                if stopping is None:
                    stopping = msg = take_ending(self)
                    if msg is not None:
                        self._close_listener()
                        for conn in list(self.connections):
                            self._tell(conn, 2, producerFinished(self))
                            if isinstance(msg, shutdownMicroprocess):
                                self._tell(conn, 1, shutdownMicroprocess(self))
                backing_off = stopping is None and self._backoff and now() < self._resume_at
                if stopping is None and not backing_off:
                    self._accept()
                    backing_off = self._backoff and now() < self._resume_at
                self._after_handlers_finished()
                self._reap()
                if sweep is not None:
                    t = now()
                    if t >= next_sweep:
                        self._sweep_idle()
                        next_sweep = t + sweep
                    wait = next_sweep - t
                if stopping is not None and not self.connections and not self._orphans:
                    break
                if stopping is None and self._accepted:
                    pass                 # set-ups left: stay runnable (open ones are served between)
                elif backing_off:        # out of descriptors: look again later, not at once
                    left = self._resume_at - now()
                    self.pause(left if wait is None or left < wait else wait)
                else:
                    if stopping is None:
                        self.waitReadable(self._listen_fd)
                    self.pause(wait)
                new, self._new = self._new, []
                yield newComponent(*new) if new else 1
            self.send(stopping, "signal")
        finally:
            self._close_listener()
            for conn in list(self.connections):
                if not conn.finished():
                    conn.stop()

    def _close_listener(self):
        """Stop accepting: close the listening socket and every connection not yet set up."""
        s = getattr(self, "listener", None)
        if s is not None:
            self.listener = None
            try:
                s.close()
            except OSError:
                pass
        waiting = getattr(self, "_accepted", ())
        while waiting:
            try:
                waiting.pop()[0].close()
            except OSError:
                pass


class ServerCore(TCPServer):
    """Kamaelia's ``ServerCore(protocol=..., port=1601)``: the factory is called with keyword
    arguments ``peer, peerport, localip, localport``. Listens on all interfaces by default
    (``host="0.0.0.0"``), as Kamaelia did."""

    port = 1601
    host = "0.0.0.0"

    def make_protocol(self, peer, local):
        return self.protocol(peer=peer[0], peerport=peer[1], localip=local[0], localport=local[1])


class SimpleServer(TCPServer):
    """Kamaelia's ``SimpleServer(protocol=..., port=1601)``: the factory is called with no
    arguments. Listens on all interfaces by default (``host="0.0.0.0"``), as Kamaelia did."""

    port = 1601
    host = "0.0.0.0"


# ------------------------------------------------------------------------------- the client

class TCPClient(ConnectedSocket):
    """``TCPClient(host, port, delay=0, connect_timeout=60)`` — a TCP connection as a component.

    Boxes: ``inbox`` bytes (or str, sent UTF-8) to send; ``outbox`` bytes received; ``control``:
    producerFinished = send what is queued, half-close (shutdown SHUT_WR) and keep reading until
    the peer closes; shutdownMicroprocess = close (after flushing for at most ``linger`` s).
    ``signal``: exactly one message when it ends — ``socketShutdown`` (peer closed or we
    finished), ``idleTimeout``, ``connectionError`` (reset...), or ``connectionFailed``.

    ``host`` may be a name, an IPv4 or an IPv6 address. ``idle_timeout`` (s) closes an idle
    connection. The connection is made without blocking the scheduler (the name lookup does
    block; pass an address to avoid it).
    """

    Inboxes = {"inbox": "bytes to send", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "bytes received", "signal": "how the connection ended"}

    delay = 0
    connect_timeout = 60.0
    own_idle_timer = True
    half_close_reads = True
    end_on_peer_close = True

    def __init__(self, host="127.0.0.1", port=1601, delay=0, connect_timeout=60.0, **argd):
        super().__init__(None, (host, port), delay=delay, connect_timeout=connect_timeout, **argd)
        self.host = host
        self.port = port

    def main(self):
        try:
            if self.delay:
                self.pause(self.delay)
                yield 1
            try:
                infos = socket.getaddrinfo(self.host, self.port, 0, socket.SOCK_STREAM)
                family, _, _, _, addr = infos[0]
                sock = socket.socket(family, socket.SOCK_STREAM)
            except OSError as e:
                reason, code = _describe(e)
                self._end(connectionFailed(reason, code, self.peer))
                return
            self.sock = sock
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            err = sock.connect_ex(addr)
            if err not in (0,) + _WOULDBLOCK:
                self._end(connectionFailed(_errno_reason(err), err, self.peer))
                return
            deadline = now() + self.connect_timeout
            while err != 0:
                if self.dataReady("control"):  # not flow.py's: kept for the connected loop to act on
                    msg = self.recv("control")
                    if isinstance(msg, shutdownMicroprocess):
                        self._end(socketShutdown("shut down before connecting", self.peer))
                        return
                    self._early_control = msg
                self.waitWritable(sock)
                self.pause(max(0.0, deadline - now()))
                yield 1
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    # writable and no error: connected (or still pending if woken by a message)
                    try:
                        sock.getpeername()
                    except OSError:
                        if now() >= deadline:
                            self._end(connectionFailed("timed out after %gs" % self.connect_timeout,
                                                       _errno.ETIMEDOUT, self.peer))
                            return
                        err = _errno.EINPROGRESS
                        continue
                    break
                if err not in _WOULDBLOCK:
                    self._end(connectionFailed(_errno_reason(err), err, self.peer))
                    return
                if now() >= deadline:
                    self._end(connectionFailed("timed out after %gs" % self.connect_timeout,
                                               _errno.ETIMEDOUT, self.peer))
                    return
            self.last_active = now()
            yield from ConnectedSocket.main(self)
        finally:
            self._close_sock()


def _errno_reason(code):
    names = {_errno.ECONNREFUSED: "connection refused", _errno.ETIMEDOUT: "timed out",
             _errno.EHOSTUNREACH: "host unreachable", _errno.ENETUNREACH: "network unreachable",
             _errno.ECONNRESET: "connection reset by peer"}
    if code in names:
        return names[code]
    try:
        import os
        return os.strerror(code)
    except Exception:
        return "error %d" % code


class SingleServer(component):
    """Kamaelia's ``SingleServer(port=1601)``: accept ONE connection and be it.

    ``inbox`` bytes to send to the client (queued until it connects), ``outbox`` bytes received.
    When the client disconnects, ``signal`` carries the ``socketShutdown``/``connectionError``.
    Further connections are refused (accepted and closed). ``host`` defaults to "0.0.0.0" as in
    Kamaelia; ``.port`` holds the bound port (``port=0`` picks one).
    """

    Inboxes = {"inbox": "bytes to send", "control": "producerFinished / shutdownMicroprocess",
               "_fromconn": "internal", "_connsignal": "internal"}
    Outboxes = {"outbox": "bytes received", "signal": "how the connection ended",
                "_toconn": "internal", "_connctl": "internal"}

    port = 1601
    host = "0.0.0.0"
    linger = 2.0
    idle_timeout = None

    def __init__(self, port=None, **argd):
        if port is not None:
            argd["port"] = port
        super().__init__(**argd)
        self.listener = _listen(self.host, self.port, 8)
        self._listen_fd = self.listener
        self.port = self.listener.getsockname()[1]

    def main(self):
        conn = None
        reported = -1e9
        try:
            while conn is None:
                if passed_shutdown_on(self):
                    return
                try:
                    sock, addr = self.listener.accept()
                except OSError as e:
                    if e.errno in _NO_RESOURCES:          # the listener stays readable: back off
                        t = now()
                        if t - reported >= 1.0:
                            reported = t
                            sys.stderr.write("microaxon: %s: accept failed: %s; retrying every "
                                             "0.1s\n" % (self.name, e))
                        self.pause(0.1)
                    else:
                        if e.errno not in _WOULDBLOCK:
                            sys.stderr.write("microaxon: %s: accept failed: %s\n" % (self.name, e))
                        self.waitReadable(self._listen_fd)
                        self.pause()
                    yield 1
                    continue
                sock.setblocking(False)
                conn = ConnectedSocket(sock, (addr[0], addr[1]), linger=self.linger,
                                       idle_timeout=self.idle_timeout, own_idle_timer=True,
                                       end_on_peer_close=True)
            self.link((self, "inbox"), (conn, "inbox"), passthrough=1)
            self.link((conn, "outbox"), (self, "outbox"), passthrough=2)
            self.link((conn, "signal"), (self, "_connsignal"))
            self.link((self, "_connctl"), (conn, "control"))
            self.addChildren(conn)
            yield newComponent(conn)
            while not conn.finished():
                # keep refusing further clients
                try:
                    extra, _ = self.listener.accept()
                    extra.close()
                except OSError:
                    pass
                if self.dataReady("control"):      # not flow.py's: the connection decides
                    self.send(self.recv("control"), "_connctl")
                self.waitReadable(self._listen_fd)
                self.pause()
                yield 1
            how = None
            while self.dataReady("_connsignal"):
                how = self.recv("_connsignal")
            if how is not None and not isinstance(how, socketShutdown) or how is None:
                how = conn.ended or how
            self.send(how, "signal")
        finally:
            if conn is not None and not conn.finished():
                conn.stop()
            s = self.listener
            self.listener = None
            if s is not None:
                s.close()
