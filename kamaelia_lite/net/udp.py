"""UDP components (the ``Kamaelia.Internet.UDP`` / ``UDP_ng`` contracts), non-blocking.

- ``UDPReceiver(localaddr="0.0.0.0", localport=0)``: ``outbox`` ``(data, (host, port))`` for
  every datagram received.
- ``UDPSender(receiver_addr="0.0.0.0", receiver_port=0)``: every ``inbox`` message (bytes, or
  str sent as UTF-8) is sent as one datagram to the receiver.
- ``SimplePeer(localaddr, localport, receiver_addr, receiver_port)``: both at once, from one
  socket.
- ``TargettedPeer(...)``: a SimplePeer whose destination changes with ``(host, port)`` messages
  on its ``target`` inbox.
- ``PostboxPeer(localaddr, localport)``: ``inbox`` takes Kamaelia's ``(host, port, data)``
  triples, or ``(data, (host, port))`` pairs (the shape ``outbox`` gives, so a reply can be
  sent back as it came in).

The socket is bound in the constructor (so ``.port`` is known at once and a bad address raises
there). An address containing ":" selects IPv6. Default addresses are Kamaelia's ("0.0.0.0":
all interfaces) — pass "127.0.0.1" to stay on loopback.

Errors never escape: a datagram that cannot be sent (too large, no route, ICMP port
unreachable reported by the kernel, ...) is dropped, counted in ``.send_errors``, reported once
per kind on stderr, and ``sendError(reason, errno, destination)`` goes to the ``errors`` outbox.
Receiving stops while the destination of ``outbox`` is full (the kernel then drops datagrams, as
UDP does under overload); ``.received`` counts datagrams taken.

Shutdown: producerFinished = send what is queued, pass it on, close; shutdownMicroprocess = pass
it on and close at once.
"""
import errno as _errno
import socket
import sys

from kamaelia_lite.flow import take_ending
from microaxon import component, shutdownMicroprocess

__all__ = ["sendError", "UDPReceiver", "UDPSender", "SimplePeer", "TargettedPeer", "PostboxPeer"]

_WOULDBLOCK = (_errno.EAGAIN, getattr(_errno, "EWOULDBLOCK", _errno.EAGAIN))


