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
arguments (a topic with a wildcard in publish, qos 2, no filter to subscribe, a keepalive over
65535 s...) raise ValueError.
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

# The texts of the MQTT modules' errors (this one's and kamaelia_lite.net.mqtt's), one a line, in
# one string: ``line(k)`` makes line k when it is needed. (A string constant of its own costs a
# device ~60 bytes of heap beyond its text: an object, and its text in a block of its own.)
# 0-15 the packet type names; 16-20 why a CONNECT was refused (return codes 1-5); then the rest.
text = ("type-0\nCONNECT\nCONNACK\nPUBLISH\nPUBACK\nPUBREC\nPUBREL\nPUBCOMP\nSUBSCRIBE\nSUBACK\n"
        "UNSUBSCRIBE\nUNSUBACK\nPINGREQ\nPINGRESP\nDISCONNECT\ntype-15\n"
        "unacceptable protocol version\nclient identifier rejected\nserver unavailable\n"
        "bad user name or password\nnot authorized\n"
        "MQTT string longer than 65535 bytes\n"                          # 21
        "packet body of %d bytes is too large for MQTT\n"                # 22
        "bad MQTT topic %s: %r\n"                                        # 23
        "filter (+ is a whole level, # the last one)\n"                  # 24
        "name (wildcards are not allowed)\n"                             # 25
        "qos must be 0 or 1, not %r\n"                                   # 26
        "too many QoS 1 messages in flight (%d)\n"                       # 27
        "not connected (state %s)\n"                                     # 28
        "no %s from the broker within %gs: connection dead\n"            # 29
        "packet of %d bytes exceeds max_packet=%d\n"                     # 30
        "malformed packet: remaining length longer than 4 bytes\n"       # 31
        "malformed: expected CONNACK first, got %s\n"                    # 32
        "malformed PUBLISH: QoS %d (we subscribe at QoS 0/1 only)\n"     # 33
        "malformed PUBLISH: bad topic length\n"                          # 34
        "malformed PUBLISH: topic %r is not UTF-8, or holds a wildcard\n"  # 35
        "malformed PUBLISH: packet id 0\n"                               # 36
        "unsubscribed\n"                                                 # 37
        "malformed: CONNACK when already connected\n"                    # 38
        "malformed: unexpected packet type %d (%s) from the broker\n"    # 39
        "malformed %s (flags %d, length %d)\n"                           # 40
        "malformed SUBACK: return code %d\n"                             # 41
        "malformed CONNACK\n"                                            # 42
        "connection refused by the broker: %s\n"                         # 43
        "return code %d\n"                                               # 44
        # kamaelia_lite.net.mqtt
        "could not connect to %s:%s: %s\n"                               # 45
        "finished before the broker answered\n"                          # 46
        "shut down while connecting\n"                                   # 47
        "connect timed out after %gs\n"                                  # 48
        "connection broke: %s\n"                                         # 49
        "the broker closed the connection\n"                             # 50
        "no topic: give MQTTClient a topic= or send (topic, payload)\n"  # 51
        "subscription %r refused: %s\n"                                  # 52
        "not published: %s\n"                                            # 53
        "%s needs a topic\n"                                             # 54
        # kamaelia_lite.net.mqtt_codec again
        "malformed CONNACK: session present, but a clean session was asked for\n"  # 55
        "malformed PUBLISH: DUP set on a QoS 0 message\n"               # 56
        "malformed packet: remaining length not in its shortest form\n" # 57
        "malformed %s: packet id %d awaits no such answer\n"            # 58
        "keepalive must be 0..65535 s, not %r\n"                         # 59
        "no topic filter given")                                         # 60


def line(k):
    """Line ``k`` of ``text`` (0: the first), a new string."""
    i = 0
    while k:
        i = text.find("\n", i) + 1
        k -= 1
    k = text.find("\n", i)
    return text[i:k] if k >= 0 else text[i:]


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
        raise ValueError(line(21))  # 'MQTT string longer than 65535 bytes'
    return bytes((n >> 8, n & 255)) + b


