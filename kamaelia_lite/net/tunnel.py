"""Multicast island tunnel: bridge a multicast group across a unicast UDP link.

``MulticastTunnel(group, port, interface, peer, listen_port, key=None)`` runs on one host of each
island. What arrives on ``group:port`` (joined on ``interface``) is framed and sent by unicast UDP
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
Counters: ``forwarded`` (group -> peer), ``emitted`` (peer -> group), ``looped`` (refused as loops or
duplicates), ``forged``, ``malformed``, ``send_drops`` (socket full).
Shutdown: ``producerFinished`` / ``shutdownMicroprocess`` on ``control`` end it (passed on
out of ``signal``); sockets close in ``finally``.
"""
import errno
import hashlib
import socket
from collections import deque

from kamaelia_lite.net.auth import DatagramAuthenticator, _urandom
from kamaelia_lite.net.multicast import MAX_DATAGRAM, make_multicast_socket
from microaxon import component, now, shutdown

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
        self._memory = {}
        self._order = deque()
        self._socks = []

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

    def main(self):
        try:
            self._rx = make_multicast_socket(self.group, self.port, self.interface, self.ttl,
                                             rcvbuf=self.rcvbuf)
            self._socks.append(self._rx)
            self._emit = make_multicast_socket(self.group, self.port, self.interface, self.ttl,
                                               bind_port=0, join=False)
            self._socks.append(self._emit)
            self._emit_addr = self._emit.getsockname()
            self._link = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self._socks.append(self._link)
            self._link.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)
            self._link.bind(("", self.listen_port))
            self._link.setblocking(False)
            ending = None
            while ending is None:
                while self.dataReady("control"):
                    msg = self.recv("control")
                    if isinstance(msg, shutdown):
                        ending = msg
                if ending is not None:
                    break
                busy = False
                t = now()
                for sock in (self._rx, self._link):
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
                if not busy:
                    self.waitReadable(self._rx)
                    self.waitReadable(self._link)
                    self.pause()
                yield 1
            self.send(ending, "signal")
            yield 1       # one step without I/O waits (see notes/core-requests.md 1)
        finally:
            for s in self._socks:
                s.close()
            self._socks = []
