"""IP multicast components: MulticastSender, MulticastReceiver, MulticastTransceiver.

Every component takes ``interface``: the IPv4 address of the local interface that multicast goes
out of and is joined on (``IP_MULTICAST_IF`` / ``IP_ADD_MEMBERSHIP``). It is always set
explicitly. There is deliberately no silent default: pass the address of the LAN interface in
production (e.g. ``"192.168.1.10"``), ``"127.0.0.1"`` for tests on one host (``lo`` must have the
MULTICAST flag: ``ip link set lo multicast on``), or ``"0.0.0.0"`` to let the kernel pick by its
routing table (what the original Kamaelia did implicitly; fragile on multi-homed hosts).

- ``MulticastSender(group, port, interface, ttl=1, loop=True)``: inbox ``bytes`` are sent to
  ``group:port``; a ``(bytes, (host, port))`` tuple is sent to that address instead (e.g. a unicast
  reply from the same socket); ``str`` is sent UTF-8 encoded; anything else is refused (counted in
  ``send_errors``, reported on stderr).
- ``MulticastReceiver(group, port, interface, with_address=False, rcvbuf=None)``: joins ``group`` on
  ``interface``; every datagram received goes out of ``outbox`` as ``bytes``, or as
  ``(bytes, (source_host, source_port))`` when ``with_address=True``.
- ``MulticastTransceiver(group, port, interface, ttl=1, loop=True, with_address=False,
  ignore_own=True)``: both (inbox as the sender's, outbox as the receiver's); it sends from its own
  ephemeral port, so ``ignore_own`` drops exactly the datagrams it sent itself when the kernel
  loops them back, while other senders on the same host and port still arrive.
- ``Multicast_transceiver(local_addr, local_port, remote_addr, remote_port)``: Kamaelia's contract
  (outbox ``(source_address, data)``; see its docstring).

Sockets are non-blocking and driven by the core's waits (``waitReadable``, ``waitWritable``,
``waitSpace``); nothing polls. Shutdown: ``producerFinished`` on ``control`` finishes after sending
what is queued, ``shutdownMicroprocess`` at once; the message is passed on out of ``signal`` and the
socket is closed in ``finally``. A datagram the kernel refuses to send (``sendto`` error such as a
firewall drop or an unreachable network) is counted in ``send_errors`` and reported on stderr once
per kind of error; a datagram too big for ``max_datagram`` is refused the same way (never raised).
"""
import errno
import socket
import struct
import sys

from kamaelia_lite.flow import take_ending
from microaxon import component, shutdownMicroprocess

MAX_DATAGRAM = 65507
BATCH = 64          # datagrams handled per scheduling step before yielding to others

_WOULD_BLOCK = (errno.EAGAIN, getattr(errno, "EWOULDBLOCK", errno.EAGAIN))


def _is_multicast(addr):
    try:
        first = int(addr.split(".")[0])
    except (ValueError, AttributeError):
        return False
    return 224 <= first <= 239


def _membership(group, interface):
    return socket.inet_aton(group) + socket.inet_aton(interface)


def make_multicast_socket(group, port, interface, ttl=1, loop=True, bind_port=None, join=True,
                          bind_group=True, rcvbuf=None):
    """A non-blocking UDP socket set up for multicast on ``interface``.

    ``bind_port``: port to bind (default ``port`` when joining, 0 otherwise). Joined sockets bind
    the group address itself (so only that group's traffic arrives) with SO_REUSEADDR so several
    receivers on one host can share the port."""
    if interface is None:
        raise ValueError("interface is required: the local IPv4 address multicast uses "
                         "(\"127.0.0.1\" for tests on one host, \"0.0.0.0\" for the routing table's choice)")
    if join and not _is_multicast(group):
        raise ValueError("%r is not an IPv4 multicast group (224.0.0.0/4)" % (group,))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("B", ttl))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, struct.pack("B", 1 if loop else 0))
        if join:
            host = group if bind_group else ""
            s.bind((host, port if bind_port is None else bind_port))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, _membership(group, interface))
        else:
            s.bind((interface if interface != "0.0.0.0" else "", bind_port or 0))
        s.setblocking(False)
    except BaseException:
        s.close()
        raise
    return s