def _packet(t, data):
    """Fixed header (``t``: the type/flags byte; the remaining length) + ``data``, the rest."""
    n = len(data)
    if n > 268435455:                   # the largest remaining length MQTT can express
        raise ValueError(line(22) % n)  # 'packet body of %d bytes is too large for MQTT'
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
        b = topic.encode()      # (bytes, looked at as numbers: 43 "+", 35 "#"; each bytes or
        ok = len(b) < 65536     # 1-character str constant would cost a device heap)
        levels = b.split(b"/")
        last = len(levels) - 1
        for i, lv in enumerate(levels):
            # a level holding a wildcard: allowed in a filter if it is "+", or "#" and the last
            if (43 in lv or 35 in lv) and not (filter and len(lv) == 1 and (43 in lv or i == last)):
                ok = False
    if not ok:
        # 'bad MQTT topic %s: %r' / 'filter (+ is a whole level, # the last one)' / 'name (wildcards are not allowed)'
        raise ValueError(line(23) % (line(24 if filter else 25), topic))


def topic_matches(filter, topic):
    """True if topic name ``topic`` matches topic filter ``filter`` (``+`` one level, ``#`` the
    rest); topics starting with ``$`` only match filters that name the ``$`` level."""
    f = filter.encode().split(b"/")     # (bytes: see check_topic)
    t = topic.encode().split(b"/")
    if t[0] and t[0][0] == 36 and f[0] and f[0][0] in (43, 35):     # "$..." and a "+"/"#" level
        return False
    for i, lv in enumerate(f):
        w = lv[0] if len(lv) == 1 else 0       # 35 "#", 43 "+": a wildcard level
        if w == 35:
            return True
        if i >= len(t) or (w != 43 and lv != t[i]):
            return False
    return len(f) == len(t)