class sendError:
    """A datagram could not be sent: ``reason`` (str), ``errno``, ``destination``."""

    def __init__(self, reason, errno, destination):
        self.reason = reason
        self.errno = errno
        self.destination = destination

    def __repr__(self):
        return "sendError(%r, errno=%r, destination=%r)" % (self.reason, self.errno, self.destination)


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class _UDPPeer(component):
    Inboxes = {"inbox": "datagrams to send", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "(data, (host, port)) for each datagram received",
                "signal": "shutdown messages", "errors": "sendError notices"}

    receives = True
    sends = True
    postbox = False          # inbox messages are (data, (host, port))
    max_datagram = 65535
    localaddr = "0.0.0.0"
    localport = 0
    receiver_addr = "0.0.0.0"
    receiver_port = 0

    def __init__(self, **argd):
        super().__init__(**argd)
        fam = _family(self.localaddr if self.receives or self.postbox else self.receiver_addr)
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        try:
            if self.receives:
                self.sock.bind((self.localaddr, self.localport))
            self.sock.setblocking(False)
        except Exception:
            self.sock.close()
            raise
        self.port = self.sock.getsockname()[1] if self.receives else None
        self.remote = (self.receiver_addr, self.receiver_port)
        self.received = 0
        self.sent = 0
        self.send_errors = 0
        self._reported = {}

    def _send_error(self, e, dest):
        self.send_errors += 1
        code = getattr(e, "errno", None)
        reason = {_errno.EMSGSIZE: "datagram too large", _errno.ECONNREFUSED: "port unreachable at the receiver",
                  _errno.ENETUNREACH: "network unreachable", _errno.EHOSTUNREACH: "host unreachable"}.get(
                      code, "%s: %s" % (type(e).__name__, e))
        if code not in self._reported:
            self._reported[code] = True
            sys.stderr.write("microaxon: %s: dropped a datagram to %r: %s (further ones counted in "
                             ".send_errors)\n" % (self.name, dest, reason))
        self.send(sendError(reason, code, dest), "errors")

    def _target(self, msg):
        """Hook for TargettedPeer."""

    def main(self):
        sock = self.sock
        fd = sock
        ending = None
        held = None            # a datagram waiting for the socket to be writable
        try:
            while True:
                ending = take_ending(self, ending)
                if isinstance(ending, shutdownMicroprocess):
                    break
                self._target(None)
                # send
                blocked = False
                while self.sends and (held is not None or self.dataReady("inbox")):
                    if held is None:
                        msg = self.recv("inbox")
                        if self.postbox:
                            try:
                                if len(msg) == 3:           # Kamaelia's (host, port, data)
                                    data, dest = msg[2], (msg[0], msg[1])
                                else:
                                    data, dest = msg
                                    dest = (dest[0], dest[1])
                            except (TypeError, ValueError, IndexError):
                                sys.stderr.write("microaxon: %s: expected (host, port, data) or (data, "
                                                 "(host, port)), got %r\n" % (self.name, msg))
                                continue
                        else:
                            data, dest = msg, self.remote
                        if isinstance(data, str):
                            data = data.encode("utf-8")
                        held = (data, dest)
                    data, dest = held
                    try:
                        sock.sendto(data, dest)
                        self.sent += 1
                    except OSError as e:
                        if e.errno in _WOULDBLOCK:
                            blocked = True
                            break
                        self._send_error(e, dest)
                    except (TypeError, ValueError) as e:
                        self._send_error(e, dest)
                    held = None
                # receive
                if self.receives and ending is None:
                    for _ in range(64):
                        if self.hasSpace("outbox") <= 0:
                            break
                        try:
                            data, addr = sock.recvfrom(self.max_datagram)
                        except OSError as e:
                            if e.errno in _WOULDBLOCK:
                                break
                            # e.g. ECONNREFUSED from an earlier send: not about this datagram
                            continue
                        self.received += 1
                        self.send((data, (addr[0], addr[1])), "outbox")
                if ending is not None and held is None and not self.dataReady("inbox"):
                    break
                if blocked:
                    self.waitWritable(fd)
                if self.receives and ending is None:
                    if self.hasSpace("outbox") > 0:
                        self.waitReadable(fd)
                    else:
                        self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(ending, "signal")
        finally:
            try:
                sock.close()
            except OSError:
                pass


class UDPReceiver(_UDPPeer):
    """``UDPReceiver(localaddr="0.0.0.0", localport=0)``: datagrams out as ``(data, (host, port))``."""

    sends = False

    def __init__(self, localaddr="0.0.0.0", localport=0, **argd):
        super().__init__(localaddr=localaddr, localport=localport, **argd)


class UDPSender(_UDPPeer):
    """``UDPSender(receiver_addr="0.0.0.0", receiver_port=0)``: each inbox message, one datagram."""

    receives = False

    def __init__(self, receiver_addr="0.0.0.0", receiver_port=0, **argd):
        super().__init__(receiver_addr=receiver_addr, receiver_port=receiver_port, **argd)


class SimplePeer(_UDPPeer):
    """``SimplePeer(localaddr="0.0.0.0", localport=0, receiver_addr="0.0.0.0", receiver_port=0)``."""

    def __init__(self, localaddr="0.0.0.0", localport=0, receiver_addr="0.0.0.0", receiver_port=0, **argd):
        super().__init__(localaddr=localaddr, localport=localport, receiver_addr=receiver_addr,
                         receiver_port=receiver_port, **argd)


class TargettedPeer(SimplePeer):
    """A SimplePeer whose destination is replaced by each ``(host, port)`` on ``target``."""

    Inboxes = {"inbox": "datagrams to send", "control": "shutdown", "target": "(host, port) to send to"}

    def _target(self, _):
        while self.dataReady("target"):
            t = self.recv("target")
            self.remote = (t[0], t[1])


class PostboxPeer(_UDPPeer):
    """``PostboxPeer(localaddr="0.0.0.0", localport=0)``: inbox ``(host, port, data)`` (Kamaelia's
    form) or ``(data, (host, port))`` (the form ``outbox`` gives)."""

    postbox = True

    def __init__(self, localaddr="0.0.0.0", localport=0, **argd):
        super().__init__(localaddr=localaddr, localport=localport, **argd)
