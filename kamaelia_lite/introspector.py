"""Introspector: serves the running scheduler's snapshot as JSON lines over localhost TCP.

    from kamaelia_lite.introspector import Introspector
    Introspector(port=7878).activate()          # then: microaxon-top --port 7878

Each connected client receives one line per ``interval`` seconds::

    {"t": <seconds since the introspector started>, "components": [<snapshot dicts>]}

(the format of ``microaxon.introspect.snapshot(scheduler)``, see docs/core-api.md; encode/decode helpers are in
microaxon.introspect), and one extra line soon after it sends a line of its own (any text, e.g.
``"snapshot\\n"``).

Cost is bounded by time, not by viewers or requests: a snapshot is taken at most once per
``snapshot_period`` seconds (or ``interval``, if shorter) and that one encoded line is shared by
every client; a client gets each snapshot at most once, so its requests are answered at most
once per period (requests in between merge into one answer, and its socket is not read while
an answer is owed, so a client that sends flat out is slowed by TCP flow control). A line is
queued for a client only once the previous one has been written out (a slow viewer gets the
newest snapshot when it catches up, never a queue of old ones).  The listening socket is bound to 127.0.0.1 by default; binding
anything that is not a loopback address needs ``allow_remote=True`` (a snapshot names every
component of the system, so it is not published to the network by accident).

Boxes
  inbox    unused
  control  producerFinished / shutdownMicroprocess: close every socket, pass it on, finish
  outbox   ``("listening", host, port)`` once, when the socket is bound (port=0 picks a free one)
  signal   the shutdown message, when finished
Errors
  A client that disconnects, resets, sends a request line over 4 KiB, or leaves a line unread for
  ``stall_timeout`` seconds is dropped (counted in ``self.dropped_clients``); the server keeps
  running.  More than ``max_clients``
  connections: the newest is closed at once.  The socket is bound in the constructor, so a port
  in use raises OSError right there; ``address`` is then ``(host, port)``.
(Written to import on MicroPython too: no annotations.)
"""
import errno
import socket

from kamaelia_lite.flow import take_ending
from microaxon import component, now, producerFinished
from microaxon.introspect import encode_snapshot, snapshot

