"""MQTT components over a real broker (mosquitto...): CPython and MicroPython.

- ``MQTTClient(host=, port=, ...)`` — one broker connection. Messages in ``inbox`` are published;
  received messages (``mqtt_codec.Message``: topic, payload, qos, retain, dup) come out of
  ``outbox``; ``events`` tells the story: ``("connected", (host, port), session_present)``,
  ``("disconnected", reason)``, ``("error", reason)``, ``("subscribed", pid, granted qos list)``
  (the broker confirmed a SUBSCRIBE), ``("refused", pid)`` (it refused one), ``("lost", n,
  reason)`` (messages not delivered when it finished). Errors, disconnections, refusals and
  losses are also written to stderr (``log=False`` stops that; ``verbose=True`` adds the rest).
- ``MQTTPublisher(host=, port=, topic=, qos=, retain=)`` — publishes each inbox message (bytes or
  str) to ``topic``.
- ``MQTTSubscriber(host=, port=, topic=, qos=)`` — subscribes to ``topic`` (``+``/``#`` allowed)
  and sends each received payload, as bytes, on ``outbox``.

Inbox messages to ``MQTTClient``: a payload (bytes/str, to ``topic`` at ``qos``/``retain``),
``(topic, payload)`` or ``(topic, payload, qos, retain)``. The ``subscribe`` inbox takes a filter,
``(filter, qos)``, or ``("unsubscribe", filter)``.

Behaviour: connects without blocking the scheduler (the name lookup does block: pass an
address), reconnects with exponential back-off (``backoff_min`` .. ``backoff_max`` s,
``max_retries`` None = for ever), subscribes again on a new session, resends unacknowledged
QoS 1 messages with DUP. Messages wait in ``inbox`` while the connection is down or ``max_inflight``
QoS 1 messages await their PUBACK (the sender sees the box fill: nothing is dropped). Received
messages wait while ``outbox``'s destination is full (reading stops). Whatever the broker sends
cannot raise here: a malformed packet is an ``error`` event and the connection is closed.

``producerFinished`` on ``control``: publish what is queued, wait for every PUBACK (at most
``flush_timeout`` s), DISCONNECT, pass it on. ``shutdownMicroprocess``: DISCONNECT at once.

TLS (CPython): ``tls=True`` with ``ca_file`` (the broker's CA), optional ``cert_file``/``key_file``
(client certificate), ``server_hostname``; or ``ssl_context`` (an ``ssl.SSLContext``). It lives in
``kamaelia_lite.net.mqtt_tls``, imported at the end of this module on CPython only.

On a device (MicroPython) the defaults are small: ``recv_size=256``, ``max_packet=4096``,
``max_inflight=8``, ``max_send_buffer=4096``; its clients share one receive buffer.
"""
import socket

# microaxon.iowait: every MQTTClient waits on its socket, so the kernel's I/O waits load now, with
# the component, rather than on the first wait (on a device: mid-run, into a fragmented heap);
# microaxon.lifetime too: whatever runs an MQTTClient (its run(), a Pipeline's or Graphline's
# addChildren) loads it, and on a device its methods grow the component class's table (a 752-byte
# block), which a heap fragmented by the clients just made may not have
import microaxon.lifetime  # noqa: F401
from kamaelia_lite.net.mqtt_codec import CONNECTED, DISCONNECTING, ERROR, MQTTConnection, line
from microaxon import component, now, producerFinished, shutdownMicroprocess
from microaxon.iowait import reserve

# MicroPython: the receive buffers not in use. A client reads into one and hands the codec a view
# of it (the codec copies what it keeps): reading and decoding take one step, with no yield between,
# so the clients of a scheduler share one buffer (at the largest recv_size), made with the first
# client, before a running system fragments the heap (recv(n) would ask for n contiguous bytes on
# every read, even one that finds nothing). A reader takes one from the list and gives it back: a
# client reading in another thread at that moment makes one more. CPython: None (it uses recv).
_bufs = []