class MQTTConnection:
    """One client's side of MQTT 3.1.1 (see the module docstring).

    ``client_id`` (str); ``clean_session``; ``keepalive`` seconds (0: none); ``username``,
    ``password``; ``will`` = (topic, payload, qos, retain) sent by the broker if we vanish;
    ``max_packet`` bytes accepted from the broker (default 256 KiB); ``max_inflight``
    unacknowledged QoS 1 publishes (``can_publish()`` says whether another fits);
    ``ping_timeout`` seconds to wait for an answer (CONNACK, PINGRESP, and while any is awaited a
    PUBACK, SUBACK or UNSUBACK, each answer restarting the wait) before declaring the connection
    dead. ``payloads_only = True`` (set on the instance): a ``message`` event carries the
    payload (bytes) alone, not a ``Message`` (no object made per message).
    """

    payloads_only = False

    def __init__(self, client_id, clean_session=True, keepalive=60, username=None, password=None,
                 will=None, max_packet=256 * 1024, max_inflight=32, ping_timeout=None):
        if will is not None:
            check_topic(will[0])
        if not 0 <= keepalive <= 65535:            # (two bytes in CONNECT)
            raise ValueError(line(59) % (keepalive,))  # 'keepalive must be 0..65535 s, not %r'
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
        self._later = []        # asked while not connected: (filter, qos) or, unsubscribed, (filter, None)
        self.inflight = {}      # pid -> [sequence, packet bytes, sent yet] of our QoS 1 publishes
        self._seq = 0           # packet ids given out so far: the next pid, and the resend order
        self._pending = {}      # pid of SUBSCRIBE/UNSUBSCRIBE awaiting its ack -> its (filter, qos or None)s
        self._out = []          # packets to send, in order
        self.buf = b""          # received bytes of an incomplete packet (a bytearray when any)
        self._sent_at = self._heard_at = 0
        self._ping_at = None    # since when an answer is awaited (CONNACK, PINGRESP, PUBACK...)
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
            raise ValueError(line(26) % (qos,))  # 'qos must be 0 or 1, not %r'
        check_topic(topic)
        if isinstance(payload, str):
            payload = payload.encode()
        t = _s(topic)
        pid = 0
        first = 0x30 | (1 if retain else 0)
        if qos:
            if len(self.inflight) >= self.max_inflight:
                raise ValueError(line(27) % self.max_inflight)  # 'too many QoS 1 messages in flight (%d)'
            for _ in range(65535):          # the next packet id not in use
                self._seq += 1
                pid = (self._seq - 1) % 65535 + 1
                if pid not in self.inflight and pid not in self._pending:
                    break
            first |= 2
            t += bytes((pid >> 8, pid & 255))
        elif self.state != CONNECTED:
            raise ValueError(line(28) % self.state)  # 'not connected (state %s)'
        pkt = _packet(first, t + payload)
        if qos:
            self.inflight[pid] = [self._seq, pkt, self.state == CONNECTED]    # (sent yet?)
            if self.state != CONNECTED:
                return pid
        self._out.append(pkt)
        if now is not None:
            self._sent_at = now
        if qos and self._ping_at is None:       # a PUBACK is awaited from now
            self._ping_at = self._sent_at
        return pid

    def subscribe(self, filters, now=None, unsubscribe=False):
        """SUBSCRIBE to [(filter, qos), ...] (remembered: sent again on a new session).
        Returns the packet id (0 when not connected: sent on connecting)."""
        if not filters:                     # (MQTT-3.8.3-3, 3.10.3-2: one at least)
            raise ValueError(line(60))  # 'no topic filter given'
        for f in filters:                   # (unsubscribe() shares this: filters are plain strings)
            if unsubscribe:
                check_topic(f, True)
                self.subs.pop(f, None)
            else:
                check_topic(f[0], True)
                if f[1] not in (0, 1):
                    raise ValueError(line(26) % (f[1],))  # 'qos must be 0 or 1, not %r'
        if not unsubscribe:
            for f, q in filters:
                self.subs[f] = q
        ops = [(f, None) for f in filters] if unsubscribe else list(filters)   # (filter, qos or None)
        if self.state != CONNECTED:
            self._later += ops           # sent on connecting, even if the broker kept a session
            return 0
        for _ in range(65535):              # the next packet id not in use
            self._seq += 1
            pid = (self._seq - 1) % 65535 + 1
            if pid not in self.inflight and pid not in self._pending:
                break
        data = bytes((pid >> 8, pid & 255))
        for f in filters:
            data += _s(f) if unsubscribe else _s(f[0]) + bytes((f[1],))
        self._pending[pid] = ops         # (sent again on connecting if never acknowledged)
        self._out.append(_packet(0xA2 if unsubscribe else 0x82, data))
        if now is not None:
            self._sent_at = now
        if self._ping_at is None:               # a SUBACK/UNSUBACK is awaited from now
            self._ping_at = self._sent_at
        return pid

    def unsubscribe(self, filters, now=None):
        """UNSUBSCRIBE from a list of filters; returns the packet id (0 if not connected)."""
        return self.subscribe(filters, now, True)

    def disconnect(self):
        """Queue DISCONNECT (the will is not sent): close the socket once it is written."""
        if self.state == CONNECTED:
            self._out.append(bytes((0xE0, 0)))
        self.state = DISCONNECTING

    def connection_lost(self):
        """The socket closed or broke: back to DISCONNECTED, keeping the session."""
        self.state = DISCONNECTED
        self.buf = b""
        self._out = []

    # ---------------------------------------------------------------- time
    def deadline(self):
        """When ``tick`` next needs calling (monotonic seconds), or None."""
        st = self.state
        if st == CONNECTING:
            return self._ping_at + self.ping_timeout
        if st != CONNECTED:
            return None
        d = None
        if self.keepalive:      # (while an answer is awaited, a PINGREQ still goes unless we spoke)
            d = (self._sent_at if self._ping_at is not None else min(self._sent_at, self._heard_at)) + self.keepalive
        if self._ping_at is not None and (d is None or self._ping_at + self.ping_timeout < d):
            d = self._ping_at + self.ping_timeout
        return d

    def tick(self, now, reading=True):
        """Keepalive: queue PINGREQ when idle for ``keepalive``; returns [("error", ...)] when the
        broker did not answer (CONNACK, PINGRESP, or PUBACK/SUBACK/UNSUBACK while any is awaited:
        each answer restarts the wait) within ``ping_timeout``. ``reading=False``:
        the caller has stopped reading (its consumer is slow), so an answer cannot be seen yet:
        the wait for it starts again instead of ending the connection, and a PINGREQ still goes
        every ``keepalive`` (the broker drops a client it has not heard from in 1.5 keepalives)."""
        st = self.state
        if st == CONNECTING or (st == CONNECTED and self._ping_at is not None):
            if not reading:
                self._ping_at = now
                if st == CONNECTED and self.keepalive and now - self._sent_at >= self.keepalive:
                    self._sent_at = now
                    self._out.append(bytes((0xC0, 0)))
            elif now - self._ping_at >= self.ping_timeout:
                # 'no %s from the broker within %gs: connection dead' (CONNACK, PUBACK, SUBACK,
                # UNSUBACK or PINGRESP: the answer awaited)
                w = 4 if self.inflight else 13
                for p in self._pending:             # (SUBACK if any SUBSCRIBE: whatever the order)
                    if w > 9:
                        w = 11 if self._pending[p] and self._pending[p][0][1] is None else 9
                self.error = line(29) % (line(2 if st == CONNECTING else w), self.ping_timeout)
                self.state = ERROR
                self.buf = b""
                return [("error", self.error)]
        elif st == CONNECTED and self.keepalive:
            if now - min(self._sent_at, self._heard_at) >= self.keepalive:
                self._ping_at = self._sent_at = now
                self._out.append(bytes((0xC0, 0)))
        return []

    # ---------------------------------------------------------------- receiving
    def receive(self, data, now=0):
        """Feed bytes from the socket (bytes, or a memoryview of a buffer the caller reuses: what
        is kept is copied); returns the list of events (see the module docstring)."""
        st = self.state
        if st == ERROR or st == DISCONNECTED or not data:
            return []
        self._heard_at = now
        buf = self.buf
        if buf:
            buf += data         # (a bytearray, grown at its end: a packet dribbled in tiny reads
        else:                   # costs time in proportion to its size, not to its square)
            buf = data
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
                    if shift and not b:     # a last byte 0 after others: a needless byte (MQTT 5
                        r = line(57)        # 1.5.5-1; 3.1.1's encoding gives the shortest form only)
                    elif ln + i - pos > self.max_packet:
                        # 'packet of %d bytes exceeds max_packet=%d'
                        r = line(30) % (ln + i - pos, self.max_packet)
                    elif n - i >= ln:
                        r = ""
                    break
                shift += 7
                if shift > 21:
                    r = line(31)  # 'malformed packet: remaining length longer than 4 bytes'
            if r is None:
                break                                   # wait for the rest of the packet
            if not r:                                   # a complete packet: handle it
                end = i + ln
                pid = (buf[i] << 8) | buf[i + 1] if ln > 1 else 0
                if st == CONNECTING and kind != 2:
                    r = line(32) % line(kind)  # 'malformed: expected CONNACK first, got %s'
                elif kind == 3:                             # PUBLISH
                    qos = (flags >> 1) & 3
                    j = i + 2 + pid                         # pid: the topic length, here
                    if qos > 1:
                        r = line(33) % qos  # 'malformed PUBLISH: QoS %d (we subscribe at QoS 0/1 only)'
                    elif flags & 14 == 8:                   # DUP, QoS 0 (MQTT-3.3.1-2: DUP must be 0)
                        r = line(56)  # 'malformed PUBLISH: DUP set on a QoS 0 message'
                    elif ln < 2 or j + (2 if qos else 0) > end or pid == 0:
                        r = line(34)  # 'malformed PUBLISH: bad topic length'
                    else:
                        b = bytes(buf[i + 2:j])
                        try:
                            topic = str(b, "utf-8")
                        except Exception:
                            topic = None
                        if topic is None or 43 in b or 35 in b or 0 in b:     # + # NUL
                            # 'malformed PUBLISH: topic %r is not UTF-8, or holds a wildcard'
                            r = line(35) % (b,)
                        elif qos:
                            pid = (buf[j] << 8) | buf[j + 1]
                            j += 2
                            if not pid:
                                r = line(36)  # 'malformed PUBLISH: packet id 0'
                            else:
                                self._out.append(bytes((0x40, 2, pid >> 8, pid & 255)))
                        else:
                            pid = 0
                    if not r:
                        ev.append(("message", bytes(buf[j:end]) if self.payloads_only else Message(
                            topic, bytes(buf[j:end]), qos, bool(flags & 1), bool(flags & 8), pid)))
                elif kind == 2 and st != CONNECTING:
                    r = line(38)  # 'malformed: CONNACK when already connected'
                elif kind not in (2, 4, 9, 11, 13):
                    # 'malformed: unexpected packet type %d (%s) from the broker'
                    r = line(39) % (kind, line(kind))
                elif flags or (ln < 3 if kind == 9 else ln != (0 if kind == 13 else 2)):
                    r = line(40) % (line(kind), flags, ln)  # 'malformed %s (flags %d, length %d)'
                elif kind == 13:                            # PINGRESP
                    self._ping_at = now if self.inflight or self._pending else None
                elif kind == 4:                             # PUBACK
                    if self.inflight.pop(pid, None) is not None:
                        ev.append(("published", pid))
                        self._ping_at = now if self.inflight or self._pending else None
                    else:           # never sent, or answered already: the broker lost count
                        r = line(58) % (line(kind), pid)  # 'malformed %s: packet id %d awaits no such answer'
                elif kind != 2:                             # SUBACK, UNSUBACK
                    f = self._pending.get(pid)
                    granted = list(buf[i + 2:end])
                    for g in granted:
                        if g not in (0, 1, 2, 0x80):
                            r = line(41) % g  # 'malformed SUBACK: return code %d'
                    if r:
                        pass
                    elif not f or (f[0][1] is None) != (kind == 11):    # not awaiting this answer
                        r = line(58) % (line(kind), pid)  # 'malformed %s: packet id %d awaits no such answer'
                    elif kind != 11 and len(f) != len(granted):
                        # one return code per filter asked: else a refusal may hide
                        r = line(40) % (line(9), flags, ln)  # 'malformed %s (flags %d, length %d)'
                    else:
                        del self._pending[pid]
                        ev.append(("subscribed", pid, granted) if kind == 9 else (line(37), pid))  # 'unsubscribed'
                        self._ping_at = now if self.inflight or self._pending else None
                elif buf[i] > 1:                            # CONNACK
                    r = line(42)  # 'malformed CONNACK'
                elif buf[i + 1]:
                    rc = buf[i + 1]
                    # 'connection refused by the broker: %s' (why, for return codes 1-5; else 'return code %d')
                    r = line(43) % (line(15 + rc) if rc < 6 else line(44) % rc)
                elif buf[i] and self.clean_session:     # (MQTT-3.2.2-1: the broker MUST say 0)
                    r = line(55)  # 'malformed CONNACK: session present, but a clean session was asked for'
                else:
                    present = bool(buf[i] & 1)
                    self.state = CONNECTED
                    self._ping_at = None
                    ev.append(("connected", present))
                    # a new session: subscribe to everything again. A kept one: what was asked
                    # while down, or sent and never acknowledged (the broker may not have it),
                    # as the app asked last: (un)subscribe what now is (not) in subs.
                    later = self._later
                    for p in self._pending:
                        later += self._pending[p]
                    self._pending = {}
                    self._later = []
                    fs = []
                    gone = []
                    for f in (later if present else self.subs):
                        if not present:
                            fs.append((f, self.subs[f]))
                        elif f[1] is None:
                            if f[0] not in self.subs and f[0] not in gone:
                                gone.append(f[0])
                        elif self.subs.get(f[0]) == f[1] and f not in fs:
                            fs.append(f)
                    if not present:
                        fs.sort()
                    if fs:
                        self.subscribe(fs, now)
                    if gone:
                        self.subscribe(gone, now, True)
                    order = []
                    for p in self.inflight:
                        order.append(self.inflight[p])
                    order.sort()
                    for e in order:
                        p = e[1]
                        if e[2]:                    # sent before: a re-delivery, DUP set
                            if not p[0] & 8:
                                p = e[1] = bytes((p[0] | 8,)) + p[1:]
                            self.resent += 1
                        e[2] = True
                        self._out.append(p)
                        self._ping_at = now             # (a PUBACK is awaited)
            if r:
                self.state = ERROR
                self.error = r
                self.buf = b""
                ev.append(("error", r))
                return ev
            pos = end
        if pos >= n:
            self.buf = b""
        elif pos or buf is data:
            self.buf = bytearray(buf[pos:])     # (data may be a reused buffer's view: copied)
        return ev
