"""Introspector: serves the running scheduler's snapshot as JSON lines over localhost TCP.

    from kamaelia_lite.introspector import Introspector
    Introspector(port=7878).activate()          # then: microaxon-top --port 7878

Each connected client receives one line per ``interval`` seconds::

    {"t": <seconds since the introspector started>, "components": [<snapshot dicts>]}

(the format of ``microaxon.introspect.snapshot(scheduler)``, see docs/core-api.md; encode/decode helpers are in
microaxon.introspect), and one extra line at once whenever it sends a line of its own (any
text, e.g. ``"snapshot\\n"``).  The listening socket is bound to 127.0.0.1 by default; binding
anything that is not a loopback address needs ``allow_remote=True`` (a snapshot names every
component of the system, so it is not published to the network by accident).

Boxes
  inbox    unused
  control  producerFinished / shutdownMicroprocess: close every socket, pass it on, finish
  outbox   ``("listening", host, port)`` once, when the socket is bound (port=0 picks a free one)
  signal   the shutdown message, when finished
Errors
  A client that disconnects, resets, or falls more than ``max_backlog`` bytes behind is dropped
  (counted in ``self.dropped_clients``); the server keeps running.  More than ``max_clients``
  connections: the newest is closed at once.  The socket is bound in the constructor, so a port
  in use raises OSError right there; ``address`` is then ``(host, port)``.
(Written to import on MicroPython too: no annotations.)
"""
import errno
import socket

from microaxon import component, now, producerFinished, shutdown
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


class Introspector(component):
    """Serve ``snapshot(scheduler)`` as JSON lines on a localhost TCP port (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "('listening', host, port) once bound", "signal": "shutdown signals"}

    host = "127.0.0.1"
    port = 0                 # 0: the OS picks a free port; see self.address / the outbox
    interval = 0.5           # seconds between pushed snapshots
    max_clients = 8
    max_backlog = 1 << 20    # bytes queued for one client before it is dropped as too slow
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
        self._listener = None
        self._push_now = False
        self._t0 = now()
        self._listen()          # bound now: ``address`` is known at once, a port in use fails here

    def snapshot_line(self):
        """The current snapshot as one encoded JSON line."""
        sched = self.scheduler or self._sched
        return encode_snapshot(snapshot(sched), round(now() - self._t0, 3))

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
            if len(self.clients) >= self.max_clients:
                sock.close()
                self.dropped_clients += 1
                continue
            self.clients.append(_Client(sock, addr))
            self._push_now = True                           # a new viewer gets a line at once

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
            c.out += self.snapshot_line()
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
                if self.dataReady("control"):
                    msg = self.recv("control")
                    if isinstance(msg, shutdown):
                        break
                while self.dataReady("inbox"):
                    self.recv("inbox")
                self._accept()
                for c in self.clients[:]:
                    self._read(c)
                t = now()
                if t >= next_push or self._push_now:
                    self._push_now = False
                    if self.clients:
                        line = self.snapshot_line()
                        self.lines_sent += 1
                        for c in self.clients:
                            c.out += line
                    next_push = t + self.interval
                for c in self.clients[:]:
                    self._write(c)
                    if len(c.out) > self.max_backlog:
                        self._drop(c)
                self.waitReadable(self._listener)
                for c in self.clients:
                    self.waitReadable(c.sock)
                    if c.out:
                        self.waitWritable(c.sock)
                if self.clients:
                    self.pause(max(next_push - now(), 0.0))
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