# Device heap: every def, argument, attribute and global name costs heap on MicroPython (~330
# distinct names in a device's bundle need a 5th pool of interned names, 3.6 KiB): one session
# generator does connecting, publishing, reading and delivering; constants are literals.


def _again(e):
    """Truthy for an OSError that only means "not now": True for EAGAIN, EWOULDBLOCK, EINPROGRESS,
    EALREADY (Linux, BSD) (and, on CPython, TLS wanting to read/write: kamaelia_lite.net.mqtt_tls
    puts its own _again here); 2 for EISCONN (a connect() asked again has completed)."""
    c = getattr(e, "errno", None)
    if c is None and e.args:
        c = e.args[0]
    if c in (106, 56):
        return 2
    return c in (11, 35, 115, 114, 36, 37)


class MQTTClient(component):
    """``MQTTClient(host=, port=, username=, password=, subscriptions=[(filter, qos)], topic=,
    qos=, retain=, ...)``: one MQTT 3.1.1 connection. ``inbox`` messages are published (a payload
    goes to ``topic``); received messages (``Message``: topic, payload, qos, retain, dup) come
    out of ``outbox`` (``payloads_only=True``: the payloads alone, as bytes); ``events`` carries
    connected/disconnected/error/subscribed tuples.
    Reconnects with back-off (``backoff_min``..``backoff_max``), resends unacknowledged QoS 1
    messages with DUP, subscribes again on a new session. ``clean_session=False`` with a fixed
    ``client_id`` keeps the session (and QoS 1 messages queued for us) at the broker across
    disconnections. TLS (CPython only): ``tls=True``, ``ca_file``, ``cert_file``/``key_file``,
    ``server_hostname``, or ``ssl_context``. See docs/mqtt.md.
    The connection's own options (``client_id``, ``clean_session``, ``keepalive``, ``username``,
    ``password``, ``will``, ``max_packet``, ``max_inflight``) are kept by ``conn``, the
    ``MQTTConnection``: read them there (the class attributes of those names are the defaults).
    Counters (instance attributes): ``published``, ``received``, ``dropped`` (not published:
    an ``error`` event says why)."""

    # (short descriptions: each string costs device heap; the class docstring says the rest)
    # ("shutdown signals": the kernel's string, shared)
    Inboxes = {"inbox": "messages to publish", "subscribe": "filters", "control": component.Inboxes["control"]}
    Outboxes = {"outbox": "received messages", "events": "connection events", "signal": component.Inboxes["control"]}

    host = "127.0.0.1"
    port = 1883
    client_id = None
    clean_session = True
    keepalive = 30
    username = None
    password = None
    will = None
    topic = None
    qos = 0
    retain = False
    subscriptions = ()
    reconnect = True
    backoff_min = 0.25
    backoff_max = 30.0
    max_retries = None
    connect_timeout = 10.0
    flush_timeout = 10.0
    max_packet = 256 * 1024     # (these four: CPython's; a device's, smaller, at the end)
    max_inflight = 32
    max_send_buffer = 64 * 1024
    recv_size = 65536
    tls = False
    server_hostname = None      # (ssl_context, ca_file, cert_file, key_file: CPython, mqtt_tls)
    payloads_only = False
    verbose = False            # every event on stderr
    log = True                 # errors, disconnections, refusals and losses on stderr
    # (the counters published, received, dropped: set by __init__, not class attributes too)

    def __init__(self, *args, **argd):
        # (MQTTPublisher's and MQTTSubscriber's too: a class with an __init__ of its own costs a
        # device ~560 bytes). Positional arguments: host, port, topic, qos, retain.
        for k in range(len(args)):
            argd[("host", "port", "topic", "qos", "retain")[k]] = args[k]
        c = self.__class__
        t = isinstance(self, MQTTSubscriber)
        if (t or isinstance(self, MQTTPublisher)) and argd.get("topic") is None:
            raise ValueError(line(54) % c.__name__)  # '%s needs a topic'
        t = t and argd.pop("topic")          # a subscriber's topic: subscribed to, not kept
        for k in list(argd):             # an option given its default value is not stored on
            d = getattr(c, k, argd)      # the instance (the class has it): fewer attributes,
            v = argd[k]                  # a smaller instance table on a device
            if d is v or (d.__class__ is v.__class__ and d == v):
                del argd[k]
        # the connection's own options go to it (``conn``, the MQTTConnection), not onto the
        # component too: a device's instance table stays a size smaller (29 entries, not 37)
        o = []
        for k in ("client_id", "clean_session", "keepalive", "username", "password", "will", "max_packet",
                  "max_inflight"):
            o.append(argd.pop(k, getattr(c, k)))
        super().__init__(**argd)
        subs = []
        for s in self.subscriptions:
            subs.append((s, self.qos) if isinstance(s, str) else (s[0], s[1]))
        if t:
            subs.append((t, self.qos))
        if not o[0]:                         # client_id: random, so that two devices never share one
            try:
                from os import urandom
                o[0] = "kamaelia-%08x" % int.from_bytes(urandom(4), "big")
            except ImportError:
                from random import getrandbits
                o[0] = "kamaelia-%08x" % getrandbits(32)
        self.conn = MQTTConnection(*o)
        if self.payloads_only:               # deliveries are the payloads: no Message made for each
            self.conn.payloads_only = True
        if subs:
            self.conn.subscribe(subs)
        self.sock = None
        self.finishing = None      # (the producerFinished/shutdownMicroprocess, when the flush ends)
        self.next = None           # an inbox message taken, waiting for room to publish
        self.published = self.received = self.dropped = 0
        if _bufs is not None and (not _bufs or len(_bufs[0]) < self.recv_size):
            if _bufs:
                _bufs.pop()
            _bufs.append(memoryview(bytearray(self.recv_size)))
        # Device heap: every attribute this component will ever have is set here, so that its
        # instance table is made at its full size now, not grown (by reallocation: 600-750
        # contiguous bytes) mid-run in a fragmented heap; the kernel's for socket waits too.
        reserve(self)

    # ------------------------------------------------------------------ helpers
    def _event(self, e):
        if self.verbose or (self.log and e[0] in ("error", "disconnected", "refused", "lost")):
            try:
                import sys
                sys.stderr.write("mqtt %s:%s: %s\n" % (self.host, self.port, " ".join([str(x) for x in e])))
            except Exception:
                pass
        if self.hasSpace("events"):      # (a full box drops it: no exception, whose class
            self.send(e, "events")       # would load microaxon.errors on a device)

    def _control(self):
        """Look at control: remember the first producerFinished/shutdownMicroprocess (not flow.py's
        take_ending: a later shutdownMicroprocess replaces a producerFinished and cuts the flush).
        Returns True once a shutdownMicroprocess has come."""
        while self.dataReady("control"):
            m = self.recv("control")
            if isinstance(m, shutdownMicroprocess):          # no flush: its end (0) has passed
                if self.finishing is None or not isinstance(self.finishing[0], shutdownMicroprocess):
                    self.finishing = (m, 0)
            elif isinstance(m, producerFinished) and self.finishing is None:
                self.finishing = (m, now() + self.flush_timeout)
        return self.finishing is not None and isinstance(self.finishing[0], shutdownMicroprocess)

    def waiting(self):
        """How many messages wait to be published (in ``inbox``, or taken from it)."""
        return self.dataReady("inbox") + (self.next is not None)

    # ------------------------------------------------------------------ main
    def main(self):
        # One generator for the client's life: connections, publishing, reading, delivering and
        # back-off. On a device its frame (352 bytes, one block) is made once, when the component
        # starts, not for each connection in a heap fragmented by then. (Its receive buffer:
        # _bufs. Few attributes: on a device each one more can grow the instance's table by
        # 600-750 contiguous bytes.)
        c = self.conn
        tries = 0                  # reconnections since a connection last stayed up for backoff_max
        held = []                  # received messages waiting for room in outbox (kept when a
        #                            connection ends: what arrived before a bad packet is delivered)
        try:
            while True:
                # ---------------------------------------------------------- one connection
                # reason: False while it runs, then why it ended (None: a clean DISCONNECT)
                reason = False
                # connect (TCP, then TLS) without blocking the scheduler; any OSError: could not
                # (r: that error. Device heap: no try nested in another here, so the generator's
                # frame holds one level of exception handlers fewer, 32 bytes)
                end = now() + self.connect_timeout
                r = None
                try:
                    m = socket.getaddrinfo(self.host, self.port, 0, socket.SOCK_STREAM)[0]
                    s = self.sock = socket.socket(m[0], socket.SOCK_STREAM)
                    s.setblocking(False)
                    m = m[-1]                   # (m: the address, here)
                except (OSError, ValueError) as e:     # lookup
                    r = e
                if r is None:
                    try:
                        s.setsockopt(6, 1, 1)       # IPPROTO_TCP, TCP_NODELAY (the same on Linux, BSD)
                    except Exception:
                        pass
                while r is None:
                    # connect() again until it says EISCONN (connected), or the error (refused...):
                    # the same on CPython and MicroPython, whose sockets have no getsockopt
                    try:
                        s.connect(m)
                        break
                    except OSError as e:
                        q = _again(e)
                        if q == 2:
                            break
                        if not q:
                            r = e
                            break
                    if self._control():
                        r = OSError(line(47))  # 'shut down while connecting'
                    elif now() >= end:
                        r = OSError(110, line(48) % self.connect_timeout)  # 'connect timed out after %gs'
                    else:
                        self.waitWritable(s)
                        self.pause(max(0.0, end - now()))
                        yield 1
                if r is None and self.tls:    # CPython: kamaelia_lite.net.mqtt_tls gives MQTTClient this method
                    try:
                        yield from self.do_handshake(end)
                    except (OSError, ValueError) as e:
                        r = e
                if r is not None:               # refused, unreachable, lookup, TLS, timed out
                    reason = line(45) % (self.host, self.port, r)  # 'could not connect to %s:%s: %s'
                end = None                 # (from here: when the CONNACK came, if it did)
                if reason is False:
                    s = self.sock
                    wbuf = c.connect(now())
                while reason is False:
                    t = now()
                    self._control()
                    if c.state == CONNECTED:
                        # n: room left in the send buffer, in bytes (what the codec has queued
                        # counts too: a device moves its packets into wbuf one at a time)
                        n = self.max_send_buffer - len(wbuf)
                        for m in c._out:
                            n -= len(m)
                        while n > 0 and self.dataReady("subscribe"):
                            m = self.recv("subscribe")
                            try:
                                if isinstance(m, str):
                                    c.subscribe([(m, self.qos)], t)
                                elif m[0] == "unsubscribe":
                                    c.unsubscribe([m[1]], t)
                                else:
                                    c.subscribe([(m[0], m[1])], t)
                                n -= len(c._out[-1])
                            except (ValueError, TypeError, IndexError) as e:
                                self._event(("error", line(52) % (m, e)))  # 'subscription %r refused: %s'
                        # publish inbox messages while the connection takes them (and the send
                        # buffer has room): one message is taken out of inbox to look at
                        while (self.finishing is None or isinstance(self.finishing[0], producerFinished)) and n > 0 and len(c._out) < 256:
                            m = self.next
                            if m is None:
                                if not self.dataReady("inbox"):
                                    break
                                m = self.next = self.recv("inbox")
                            r = isinstance(m, tuple)
                            q = m[2] if r and len(m) == 4 else self.qos
                            if not c.can_publish(q):
                                break
                            self.next = None
                            try:
                                if r:
                                    c.publish(m[0], m[1], q, m[3] if len(m) == 4 else self.retain, t)
                                    m = m[1]
                                elif self.topic is None:
                                    # 'no topic: give MQTTClient a topic= or send (topic, payload)'
                                    raise ValueError(line(51))
                                else:
                                    c.publish(self.topic, m, q, self.retain, t)
                                n -= len(m) + 8
                                self.published += 1
                            except (ValueError, TypeError, IndexError) as e:
                                self.dropped += 1
                                self._event(("error", line(53) % e))  # 'not published: %s'
                        # (finishing: once all is published, acknowledged and handed on)
                        if self.finishing is not None and (t >= self.finishing[1] or not (self.waiting() or c.inflight or held)):
                            c.disconnect()
                    elif c.state != DISCONNECTING and self.finishing is not None and t >= self.finishing[1]:
                        reason = line(46)  # 'finished before the broker answered'
                        break
                    for e in c.tick(t, not held):
                        self._event(e)
                    # write: CPython joins the queued packets into one send; a device sends them
                    # one by one (no joined copy: a block as large as them all, each time)
                    while True:
                        if c._out and (_bufs is None or not wbuf):
                            m = c.take() if _bufs is None else c._out.pop(0)
                            wbuf = wbuf + m if wbuf else m
                        if not wbuf:
                            break
                        try:
                            n = s.send(wbuf)
                        except OSError as e:
                            if not _again(e):
                                reason = line(49) % (e,)  # 'connection broke: %s'
                            break
                        if n < len(wbuf):
                            wbuf = wbuf[n:]
                            break
                        wbuf = b""
                    if reason is not False:
                        break
                    if c.state == ERROR:
                        reason = c.error
                        break
                    if c.state == DISCONNECTING and not wbuf:
                        reason = None
                        break
                    # read (unless received messages wait, or the send buffer is full: each
                    # read can add PUBACKs to send, so a broker that never reads must not make
                    # it grow; TCP flow control then reaches the broker), then deliver
                    n = self.max_send_buffer - len(wbuf)
                    for m in c._out:
                        n -= len(m)
                    r = False if n > 0 else None   # True: read something; None: no room to read
                    if not held and r is False:
                        # a device reads into a buffer of the shared ones (_bufs), given back below
                        rb = None if _bufs is None else _bufs.pop() if _bufs else memoryview(
                            bytearray(self.recv_size))
                        n = 8
                        while n:            # a TLS socket may hold decrypted bytes poll cannot see
                            n -= 1
                            try:
                                if rb is None:
                                    m = s.recv(self.recv_size)
                                else:
                                    # the start of a packet the last read cut (the codec keeps it)
                                    # goes in front of what is read now: the codec is fed one view
                                    # of the buffer, not a joined copy (a large block, each time)
                                    q = len(c.buf) if len(c.buf) <= len(rb) // 2 else 0
                                    m = s.readinto(rb[q:] if q else rb)     # None: nothing waiting
                                    if m is None:
                                        break
                                    if q and m:
                                        rb[:q] = c.buf
                                        c.buf = b""
                                        m += q
                                    m = rb[:m]                  # (the codec copies what it keeps)
                            except OSError as e:
                                if not _again(e):
                                    reason = line(49) % (e,)  # 'connection broke: %s'
                                break
                            if not m:
                                reason = line(50)  # 'the broker closed the connection'
                                break
                            r = True
                            for e in c.receive(m, now()):
                                t = e[0]
                                if t == "message":
                                    self.received += 1
                                    held.append(e[1])
                                elif t == "connected":
                                    end = now()
                                    self._event(("connected", (self.host, self.port), e[1]))
                                elif t == "subscribed":
                                    self._event(("refused", e[1]) if 0x80 in e[2] else e)
                                elif t == "error":
                                    self._event(e)
                            if held or (len(m) < self.recv_size and s.__class__ is socket.socket):
                                break
                        if rb is not None:
                            _bufs.append(rb)
                    if held:                    # deliver as outbox has room
                        n = min(len(held), self.hasSpace("outbox"))
                        q = 0
                        while q < n:
                            self.send(held[q], "outbox")
                            q += 1
                        held = held[n:] if n < len(held) else []
                        if n and self.finishing is not None:
                            r = True            # (look again: the flush may be complete now)
                    if reason is not False:     # (after delivering what came before it)
                        break
                    if c.state == ERROR:
                        reason = c.error
                        break
                    if r:
                        continue                # look at everything again; the next read says EAGAIN
                    # wait
                    if held:
                        self.waitSpace("outbox")
                    elif r is False:
                        self.waitReadable(s)
                    if wbuf:
                        self.waitWritable(s)
                    t = c.deadline()
                    self.pause(None if t is None else max(0.0, t - now()))
                    yield 1
                # ---------------------------------------------------------- it ended
                try:
                    self.sock.close()           # (None, if it was never made: ignored)
                except Exception:
                    pass
                self.sock = None
                c.connection_lost()
                if reason is not None:
                    self._event(("disconnected", reason))
                if self.finishing is not None and (reason is None or now() >= self.finishing[1] or not (self.waiting() or c.inflight)):
                    break
                # a connection that stayed up for backoff_max starts the back-off afresh; one
                # broken sooner (even after its CONNACK: garbage, a kick, a client id taken over
                # by another client) counts as a failed try, so the back-off grows
                if end is not None and now() - end >= self.backoff_max:
                    tries = 0
                if not self.reconnect or (self.max_retries is not None and tries >= self.max_retries):
                    break
                end = now() + min(self.backoff_max, self.backoff_min * (2 ** min(tries, 16)))
                tries += 1
                while now() < end:
                    self._control()
                    if self.finishing is not None and now() >= self.finishing[1]:
                        break
                    self.pause(end - now())
                    yield 1
                if self.finishing is not None and now() >= self.finishing[1]:
                    break
        finally:
            try:
                self.sock.close()
            except Exception:
                pass
            self.sock = None
        n = len(c.inflight) + self.waiting() + len(held)     # (held: read, never handed on)
        if n:
            self._event(("lost", n, reason or "finished"))
        self.send(producerFinished(self) if self.finishing is None else self.finishing[0], "signal")


