"""A sans-IO MQTT 3.1.1 client: a state machine fed bytes, returning events and bytes to send.

Why our own codec: the MQTT clients that exist each fit one side only. paho-mqtt and the
asyncio clients own their sockets and threads and need CPython; ``umqtt.simple`` (MicroPython)
blocks on its socket and has no QoS 1 session, retransmission or strict parsing. Our components
run on one scheduler on both CPython and MicroPython, so the protocol must be a pure object the
component feeds: this module has no sockets, no clock and no scheduler, and is written for
MicroPython too (no typing, dataclasses, f-strings; few defs, since each costs device heap).

Use::

    c = MQTTConnection("display-7", keepalive=30, username="u", password="p")
    sock.send(c.connect(now))              # CONNECT
    for ev in c.receive(sock.recv(4096), now):
        ...                                # events, see below
    sock.send(c.take())                    # whatever the codec wants sent (PUBACKs, pings...)
    c.publish("venue/cue", b"...", qos=1, retain=True)     # queued in take(); returns the pid
    c.subscribe([("venue/+/cue", 1)])
    c.tick(now)                            # keepalive: call by c.deadline()

Events are tuples whose first item says what happened:

- ``("connected", session_present)`` — CONNACK accepted; unacknowledged QoS 1 PUBLISHes were
  queued again with DUP set, and (unless the broker kept the session) the subscriptions too;
- ``("message", Message)`` — a PUBLISH arrived (``Message.dup`` flags a redelivery);
- ``("published", pid)`` — the broker acknowledged our QoS 1 PUBLISH ``pid``;
- ``("subscribed", pid, granted)`` — SUBACK; ``granted`` lists the QoS per filter (0x80: refused);
- ``("unsubscribed", pid)``;
- ``("error", reason)`` — the connection must be closed: a malformed or oversized packet, a
  refused CONNECT, or a broker that stopped answering (keepalive). The state becomes ``ERROR``
  and further input is ignored until ``connect()`` starts a new connection.

States (``c.state``): ``DISCONNECTED`` (no connection yet, or ``connection_lost()``),
``CONNECTING`` (CONNECT sent), ``CONNECTED``, ``DISCONNECTING`` (DISCONNECT queued), ``ERROR``.
The session (unacknowledged QoS 1 messages, subscriptions) survives reconnections.
Nothing from the network can raise: parsing problems are ``error`` events. Calls with bad
arguments (a topic with a wildcard in publish, qos 2...) raise ValueError.
QoS 2 is not offered: subscriptions and publishes take QoS 0 or 1.
"""

# Device heap: every def, class, argument, attribute and global name, and every long string costs
# heap on MicroPython (a name the interpreter has not interned yet is interned for good: ~330
# distinct names in a device's bundle need a 5th pool of interned names, 3.6 KiB). So packet
# handling is one function (receive), error reasons share one string of names, the rarely used
# paths (will, unsubscribe) share code with the common ones, and arguments and attributes reuse
# names MicroPython has built in (buf, filter, data, t...) where the meaning allows.
DISCONNECTED = "DISCONNECTED"
CONNECTING = "CONNECTING"
CONNECTED = "CONNECTED"
DISCONNECTING = "DISCONNECTING"
ERROR = "ERROR"

# One string, split only when an error needs a name: the packet type names (split() on spaces:
# the first 16 words), then, one a line, the reasons of a refused CONNECT (return codes 1..5).
_NAMES = ("type-0 CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE "
          "UNSUBACK PINGREQ PINGRESP DISCONNECT type-15\nunacceptable protocol version\n"
          "client identifier rejected\nserver unavailable\nbad user name or password\nnot authorized")


class Message:
    """A received PUBLISH: ``topic`` (str), ``payload`` (bytes), ``qos``, ``retain`` (a retained
    message the broker kept, sent on subscribing), ``dup`` (the broker is sending it again: it may
    have been delivered before), ``pid`` (packet id, 0 for QoS 0)."""

    def __init__(self, topic, payload, qos=0, retain=False, dup=False, pid=0):
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.pid = pid