_AGAIN = (errno.EAGAIN, getattr(errno, "EWOULDBLOCK", errno.EAGAIN), getattr(errno, "EINPROGRESS", 115))
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_loopback(host):
    """Whether ``host`` names a loopback interface (127.0.0.0/8, ::1, localhost)."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


class _Client:
    """One connected viewer: its socket and the bytes still to send it."""

    def __init__(self, sock, addr):
        self.sock = sock
        self.addr = addr
        self.out = b""
        self.inbuf = b""
        self.want = True         # owes this client a line (a new viewer gets one at once)
        self.got = None          # time of the snapshot it was last sent
        self.since = 0.0         # when the line now in ``out`` was queued


class Introspector(component):
    """Serve ``snapshot(scheduler)`` as JSON lines on a localhost TCP port (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "('listening', host, port) once bound", "signal": "shutdown signals"}

    host = "127.0.0.1"
    port = 0                 # 0: the OS picks a free port; see self.address / the outbox
    interval = 0.5           # seconds between pushed snapshots
    snapshot_period = 0.2    # at most one snapshot per this many seconds, shared by all clients
    stall_timeout = 10.0     # seconds a client may leave a line unread before it is dropped
    send_buffer = 1 << 16    # the kernel's send buffer per client (bytes): a stall shows soon
    max_clients = 8
    allow_remote = False
    scheduler = None         # default: the scheduler this component runs in
    count_messages = True    # switch on the core's per-inbox message counting (for messages/s)

    def __init__(self, **argd):
        super().__init__(**argd)
        if not self.allow_remote and not is_loopback(self.host):
            raise ValueError("Introspector: refusing to serve snapshots on %r (not loopback); "
                             "pass allow_remote=True to do that on purpose" % (self.host,))
        self.address = None
        self.clients = []
        self.dropped_clients = 0
        self.lines_sent = 0
        self.snapshots_taken = 0
        self._line = None        # the newest encoded snapshot, shared by every client
        self._line_t = 0.0       # when it was taken
        self._listener = None
        self._t0 = now()
        self._listen()          # bound now: ``address`` is known at once, a port in use fails here

    def snapshot_line(self):
        """The current snapshot as one encoded JSON line (taken now: counted in snapshots_taken)."""
        sched = self.scheduler or self._sched
        self.snapshots_taken += 1
        return encode_snapshot(snapshot(sched), round(now() - self._t0, 3))

    def _serve(self, t):
        """Queue a line for each client owed one and ready for it; returns the earliest time a
        client still owed one can have it (None: nobody waits on the period)."""
        period = min(self.snapshot_period, self.interval)
        wake = None
        for c in self.clients[:]:
            if not c.want:
                continue
            if c.out:                                       # room check: the last line is unsent
                due = c.since + self.stall_timeout
                if t > due:
                    self._drop(c)
                elif wake is None or due < wake:
                    wake = due
                continue
            fresh = self._line is not None and t - self._line_t < period
            if fresh and c.got == self._line_t:             # it has this one: wait for the next
                due = self._line_t + period
                if wake is None or due < wake:
                    wake = due
                continue
            if not fresh:
                self._line = self.snapshot_line()
                self._line_t = t
            c.out = self._line
            c.got = self._line_t
            c.since = t
            c.want = False
            self.lines_sent += 1
        return wake

    def _listen(self):
        ai = socket.getaddrinfo(self.host, self.port, 0, socket.SOCK_STREAM)[0]
        s = socket.socket(ai[0], socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(ai[-1])
            s.listen(4)
            s.setblocking(False)
        except Exception:
            s.close()
            raise
        self._listener = s
        try:
            bound = s.getsockname()
            self.address = (bound[0], bound[1])
        except Exception:                                   # MicroPython without getsockname
            self.address = (self.host, self.port)

    def _accept(self):
        while True:
            try:
                sock, addr = self._listener.accept()
            except OSError as e:
                if e.args and e.args[0] in _AGAIN:
                    return
                raise
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer)
            except (AttributeError, OSError):                # a port without SO_SNDBUF
                pass
            if len(self.clients) >= self.max_clients:
                sock.close()
                self.dropped_clients += 1
                continue
            self.clients.append(_Client(sock, addr))

    def _drop(self, c):
        if c in self.clients:
            self.clients.remove(c)
            self.dropped_clients += 1
        try:
            c.sock.close()
        except OSError:
            pass

    def _read(self, c):
        try:
            data = c.sock.recv(4096)
        except OSError as e:
            if e.args and e.args[0] in _AGAIN:
                return
            self._drop(c)
            return
        if not data:
            self._drop(c)
            return
        c.inbuf += data
        if b"\n" in c.inbuf:
            c.inbuf = c.inbuf[c.inbuf.rfind(b"\n") + 1:]
            c.want = True                                   # answered by _serve, once per period
        if len(c.inbuf) > 4096:                             # a request line is short: junk
            self._drop(c)

    def _write(self, c):
        while c.out:
            try:
                n = c.sock.send(c.out)
            except OSError as e:
                if e.args and e.args[0] in _AGAIN:
                    return
                self._drop(c)
                return
            if n is None:
                return
            c.out = c.out[n:]
            if n == 0:
                return

    def main(self):
        msg = None
        if self.count_messages:
            try:
                from microaxon.introspect import countMessages
                countMessages(True)                         # makes the snapshot's "delivered" count
            except ImportError:
                pass
        try:
            if self._listener is None:
                self._listen()
            self.send(("listening", self.address[0], self.address[1]), "outbox")
            next_push = now()
            while True:
                msg = take_ending(self)
                if msg is not None:
                    break
                while self.dataReady("inbox"):
                    self.recv("inbox")
                self._accept()
                for c in self.clients[:]:
                    if not c.want:                          # owed an answer: not read till served
                        self._read(c)
                t = now()
                if t >= next_push:
                    for c in self.clients:
                        c.want = True
                    next_push = t + self.interval
                wake = self._serve(t)
                for c in self.clients[:]:
                    self._write(c)
                self.waitReadable(self._listener)
                for c in self.clients:
                    if not c.want:
                        self.waitReadable(c.sock)
                    if c.out:
                        self.waitWritable(c.sock)
                if self.clients:
                    if wake is None or next_push < wake:
                        wake = next_push
                    self.pause(max(wake - now(), 0.0))
                else:
                    self.pause()                            # idle: wake only for a connection
                yield 1
        finally:
            for c in self.clients[:]:
                try:
                    c.sock.close()
                except OSError:
                    pass
            self.clients = []
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        self.send(msg if msg is not None else producerFinished(self), "signal")
