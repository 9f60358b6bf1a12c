"""Multicast island tunnel: bridge a multicast group across a unicast UDP or TCP link.

``MulticastTunnel(group, port, interface, peer, listen_port, key=None, transport="udp")`` runs on
one host of each island. What arrives on ``group:port`` (joined on ``interface``) is framed and sent by unicast UDP
to ``peer`` (the other endpoint's ``(host, listen_port)``); what arrives from the peer is
re-emitted on ``group:port`` locally. The two endpoints may use different groups/ports (each is
its island's).

No loops, no duplicates:
- the re-emitting socket has its own ephemeral port; datagrams from it (looped back by the
  kernel, or seen by this host's membership) are never forwarded back to the peer;
- every frame carries the id of the tunnel endpoint that first took it off a group; a frame
  arriving back at its origin is dropped;
- a bounded, time-limited memory of digests of what was re-emitted refuses the same payload
  arriving on the group from another path (a second tunnel on the island) within ``memory_time``.
  Identical payloads sent by a real source within ``memory_time`` of a re-emission would be
  refused too; streams with sequence numbers (SRM) never repeat payloads.

Frame on the unicast link: ``b"MT" | version 1 | origin id (4 bytes) | payload``, signed with
:mod:`kamaelia_lite.net.auth` when ``key`` is given (forged frames are dropped and counted).
The link is plain UDP: a frame lost on it is lost (run SRM end to end for reliability).

``transport="tcp"`` (for links that drop or block UDP): the end given ``peer`` connects to it (and
reconnects every ``reconnect_interval`` s after a failure); the end with ``peer=None`` listens on
``listen_port`` and takes the latest connection. Frames are length-prefixed (4 bytes, as
:func:`kamaelia_lite.net.framing.encode_length_prefixed`). Live traffic is not queued without
bound: beyond ``max_backlog`` bytes waiting for the TCP connection, frames are dropped and
counted in ``send_drops``; a corrupt stream (bad length) closes the connection (reconnect).
Counters ``connects`` and ``disconnects`` say how the connection went.
Counters: ``forwarded`` (group -> peer), ``emitted`` (peer -> group), ``looped`` (refused as loops or
duplicates), ``forged``, ``malformed``, ``send_drops`` (socket full).
Shutdown: ``producerFinished`` / ``shutdownMicroprocess`` on ``control`` end it (passed on
out of ``signal``); sockets close in ``finally``.
"""
import errno
import hashlib
import socket
from collections import deque

from kamaelia_lite.flow import take_ending
from kamaelia_lite.net.auth import DatagramAuthenticator, _urandom
from kamaelia_lite.net.framing import LengthPrefixDecoder, encode_length_prefixed
from kamaelia_lite.net.multicast import MAX_DATAGRAM, make_multicast_socket
from microaxon import component, now

MAGIC = b"MT\x01"
HEADER = len(MAGIC) + 4
BATCH = 64
_WOULD_BLOCK = (errno.EAGAIN, getattr(errno, "EWOULDBLOCK", errno.EAGAIN))