def _s(b):
    """An MQTT string (2-byte length prefix) of str or bytes."""
    if isinstance(b, str):
        b = b.encode()
    n = len(b)
    if n > 65535:
        raise ValueError("MQTT string longer than 65535 bytes")
    return bytes((n >> 8, n & 255)) + b


def _packet(t, data):
    """Fixed header (``t``: the type/flags byte; the remaining length) + ``data``, the rest."""
    n = len(data)
    if n > 268435455:                   # the largest remaining length MQTT can express
        raise ValueError("packet body of %d bytes is too large for MQTT" % n)
    h = bytearray((t,))
    while True:
        d = n & 127
        n >>= 7
        if n:
            h.append(d | 128)
        else:
            h.append(d)
            return bytes(h) + data


def check_topic(topic, filter=False):
    """Raise ValueError unless ``topic`` is a valid topic name (``filter=False``) or topic filter
    (``filter=True``: ``+`` a whole level, ``#`` the whole last level)."""
    ok = isinstance(topic, str) and topic and "\0" not in topic
    if ok:
        b = topic.encode()              # (bytes: b"#" is a constant, "#" a name a device interns)
        ok = len(b) < 65536
        levels = b.split(b"/")
        last = len(levels) - 1
        for i, lv in enumerate(levels):
            if (b"+" in lv or b"#" in lv) and not (filter and (lv == b"+" or (lv == b"#" and i == last))):
                ok = False
    if not ok:
        raise ValueError("bad MQTT topic %s: %r" % (
            "filter (+ is a whole level, # the last one)" if filter else "name (wildcards are not allowed)", topic))


def topic_matches(filter, topic):
    """True if topic name ``topic`` matches topic filter ``filter`` (``+`` one level, ``#`` the
    rest); topics starting with ``$`` only match filters that name the ``$`` level."""
    f = filter.encode().split(b"/")     # (bytes: see check_topic)
    t = topic.encode().split(b"/")
    if t[0][:1] == b"$" and f[0][:1] in (b"+", b"#"):
        return False
    for i, lv in enumerate(f):
        if lv == b"#":
            return True
        if i >= len(t) or (lv != b"+" and lv != t[i]):
            return False
    return len(f) == len(t)