class _MulticastBase(component):
    """Shared send/receive/shutdown machinery; subclasses choose which halves they use."""

    Inboxes = {"inbox": "bytes to send to the group, or (bytes, (host, port))",
               "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "datagrams received: bytes, or (bytes, (host, port)) with with_address",
                "signal": "the shutdown message, passed on"}

    ttl = 1
    loop = True
    with_address = False
    rcvbuf = None           # SO_RCVBUF bytes for receiving sockets (None: the system default)
    max_datagram = MAX_DATAGRAM
    _sends = False
    _receives = False

    def __init__(self, group, port, interface, **argd):
        super().__init__(**argd)
        self.group = group
        self.port = port
        self.interface = interface
        self.sent = 0
        self.received = 0
        self.send_errors = 0
        self._reported = set()
        self.sock = None

    def _socket(self):
        raise NotImplementedError

    def _report(self, what, err):
        self.send_errors += 1
        key = (what, getattr(err, "errno", None))
        if key not in self._reported:
            self._reported.add(key)
            sys.stderr.write("%s: %s: %s (further ones counted in send_errors)\n" % (self.name, what, err))

    def _try_send(self, msg):
        """True when handled (sent or refused for good), False when the socket would block."""
        if isinstance(msg, tuple) and len(msg) == 2 and isinstance(msg[1], tuple):
            data, addr = msg[0], msg[1]
        else:
            data, addr = msg, (self.group, self.port)
        if isinstance(data, str):
            data = data.encode("utf-8")          # Kamaelia programs often send text
        elif not isinstance(data, (bytes, bytearray, memoryview)):
            self._report("refused a %s (not bytes)" % type(data).__name__,
                         TypeError("send bytes, str, or (bytes, (host, port))"))
            return True
        if len(data) > self.max_datagram:
            self._report("datagram of %d bytes refused" % len(data),
                         ValueError("longer than max_datagram=%d" % self.max_datagram))
            return True
        try:
            self.sock.sendto(data, addr)
        except OSError as e:
            if e.errno in _WOULD_BLOCK:
                return False
            self._report("sendto %s:%s failed" % addr, e)
            return True
        self.sent += 1
        return True

    def _receive_some(self):
        """Read up to BATCH datagrams into outbox; returns 'space' | 'readable' (what to wait for)."""
        for _ in range(BATCH):
            if self.hasSpace("outbox") <= 0:
                return "space"
            try:
                data, addr = self.sock.recvfrom(self.max_datagram)
            except OSError as e:
                if e.errno in _WOULD_BLOCK:
                    return "readable"
                raise
            if not self._accept(addr):
                continue
            self.received += 1
            self.send((data, addr) if self.with_address else data, "outbox")
        return "more"

    def _accept(self, addr):
        return True

    def main(self):
        self.sock = self._socket()
        ending = None
        queued = None
        try:
            while True:
                ending = take_ending(self, ending)
                if isinstance(ending, shutdownMicroprocess):
                    break
                want = None
                if self._sends:
                    n = 0
                    while n < BATCH and (queued is not None or self.dataReady("inbox")):
                        if queued is None:
                            queued = self.recv("inbox")
                        if not self._try_send(queued):
                            want = "writable"
                            break
                        queued = None
                        n += 1
                    if want is None and n >= BATCH:
                        want = "more"
                if ending is not None and queued is None and not self.dataReady("inbox"):
                    break
                if self._receives and ending is None:
                    got = self._receive_some()
                    if got == "more":
                        want = "more"
                    elif got == "space":
                        self.waitSpace("outbox")
                    elif got == "readable":
                        self.waitReadable(self.sock)
                if want == "writable":
                    self.waitWritable(self.sock)
                if want != "more":
                    self.pause()
                yield 1
            self.send(ending, "signal")
            yield 1       # one step without I/O waits, so the scheduler drops our registration
        finally:
            if self.sock is not None:
                self.sock.close()
                self.sock = None
            self._close_extra()

    def _close_extra(self):
        pass