class MulticastTunnel(component):
    """One endpoint of a multicast island tunnel (see module doc)."""

    Inboxes = {"inbox": "not used", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "not used", "signal": "the shutdown message, passed on"}

    ttl = 1
    key = None
    transport = "udp"
    reconnect_interval = 0.5
    max_backlog = 1 << 20
    max_frame = 70000
    memory_size = 4096
    memory_time = 2.0
    rcvbuf = 1 << 20

    def __init__(self, group, port, interface, peer, listen_port, **argd):
        super().__init__(**argd)
        self.group = group
        self.port = port
        self.interface = interface
        self.peer = peer
        self.listen_port = listen_port
        self.origin = _urandom(4)
        self.auth = DatagramAuthenticator(self.key) if self.key is not None else None
        self.forwarded = self.emitted = self.looped = 0
        self.forged = self.malformed = self.send_drops = 0
        if self.transport not in ("udp", "tcp"):
            raise ValueError("transport must be 'udp' or 'tcp'")
        if self.transport == "udp" and peer is None:
            raise ValueError("a UDP tunnel needs its peer's (host, port)")
        self.connects = self.disconnects = 0
        self._memory = {}
        self._order = deque()
        self._socks = []
        self._conn = None            # TCP: the connected socket (or one connecting)
        self._connecting = False
        self._listener = None
        self._backlog = bytearray()
        self._decoder = None
        self._retry_at = 0.0

    # -- loop/duplicate memory
    def _remember(self, payload, t):
        d = hashlib.sha256(payload).digest()[:12]
        self._memory[d] = t
        self._order.append((d, t))
        if len(self._order) > self.memory_size:
            old, when = self._order.popleft()
            if self._memory.get(old) == when:
                del self._memory[old]

    def _seen(self, payload, t):
        d = hashlib.sha256(payload).digest()[:12]
        when = self._memory.get(d)
        return when is not None and t - when <= self.memory_time

    def _sendto(self, sock, data, addr):
        try:
            sock.sendto(data, addr)
            return True
        except OSError:            # full socket buffer, unreachable peer: this datagram is lost
            self.send_drops += 1
            return False

    def _from_group(self, data, addr, t):
        if addr == self._emit_addr or (addr[1] == self._emit_addr[1] and self._emit_addr[0] == "0.0.0.0"):
            self.looped += 1
            return
        if self._memory and self._seen(data, t):
            self.looped += 1
            return
        frame = MAGIC + self.origin + data
        if self.auth is not None:
            frame = self.auth.sign(frame)
        if self.transport == "tcp":
            if self._conn is None or len(self._backlog) + len(frame) + 4 > self.max_backlog:
                self.send_drops += 1
                return
            self._backlog += encode_length_prefixed(frame)
            self.forwarded += 1
            return
        if self._sendto(self._link, frame, self.peer):
            self.forwarded += 1

    def _from_peer(self, frame, t):
        if self.auth is not None:
            frame = self.auth.verify(frame)
            if frame is None:
                self.forged += 1
                return
        if len(frame) < HEADER or frame[:3] != MAGIC:
            self.malformed += 1
            return
        if frame[3:HEADER] == self.origin:
            self.looped += 1
            return
        payload = frame[HEADER:]
        self._remember(payload, t)
        if self._sendto(self._emit, payload, (self.group, self.port)):
            self.emitted += 1

    # -- TCP transport
    def _tcp_drop(self, t):
        if self._conn is not None:
            if not self._connecting:
                self.disconnects += 1
            self._socks.remove(self._conn)
            self._conn.close()
        self._conn = None
        self._connecting = False
        self._backlog = bytearray()
        self._decoder = None
        self._retry_at = t + self.reconnect_interval

    def _tcp_adopt(self, sock):
        if self._conn is not None:
            self._tcp_drop(now())
        sock.setblocking(False)
        self._conn = sock
        self._socks.append(sock)
        self._connecting = False
        self._decoder = LengthPrefixDecoder(max_frame=self.max_frame)
        self.connects += 1

    def _tcp_connect(self, t):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex(tuple(self.peer))
        self._conn = s
        self._socks.append(s)
        self._connecting = True
        if err not in (0, errno.EINPROGRESS, errno.EALREADY) + _WOULD_BLOCK:
            self._tcp_drop(t)

    def _tcp_step(self, t):
        """Accept/connect/read/write as far as possible; returns True when more is to do now."""
        if self._listener is not None:
            while True:
                try:
                    sock, _ = self._listener.accept()
                except OSError:
                    break
                self._tcp_adopt(sock)
        elif self._conn is None and t >= self._retry_at:
            self._tcp_connect(t)
        conn = self._conn
        if conn is None:
            return False
        if self._connecting:
            err = conn.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self._tcp_drop(t)
                return False
            try:
                conn.getpeername()
            except OSError:
                return False               # still connecting
            self._socks.remove(conn)
            self._conn = None
            self._tcp_adopt(conn)
        busy = False
        for _ in range(BATCH):
            try:
                data = self._conn.recv(65536)
            except OSError as e:
                if e.errno in _WOULD_BLOCK:
                    break
                self._tcp_drop(t)
                return False
            if not data:
                self._tcp_drop(t)
                return False
            for ev in self._decoder.feed(data):
                if isinstance(ev, bytes):
                    self._from_peer(ev, t)
                else:
                    self.malformed += 1
                    if getattr(ev, "fatal", False):
                        self._tcp_drop(t)
                        return False
        else:
            busy = True
        if self._backlog:
            try:
                n = self._conn.send(self._backlog)
                del self._backlog[:n]
            except OSError as e:
                if e.errno not in _WOULD_BLOCK:
                    self._tcp_drop(t)
                    return False
        return busy

    def _tcp_waits(self, t):
        """Register the waits for the TCP side; returns a timeout (s) or None."""
        if self._listener is not None:
            self.waitReadable(self._listener)
        if self._conn is not None:
            if self._connecting or self._backlog:
                self.waitWritable(self._conn)
            if not self._connecting:
                self.waitReadable(self._conn)
            return 0.25 if self._connecting else None
        if self._listener is None:
            return max(0.0, min(0.25, self._retry_at - t))
        return None

    def main(self):
        try:
            self._rx = make_multicast_socket(self.group, self.port, self.interface, self.ttl,
                                             rcvbuf=self.rcvbuf)
            self._socks.append(self._rx)
            self._emit = make_multicast_socket(self.group, self.port, self.interface, self.ttl,
                                               bind_port=0, join=False)
            self._socks.append(self._emit)
            self._emit_addr = self._emit.getsockname()
            if self.transport == "udp":
                self._link = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                self._socks.append(self._link)
                self._link.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)
                self._link.bind(("", self.listen_port))
                self._link.setblocking(False)
            else:
                self._link = None
                if self.peer is None:
                    self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    self._socks.append(self._listener)
                    self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    self._listener.bind(("", self.listen_port))
                    self._listener.listen(4)
                    self._listener.setblocking(False)
            ending = None
            while ending is None:
                ending = take_ending(self)
                if ending is not None:
                    break
                busy = False
                t = now()
                if self.transport == "tcp":
                    busy = self._tcp_step(t)
                for sock in (self._rx, self._link):
                    if sock is None:
                        continue
                    for _ in range(BATCH):
                        try:
                            data, addr = sock.recvfrom(MAX_DATAGRAM)
                        except OSError as e:
                            if e.errno in _WOULD_BLOCK:
                                break
                            raise
                        if sock is self._rx:
                            self._from_group(data, addr, t)
                        else:
                            self._from_peer(data, t)
                    else:
                        busy = True
                if self.transport == "tcp" and self._backlog and self._conn is not None \
                        and not self._connecting:
                    busy = self._tcp_step(now()) or busy      # send what this step queued
                if not busy:
                    self.waitReadable(self._rx)
                    timeout = None
                    if self._link is not None:
                        self.waitReadable(self._link)
                    else:
                        timeout = self._tcp_waits(now())
                    self.pause(timeout)
                yield 1
            self.send(ending, "signal")
            yield 1       # one step without I/O waits: the poller forgets the sockets before they close
        finally:
            for s in self._socks:
                s.close()
            self._socks = []