class MQTTPublisher(MQTTClient):
    """``MQTTPublisher(host="127.0.0.1", port=1883, topic, qos=0, retain=False, ...)``: publishes
    each inbox message (bytes or str) to ``topic`` (required: ValueError without it); the other
    MQTTClient options apply. (MQTTClient.__init__ does its part.)"""


class MQTTSubscriber(MQTTClient):
    """``MQTTSubscriber(host="127.0.0.1", port=1883, topic, qos=0, ...)``: subscribes to ``topic``
    (required; wildcards allowed) and sends each received payload, as bytes, on ``outbox``; the
    other MQTTClient options apply. (MQTTClient.__init__ does its part: the topic is subscribed
    to, not kept as an attribute.)"""

    payloads_only = True


# (at the end: these names are interned by then, so the strings are not objects of their own)
__all__ = ["MQTTClient", "MQTTPublisher", "MQTTSubscriber"]

if hasattr(socket.socket, "recv_into"):      # CPython (a device's sockets have none): TLS
    __import__("kamaelia_lite.net.mqtt_tls")   # (a name in a string: a device does not intern it)
    _bufs = None                                # (CPython reads with recv)
else:               # a device: buffers and limits its heap can hold (an option given its default
    MQTTClient.recv_size = 256                 # value is not stored on the instance either)
    MQTTClient.max_packet = MQTTClient.max_send_buffer = 4096
    MQTTClient.max_inflight = 8