class MulticastSender(_MulticastBase):
    """Sends each inbox message to ``group:port`` out of ``interface`` (see module doc)."""

    Outboxes = {"outbox": "not used", "signal": "the shutdown message, passed on"}
    _sends = True

    def __init__(self, group, port, interface, **argd):
        super().__init__(group, port, interface, **argd)

    def _socket(self):
        return make_multicast_socket(self.group, self.port, self.interface, self.ttl, self.loop,
                                     bind_port=0, join=False)


class MulticastReceiver(_MulticastBase):
    """Joins ``group`` on ``interface`` and emits what arrives on ``port`` (see module doc)."""

    Inboxes = {"inbox": "not used", "control": "producerFinished / shutdownMicroprocess"}
    _receives = True

    def __init__(self, group, port, interface, **argd):
        super().__init__(group, port, interface, **argd)

    def _socket(self):
        return make_multicast_socket(self.group, self.port, self.interface, self.ttl, self.loop,
                                     rcvbuf=self.rcvbuf)


class MulticastTransceiver(_MulticastBase):
    """Sends inbox messages to the group and emits what arrives from it.

    It receives on a socket bound to ``group:port`` and sends from a second socket with its own
    ephemeral port, so ``ignore_own`` (default True) can tell its own looped-back datagrams
    (source ``interface:that port``) from other senders', even on the same host and port.
    """

    _sends = True
    _receives = True
    ignore_own = True

    def __init__(self, group, port, interface, **argd):
        super().__init__(group, port, interface, **argd)
        self._own = None
        self._rx = None

    def _socket(self):
        self._rx = make_multicast_socket(self.group, self.port, self.interface, self.ttl, self.loop,
                                         rcvbuf=self.rcvbuf)
        tx = make_multicast_socket(self.group, self.port, self.interface, self.ttl, self.loop,
                                   bind_port=0, join=False)
        self._own = tx.getsockname()
        return tx

    def _receive_some(self):
        send_sock = self.sock
        self.sock = self._rx
        try:
            got = super()._receive_some()
        finally:
            self.sock = send_sock
        if got == "readable":
            self.waitReadable(self._rx)
            return "waiting"
        return got

    def _accept(self, addr):
        if not self.ignore_own:
            return True
        own = self._own
        if addr[1] != own[1]:
            return True
        return own[0] not in ("0.0.0.0", addr[0])

    def _close_extra(self):
        if self._rx is not None:
            self._rx.close()
            self._rx = None


class Multicast_transceiver(_MulticastBase):
    """Kamaelia's contract: ``Multicast_transceiver(local_addr, local_port, remote_addr, remote_port)``.

    Binds ``local_addr:local_port`` (``"0.0.0.0", 0`` for a pure sender), joins the group
    ``remote_addr`` and sends inbox data to ``remote_addr:remote_port``; what arrives goes out of
    ``outbox`` as ``(source_address, data)`` (address first, as in Kamaelia). The outgoing
    interface is set explicitly too: ``interface=`` (default ``"0.0.0.0"``, the routing table's
    choice, which is what the original left implicit). Differences from the original: TTL is
    ``ttl=1`` unless given (the original used 255), it ends on shutdown, and ``debug=True`` is
    accepted but prints nothing (the original printed its own inbox object on every loop).
    """

    _sends = True
    _receives = True
    with_address = True
    interface = "0.0.0.0"
    debug = False

    def __init__(self, local_addr, local_port, remote_addr, remote_port, **argd):
        interface = argd.pop("interface", self.interface)
        super().__init__(remote_addr, remote_port, interface, **argd)
        self.local_addr = local_addr
        self.local_port = local_port

    def _socket(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(self.interface))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("B", self.ttl))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP,
                         struct.pack("B", 1 if self.loop else 0))
            s.bind((self.local_addr, self.local_port))
            if _is_multicast(self.group):
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             _membership(self.group, self.interface))
            s.setblocking(False)
        except BaseException:
            s.close()
            raise
        return s

    def send(self, msg, box="outbox"):
        if box == "outbox" and isinstance(msg, tuple):
            msg = (msg[1], msg[0])
        return super().send(msg, box)
