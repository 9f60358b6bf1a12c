"""WebSocket connections after the HTTP upgrade, sans-IO, over wsproto (CPython only).

``WebSocketSession(limits, now)`` is one server-side connection (the 101 has been sent by
``kamaelia_lite.net.http.HttpSession``). Nothing here touches a socket or a clock:

- ``receive(data, now)`` -> (bytes to send, [text messages], close reason or None): pings are
  answered, pongs noted, a client's close is answered and ends the session.
- ``tick(now)`` -> (bytes to send, close reason or None): a keepalive ping when the connection
  has been quiet for ``limits.ping_interval``; a close (1011) when a pong is overdue by
  ``limits.pong_timeout`` — a phone that vanished or never reads.
- ``close(code, reason)`` -> bytes of a close frame.
- ``text_frame(text)`` (module function): the bytes of one unmasked text frame. A server's
  frames are the same for every client (no extension is negotiated), so a message for a
  thousand phones is encoded once.

Limits: a message (even in fragments) larger than ``limits.max_message_bytes`` (counted in
bytes as sent: UTF-8 for text) closes the connection with 1009, and what is held of a message
while it arrives is never more than that; anything wsproto finds malformed closes it with the
code wsproto gives (1002/1007). A peer can never make this raise.
"""
from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Ping, Pong, TextMessage
from wsproto.frame_protocol import CloseReason, FrameProtocol

__all__ = ["WebSocketSession", "text_frame", "close_frame"]

_ENCODER = FrameProtocol(client=False, extensions=[])


def text_frame(text):
    """The bytes of a single, final, unmasked text frame carrying ``text``."""
    return bytes(_ENCODER.send_data(text, fin=True))


def close_frame(code, reason=""):
    """The bytes of a close frame (for a connection closed before wsproto is set up)."""
    return bytes(_ENCODER.close(code, reason))


class WebSocketSession:
    """One server-side WebSocket connection with limits and keepalive (see the module doc).

    Counters: ``received`` messages, ``pings_sent``, ``pongs``. ``closed`` is the reason once
    the session is over (then every call returns nothing more).
    """

    def __init__(self, limits, now, leftover=b""):
        self.ws = Connection(ConnectionType.SERVER)
        self.limits = limits
        self.last_heard = now
        self.ping_sent_at = None
        self.closed = None
        self.received = 0
        self.pings_sent = 0
        self.pongs = 0
        self._partial = 0            # bytes of the message being received (UTF-8 for text)
        self._text = bytearray()     # that message, when text, as the UTF-8 it came in
        self._leftover = leftover

    def start(self, now):
        """Bytes arrived with the upgrade request itself (rare): feed them."""
        data, self._leftover = self._leftover, b""
        return self.receive(data, now) if data else (b"", [], None)

    def _end(self, code, reason):
        self.closed = reason
        try:
            return self.ws.send(CloseConnection(code=code, reason=reason[:120]))
        except Exception:            # already closing: nothing to add
            return b""

    def close(self, code=1001, reason="server closing"):
        """A close frame to send (the session ends)."""
        if self.closed is not None:
            return b""
        return self._end(code, reason)

    def receive(self, data, now):
        """Feed bytes from the peer (b"" = it closed). Returns (out bytes, texts, closed)."""
        if self.closed is not None:
            return b"", [], self.closed
        out = []
        texts = []
        try:
            self.ws.receive_data(data if data else None)
            self.last_heard = now
            for ev in self.ws.events():
                if isinstance(ev, (TextMessage, BytesMessage)):
                    # (wsproto gives text decoded: the limit is in bytes, so count it encoded,
                    # and hold it so: a bytearray, however many fragments brought it)
                    got = ev.data.encode("utf-8") if isinstance(ev, TextMessage) else ev.data
                    self._partial += len(got)
                    if self._partial > self.limits.max_message_bytes:
                        out.append(self._end(CloseReason.MESSAGE_TOO_BIG,
                                             "message over %d bytes" % self.limits.max_message_bytes))
                        break
                    if isinstance(ev, TextMessage):
                        self._text += got
                    if ev.message_finished:
                        if isinstance(ev, TextMessage):
                            texts.append(self._text.decode("utf-8"))
                            self.received += 1
                        self._text = bytearray()
                        self._partial = 0
                elif isinstance(ev, Ping):
                    out.append(self.ws.send(ev.response()))
                elif isinstance(ev, Pong):
                    self.pongs += 1
                    self.ping_sent_at = None
                elif isinstance(ev, CloseConnection):
                    if self.ws.state is ConnectionState.OPEN:      # wsproto found bad framing
                        out.append(self._end(ev.code, "protocol error: %s" % (ev.reason,)))
                        break
                    if self.ws.state is ConnectionState.REMOTE_CLOSING:
                        out.append(self.ws.send(ev.response()))
                    self.closed = "closed by peer (%s)" % ev.code
                    break
        except Exception as e:       # malformed frames: wsproto closes with its own code
            code = getattr(getattr(e, "event", None), "code", None) or CloseReason.PROTOCOL_ERROR
            out.append(self._end(code, "protocol error: %s" % (e,)))
        if not data and self.closed is None:
            self.closed = "peer closed the connection"
        return b"".join(out), texts, self.closed

    def tick(self, now):
        """Keepalive: (bytes to send, closed reason or None)."""
        if self.closed is not None:
            return b"", self.closed
        lim = self.limits
        if self.ping_sent_at is not None:
            if now - self.ping_sent_at >= lim.pong_timeout:
                data = self._end(CloseReason.INTERNAL_ERROR, "no pong within %gs" % lim.pong_timeout)
                return data, self.closed
            return b"", None
        if now - self.last_heard >= lim.ping_interval:
            self.ping_sent_at = now
            self.pings_sent += 1
            return self.ws.send(Ping(payload=b"ka")), None
        return b"", None

    def next_tick(self):
        """When ``tick`` next has something to do."""
        if self.closed is not None:
            return None
        if self.ping_sent_at is not None:
            return self.ping_sent_at + self.limits.pong_timeout
        return self.last_heard + self.limits.ping_interval