class MQTTConnection:
    """One client's side of MQTT 3.1.1 (see the module docstring).

    ``client_id`` (str); ``clean_session``; ``keepalive`` seconds (0: none); ``username``,
    ``password``; ``will`` = (topic, payload, qos, retain) sent by the broker if we vanish;
    ``max_packet`` bytes accepted from the broker (default 256 KiB); ``max_inflight``
    unacknowledged QoS 1 publishes (``can_publish()`` says whether another fits);
    ``ping_timeout`` seconds to wait for PINGRESP (or CONNACK) before declaring the connection
    dead. ``payloads_only = True`` (set on the instance): a ``message`` event carries the
    payload (bytes) alone, not a ``Message`` (no object made per message).
    """

    payloads_only = False

    def __init__(self, client_id, clean_session=True, keepalive=60, username=None, password=None,
                 will=None, max_packet=256 * 1024, max_inflight=32, ping_timeout=None):
        if will is not None:
            check_topic(will[0])
        self.client_id = client_id
        self.clean_session = clean_session
        self.keepalive = keepalive
        self.username = username
        self.password = password
        self.will = will
        self.max_packet = max_packet
        self.max_inflight = max_inflight
        self.ping_timeout = ping_timeout or (max(keepalive / 2, 1) if keepalive else 10)
        self.state = DISCONNECTED
        self.subs = {}          # filter -> qos, resubscribed on a new session
        self._later = []        # (filter, qos) subscribed while not connected
        self.inflight = {}      # pid -> [sequence, packet bytes] of our QoS 1 publishes
        self._seq = 0           # packet ids given out so far: the next pid, and the resend order
        self._pending = {}      # pid of SUBSCRIBE/UNSUBSCRIBE awaiting its ack -> True
        self._out = []          # packets to send, in order
        self.buf = b""          # received bytes of an incomplete packet
        self._sent_at = self._heard_at = 0
        self._ping_at = None    # when the unanswered PINGREQ (or CONNECT) went out
        self.resent = 0         # QoS 1 publishes sent again (DUP) after a reconnection
        self.error = None

    # ---------------------------------------------------------------- sending
    def take(self):
        """The bytes to send now (b"" if none), in order; the codec forgets them."""
        o = self._out
        if not o:
            return b""
        self._out = []
        return o[0] if len(o) == 1 else b"".join(o)

    def connect(self, now):
        """Start a connection (on a fresh socket): returns the CONNECT packet. Received bytes of
        any earlier connection are forgotten; the session is kept."""
        flags = 2 if self.clean_session else 0
        pl = _s(self.client_id)
        w = self.will
        if w is not None:
            flags |= 4 | (w[2] << 3) | (32 if w[3] else 0)
            pl += _s(w[0]) + _s(w[1])
        if self.username is not None:
            flags |= 128
            pl += _s(self.username)
            if self.password is not None:
                flags |= 64
                pl += _s(self.password)
        ka = int(self.keepalive)
        self._out = []
        self.buf = b""
        self.error = None
        self.state = CONNECTING
        self._sent_at = self._heard_at = self._ping_at = now
        return _packet(0x10, b"\x00\x04MQTT\x04" + bytes((flags, ka >> 8, ka & 255)) + pl)

    def can_publish(self, qos=1):
        """True if a publish at ``qos`` can be taken now (connected, and for QoS 1 room in flight)."""
        return self.state == CONNECTED and (qos == 0 or len(self.inflight) < self.max_inflight)

    def publish(self, topic, payload, qos=0, retain=False, now=None):
        """Queue a PUBLISH; returns its packet id (0 for QoS 0). A QoS 1 message is kept until the
        broker acknowledges it and sent again (DUP) after a reconnection. Not connected, a QoS 1
        message is only kept (sent on connecting); a QoS 0 one raises ValueError."""
        if qos not in (0, 1):
            raise ValueError("qos must be 0 or 1, not %r" % (qos,))
        check_topic(topic)
        if isinstance(payload, str):
            payload = payload.encode()
        t = _s(topic)
        pid = 0
        first = 0x30 | (1 if retain else 0)
        if qos:
            if len(self.inflight) >= self.max_inflight:
                raise ValueError("too many QoS 1 messages in flight (%d)" % self.max_inflight)
            for _ in range(65535):          # the next packet id not in use
                self._seq += 1
                pid = (self._seq - 1) % 65535 + 1
                if pid not in self.inflight and pid not in self._pending:
                    break
            first |= 2
            t += bytes((pid >> 8, pid & 255))
        elif self.state != CONNECTED:
            raise ValueError("not connected (state %s)" % self.state)
        pkt = _packet(first, t + payload)
        if qos:
            self.inflight[pid] = [self._seq, pkt]
            if self.state != CONNECTED:
                return pid
        self._out.append(pkt)
        if now is not None:
            self._sent_at = now
        return pid

    def subscribe(self, filters, now=None, unsubscribe=False):
        """SUBSCRIBE to [(filter, qos), ...] (remembered: sent again on a new session).
        Returns the packet id (0 when not connected: sent on connecting)."""
        for f in filters:                   # (unsubscribe() shares this: filters are plain strings)
            if unsubscribe:
                check_topic(f, True)
                self.subs.pop(f, None)
            else:
                check_topic(f[0], True)
                if f[1] not in (0, 1):
                    raise ValueError("qos must be 0 or 1, not %r" % (f[1],))
        if not unsubscribe:
            for f, q in filters:
                self.subs[f] = q
        if self.state != CONNECTED:
            if not unsubscribe:
                self._later += list(filters)     # sent on connecting, even if the broker kept a session
            return 0
        for _ in range(65535):              # the next packet id not in use
            self._seq += 1
            pid = (self._seq - 1) % 65535 + 1
            if pid not in self.inflight and pid not in self._pending:
                break
        data = bytes((pid >> 8, pid & 255))
        for f in filters:
            data += _s(f) if unsubscribe else _s(f[0]) + bytes((f[1],))
        self._pending[pid] = True
        self._out.append(_packet(0xA2 if unsubscribe else 0x82, data))
        if now is not None:
            self._sent_at = now
        return pid

    def unsubscribe(self, filters, now=None):
        """UNSUBSCRIBE from a list of filters; returns the packet id (0 if not connected)."""
        return self.subscribe(filters, now, True)

    def disconnect(self):
        """Queue DISCONNECT (the will is not sent): close the socket once it is written."""
        if self.state == CONNECTED:
            self._out.append(b"\xe0\x00")
        self.state = DISCONNECTING

    def connection_lost(self):
        """The socket closed or broke: back to DISCONNECTED, keeping the session."""
        self.state = DISCONNECTED
        self.buf = b""
        self._out = []
        self._pending = {}

    # ---------------------------------------------------------------- time
    def deadline(self):
        """When ``tick`` next needs calling (monotonic seconds), or None."""
        st = self.state
        if st == CONNECTING or (st == CONNECTED and self._ping_at is not None):
            return self._ping_at + self.ping_timeout
        if st == CONNECTED and self.keepalive:
            return min(self._sent_at, self._heard_at) + self.keepalive
        return None

    def tick(self, now, reading=True):
        """Keepalive: queue PINGREQ when idle for ``keepalive``; returns [("error", ...)] when the
        broker did not answer (CONNACK or PINGRESP) within ``ping_timeout``. ``reading=False``:
        the caller has stopped reading (its consumer is slow), so an answer cannot be seen yet:
        the wait for it starts again instead of ending the connection."""
        st = self.state
        if st == CONNECTING or (st == CONNECTED and self._ping_at is not None):
            if not reading:
                self._ping_at = now
            elif now - self._ping_at >= self.ping_timeout:
                self.error = "no %s from the broker within %gs: connection dead" % (
                    _NAMES.split()[2 if st == CONNECTING else 13], self.ping_timeout)
                self.state = ERROR
                self.buf = b""
                return [("error", self.error)]
        elif st == CONNECTED and self.keepalive:
            if now - min(self._sent_at, self._heard_at) >= self.keepalive:
                self._ping_at = self._sent_at = now
                self._out.append(b"\xc0\x00")
        return []

    # ---------------------------------------------------------------- receiving
    def receive(self, data, now=0):
        """Feed bytes from the socket (bytes, or a memoryview of a buffer the caller reuses: what
        is kept is copied); returns the list of events (see the module docstring)."""
        st = self.state
        if st == ERROR or st == DISCONNECTED or not data:
            return []
        self._heard_at = now
        buf = self.buf + data if self.buf else data
        n = len(buf)
        pos = 0
        ev = []
        while n - pos >= 2:
            # fixed header: type/flags, then 1-4 bytes of remaining length; the packet is
            # buf[i:i + ln]. r: None while incomplete, "" once complete, else the error.
            t = buf[pos]
            kind = t >> 4
            flags = t & 15
            st = self.state
            i = pos + 1
            ln = shift = 0
            r = None
            if (t != 0x20 and st == CONNECTING) or (kind != 3 and t not in (0x20, 0x40, 0x90, 0xB0, 0xD0)):
                i = pos                                 # wrong at once: no need to wait for the rest
                r = ""
            while r is None and i < n:
                b = buf[i]
                i += 1
                ln |= (b & 127) << shift
                if not b & 128:
                    if ln + i - pos > self.max_packet:
                        r = "packet of %d bytes exceeds max_packet=%d" % (ln + i - pos, self.max_packet)
                    elif n - i >= ln:
                        r = ""
                    break
                shift += 7
                if shift > 21:
                    r = "malformed packet: remaining length longer than 4 bytes"
            if r is None:
                break                                   # wait for the rest of the packet
            if not r:                                   # a complete packet: handle it
                end = i + ln
                pid = (buf[i] << 8) | buf[i + 1] if ln > 1 else 0
                if st == CONNECTING and kind != 2:
                    r = "malformed: expected CONNACK first, got %s" % _NAMES.split()[kind]
                elif kind == 3:                             # PUBLISH
                    qos = (flags >> 1) & 3
                    j = i + 2 + pid                         # pid: the topic length, here
                    if qos > 1:
                        r = "QoS %d (we subscribe at QoS 0/1 only)" % qos
                    elif ln < 2 or j + (2 if qos else 0) > end or pid == 0:
                        r = "bad topic length"
                    else:
                        b = bytes(buf[i + 2:j])
                        try:
                            topic = str(b, "utf-8")
                        except Exception:
                            topic = None
                        if topic is None or b"+" in b or b"#" in b or b"\0" in b:
                            r = "topic %r is not UTF-8, or holds a wildcard" % (b,)
                        elif qos:
                            pid = (buf[j] << 8) | buf[j + 1]
                            j += 2
                            if not pid:
                                r = "packet id 0"
                            else:
                                self._out.append(bytes((0x40, 2, pid >> 8, pid & 255)))
                        else:
                            pid = 0
                    if r:
                        r = "malformed PUBLISH: " + r
                    elif self.payloads_only:
                        ev.append(("message", bytes(buf[j:end])))
                    else:
                        ev.append(("message", Message(topic, bytes(buf[j:end]), qos, bool(flags & 1),
                                                      bool(flags & 8), pid)))
                elif kind == 2 and st != CONNECTING:
                    r = "malformed: CONNACK when already connected"
                elif kind not in (2, 4, 9, 11, 13):
                    r = "malformed: unexpected packet type %d (%s) from the broker" % (kind, _NAMES.split()[kind])
                elif flags or (ln < 3 if kind == 9 else ln != (0 if kind == 13 else 2)):
                    r = "malformed %s (flags %d, length %d)" % (_NAMES.split()[kind], flags, ln)
                elif kind == 4:                             # PUBACK
                    if self.inflight.pop(pid, None) is not None:
                        ev.append(("published", pid))
                elif kind == 11:                            # UNSUBACK
                    if self._pending.pop(pid, None):
                        ev.append(("unsubscribed", pid))
                elif kind == 13:                            # PINGRESP
                    self._ping_at = None
                elif kind == 9:                             # SUBACK
                    granted = list(buf[i + 2:end])
                    for g in granted:
                        if g not in (0, 1, 2, 0x80):
                            r = "malformed SUBACK: return code %d" % g
                    if not r and self._pending.pop(pid, None):
                        ev.append(("subscribed", pid, granted))
                elif buf[i] > 1:                            # CONNACK
                    r = "malformed CONNACK"
                elif buf[i + 1]:
                    rc = buf[i + 1]
                    r = "connection refused by the broker: %s" % (
                        _NAMES.split("\n")[rc] if rc < 6 else "return code %d" % rc)
                else:
                    present = bool(buf[i] & 1)
                    self.state = CONNECTED
                    self._ping_at = None
                    ev.append(("connected", present))
                    # resubscribe (a new session), resend unacknowledged publishes with DUP
                    self._pending = {}
                    fs = self._later
                    self._later = []
                    if not present:
                        fs = []
                        for f in self.subs:
                            fs.append((f, self.subs[f]))
                        fs.sort()
                    if fs:
                        self.subscribe(fs)
                    order = []
                    for p in self.inflight:
                        order.append(self.inflight[p])
                    order.sort()
                    for e in order:
                        p = e[1]
                        if not p[0] & 8:
                            p = e[1] = bytes((p[0] | 8,)) + p[1:]
                        self.resent += 1
                        self._out.append(p)
            if r:
                self.state = ERROR
                self.error = r
                self.buf = b""
                ev.append(("error", r))
                return ev
            pos = end
        self.buf = bytes(buf[pos:]) if pos < n else b""     # (data may be a reused buffer's view)
        return ev
