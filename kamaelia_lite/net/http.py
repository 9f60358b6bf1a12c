"""HTTP/1.1 for small LAN servers, sans-IO, over h11 (CPython only).

Nothing here touches a socket or a clock: ``HttpSession.receive(data, now)`` takes the bytes a
peer sent and returns what to do — bytes to send, a WebSocket upgrade to hand over, a close —
and ``HttpSession.expired(now)`` says whether a request is taking too long to arrive. The
component that owns the socket is ``kamaelia_lite.net.http_components.WebServer``.

- ``Routes``: a small route table, exact paths to handlers ``handler(request) -> Response``.
- ``StaticFiles``: the files of one folder, read once at start: content types, ETag and
  ``If-None-Match`` (304), and no path traversal (only the files found in the folder at start
  can ever be served: a path is a key into that table, never joined onto a directory).
- ``Limits``: header bytes, request time, body bytes; exceeding one gets a clear status
  (431, 408, 413) and the connection closes.
- ``HttpSession``: one connection; keep-alive; GET and HEAD only (the pages are read-only);
  an upgrade request on a WebSocket path is validated and answered with 101 (the accept token
  from wsproto), after which the bytes belong to ``kamaelia_lite.net.websocket``.

The phones are the devices: this module runs on CPython (h11 is not for MicroPython).
"""
import hashlib
import os
from http import HTTPStatus
from urllib.parse import parse_qs, unquote, urlsplit

import h11
from wsproto.utilities import generate_accept_token

__all__ = ["Limits", "Request", "Response", "Routes", "StaticFiles", "HttpSession", "CONTENT_TYPES"]

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}

SERVER_NAME = b"kamaelia_lite"


class Limits:
    """Per-connection limits of an ``HttpSession`` (and of the WebSocket after an upgrade).

    ``max_header_bytes``: request line + headers, in the bytes they were sent as, line ends
    included (431 beyond, whether they came whole or in pieces). ``request_timeout``: seconds from
    the first byte of a request to its end (408 beyond; stops slow-drip clients).
    ``max_body_bytes``: a request body larger than this gets 413 (these servers take none).
    ``max_message_bytes``: largest WebSocket message a client may send, in bytes as sent (UTF-8
    for text; close 1009 beyond).
    ``ping_interval`` / ``pong_timeout``: seconds between keepalive pings on a quiet WebSocket,
    and how long a pong may take before the connection is closed (1011... see websocket.py).
    ``send_timeout``: seconds a connection may refuse our data (its buffers full: a client that
    does not read) before it is closed.
    """

    def __init__(self, max_header_bytes=8192, request_timeout=10.0, max_body_bytes=0,
                 max_message_bytes=4096, ping_interval=20.0, pong_timeout=20.0, send_timeout=30.0):
        self.max_header_bytes = max_header_bytes
        self.request_timeout = request_timeout
        self.max_body_bytes = max_body_bytes
        self.max_message_bytes = max_message_bytes
        self.ping_interval = ping_interval
        self.pong_timeout = pong_timeout
        self.send_timeout = send_timeout


class Request:
    """One parsed request: ``method`` and ``target`` (str), ``path`` (percent-decoded), ``query``
    ({name: [values]}), ``headers`` ({lower-case name: value}, the last of repeats)."""

    def __init__(self, method, target, headers):
        self.method = method
        self.target = target
        parts = urlsplit(target)
        self.path = unquote(parts.path or "/", errors="strict")
        self.query = parse_qs(parts.query, keep_blank_values=True, max_num_fields=20)
        self.headers = headers

    def header(self, name, default=""):
        """The value of header ``name`` (lower case), or ``default``."""
        return self.headers.get(name, default)

    def __repr__(self):
        return "Request(%s %s)" % (self.method, self.target)


class Response:
    """What a handler returns: ``status`` (int), ``body`` (bytes), ``content_type``, extra
    ``headers`` [(name, value)], and ``etag`` (a quoted string, or None)."""

    def __init__(self, status=200, body=b"", content_type="text/plain; charset=utf-8", headers=(),
                 etag=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else str(body).encode("utf-8")
        self.content_type = content_type
        self.headers = list(headers)
        self.etag = etag


def _buffered(h):
    """Bytes h11 holds that it has not made into events yet (its own count where it has one:
    the public ``trailing_data`` copies them)."""
    buf = getattr(h, "_receive_buffer", None)
    return len(buf) if buf is not None else len(h.trailing_data[0])


def _etag(data):
    return '"%s"' % hashlib.sha1(data).hexdigest()[:20]


class StaticFiles:
    """The files under ``folder`` (read once, kept in memory: a page and its script), served by
    URL path. ``"/"`` maps to ``index`` (default index.html). ``max_total`` bytes bounds what is
    read (ValueError beyond: this is for a page, not a file share). Hidden files are left out."""

    def __init__(self, folder, index="index.html", max_total=4 * 1024 * 1024, cache_seconds=0):
        self.folder = folder
        self.index = index
        self.cache_seconds = cache_seconds
        self.files = {}          # URL path -> (bytes, content type, etag)
        total = 0
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for n in sorted(names):
                if n.startswith("."):
                    continue
                full = os.path.join(root, n)
                rel = os.path.relpath(full, folder).replace(os.sep, "/")
                with open(full, "rb") as f:
                    data = f.read()
                total += len(data)
                if total > max_total:
                    raise ValueError("static folder %s holds more than %d bytes" % (folder, max_total))
                ext = os.path.splitext(n)[1].lower()
                ctype = CONTENT_TYPES.get(ext, "application/octet-stream")
                self.files["/" + rel] = (data, ctype, _etag(data))

    def total_bytes(self):
        """Bytes of every file served."""
        return sum(len(v[0]) for v in self.files.values())

    def lookup(self, path):
        """(bytes, content type, etag) for URL ``path``, or None. Only known files match."""
        if path == "/" or path.endswith("/"):
            path = path + self.index
        return self.files.get(path)

    def __call__(self, request):
        found = self.lookup(request.path)
        if found is None:
            return None
        data, ctype, tag = found
        headers = [("Cache-Control", "no-cache" if not self.cache_seconds
                    else "max-age=%d" % self.cache_seconds)]
        if tag in [t.strip() for t in request.header("if-none-match").split(",")] \
                or request.header("if-none-match").strip() == "*":
            return Response(304, b"", ctype, headers, tag)
        return Response(200, data, ctype, headers, tag)


class Routes:
    """A route table: exact paths to handlers, then an optional fallback (e.g. StaticFiles).

    ``add(path, handler)``: ``handler(request)`` returns a Response (or None: 404).
    ``websocket(path, tag)``: upgrade requests on ``path`` become WebSockets; ``tag`` is handed
    to the owner with the upgrade (which hub the socket belongs to).
    """

    def __init__(self, fallback=None):
        self.handlers = {}
        self.sockets = {}
        self.fallback = fallback

    def add(self, path, handler):
        """Serve ``path`` with ``handler``."""
        self.handlers[path] = handler
        return self

    def websocket(self, path, tag=None):
        """Accept WebSocket upgrades on ``path``."""
        self.sockets[path] = tag
        return self

    def handle(self, request):
        """The Response for a plain (non-upgrade) request."""
        h = self.handlers.get(request.path)
        if h is not None:
            resp = h(request)
        elif self.fallback is not None:
            resp = self.fallback(request)
        else:
            resp = None
        if resp is None:
            if request.path in self.sockets:
                return Response(426, b"this path takes WebSocket connections only\n",
                                headers=[("Upgrade", "websocket")])
            return Response(404, b"not found\n")
        return resp


SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'"),
]


class HttpSession:
    """One HTTP/1.1 connection, sans-IO.

    ``receive(data, now)`` -> list of actions, each a tuple:
      ``("send", bytes)``; ``("close", reason)`` (flush what was sent, then close: the session
      is over); ``("upgrade", request, tag, leftover_bytes)`` (a 101 was just queued: from now
      on the connection speaks WebSocket; ``tag`` from ``Routes.websocket``).
    ``receive(b"", now)`` means the peer closed its side. ``expired(now)`` -> actions for a
    request that did not arrive within ``limits.request_timeout`` (408 then close), else [].
    Counters: ``requests``, ``errors`` (bad requests answered with 4xx).

    Pipelined requests are answered a batch at a time: once a call has queued
    ``answer_bytes`` of answers it stops, keeps the rest of the bytes it was given, and says
    so in ``more``; ``resume(now)`` answers the next batch (same actions). A caller gives no
    new bytes while ``more`` (the client's next bytes wait in its socket, not here), so what
    a session holds is bounded by what one ``receive`` brought.
    """

    answer_bytes = 64 * 1024     # answers queued by one receive / resume call (one more may pass it)

    def __init__(self, routes, limits=None):
        self.routes = routes
        self.limits = limits or Limits()
        # (h11 refuses an incomplete head longer than this; ``receive`` never fills its buffer
        # beyond the limit, so a head of exactly the limit is taken and one byte more is not)
        self.h = h11.Connection(h11.SERVER,
                                max_incomplete_event_size=max(0, self.limits.max_header_bytes - 1))
        self.started = None          # when the first byte of the current request came
        self.requests = 0
        self.errors = 0
        self.done = False
        self.pending = None          # the request whose end we wait for
        self._held = b""             # bytes received, not yet given to h11 (a batch was full)
        self._full = False           # the last call stopped with complete requests unanswered
        self._eof = False            # the peer closed while bytes were held
        self._answered = 0           # bytes of answers queued by this call

    def expired(self, now):
        """Actions if the request being received is overdue (408 and close), else []."""
        if self.done or self.started is None or now - self.started < self.limits.request_timeout:
            return []
        return self._fail(408, "request not complete within %gs" % self.limits.request_timeout)

    @property
    def more(self):
        """True when bytes already received wait to be answered (call ``resume``)."""
        return not self.done and (self._full or bool(self._held) or self._eof)

    def receive(self, data, now):
        """Feed bytes from the peer (b"" = the peer closed); returns the actions."""
        if self.done:
            return []
        if data and self.started is None and self.h.their_state is h11.IDLE:
            self.started = now
        if not data:
            self._eof = True
        else:
            self._held = self._held + data if self._held else data
        return self.resume(now)

    def resume(self, now):
        """Answer the next batch of what was received (see the class doc): the actions."""
        out = []
        if self.done:
            return out
        self._answered = 0
        if self._full:
            self._feed(b"", now, out)
        data, self._held = self._held, b""
        # h11 is given no more than fills its buffer to the header limit, then asked for what
        # it found: so a request head is measured in the bytes it was sent as, and is taken
        # or refused (431) the same whether it came whole or a byte at a time
        at = 0
        while at < len(data) and not self.done and not self._full:
            room = max(1, self.limits.max_header_bytes - _buffered(self.h))
            piece = data[at:at + room]
            at += len(piece)
            self._feed(piece, now, out)
        if self.h is None:                          # upgraded: the rest is the WebSocket's
            if at < len(data):
                kind, req, tag, leftover = out[-1]
                out[-1] = (kind, req, tag, leftover + data[at:])
        elif not self.done:
            self._held = data[at:]
            if self._eof and not self._held and not self._full:
                self._eof = False
                try:
                    self.h.receive_data(b"")
                except RuntimeError:
                    pass
                self._feed(None, now, out)
            if self.started is None and (self._held or _buffered(self.h)) \
                    and self.h.their_state is h11.IDLE:
                self.started = now               # a next request has begun: it is timed too
        return out

    def _feed(self, data, now, out):
        """Give h11 ``data`` (None: nothing new) and act on every event it completes, until a
        batch of answers is full (actions added to ``out``)."""
        if data:
            try:
                self.h.receive_data(data)
            except RuntimeError:    # data after the peer's close: nothing more to do
                out.extend(self._close("peer sent data after closing"))
                return
        self._full = False
        while not self.done:
            if self._answered >= self.answer_bytes:
                self._full = True
                break
            try:
                ev = self.h.next_event()
            except h11.RemoteProtocolError as e:
                hint = getattr(e, "error_status_hint", 400) or 400
                if hint == 431:
                    out.extend(self._fail(431, "request header fields too long (over %d bytes)"
                                          % self.limits.max_header_bytes))
                else:
                    out.extend(self._fail(hint, "bad request: %s" % (e,)))
                break
            if ev is h11.NEED_DATA:
                break
            if ev is h11.PAUSED:
                # only after a request we could not answer yet: should not happen, be safe
                out.extend(self._close("connection paused"))
                break
            if isinstance(ev, h11.ConnectionClosed):
                out.extend(self._close("peer closed"))
                break
            if isinstance(ev, h11.Request):
                acts = self._request(ev)
            elif isinstance(ev, h11.EndOfMessage) and self.pending is not None:
                req, self.pending = self.pending, None
                acts = self._respond(req, now)
            else:
                continue
            for act in acts:
                if act[0] == "send":
                    self._answered += len(act[1])
            out.extend(acts)

    # -- internals ----------------------------------------------------------------------
    def _close(self, reason):
        self.done = True
        return [("close", reason)]

    def _fail(self, status, reason):
        """Answer ``status`` with a short explanation and close."""
        self.errors += 1
        out = []
        if self.h.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            body = ("%d %s\n" % (status, reason)).encode("utf-8", "replace")
            try:
                out.append(("send", self._encode(Response(status, body), head_only=False,
                                                 close=True)))
            except h11.LocalProtocolError:
                pass
        out.extend(self._close(reason))
        return out

    def _encode(self, resp, head_only, close=False):
        headers = [("Server", SERVER_NAME), ("Content-Type", resp.content_type)]
        if resp.status != 304:
            headers.append(("Content-Length", str(len(resp.body))))
        if resp.etag:
            headers.append(("ETag", resp.etag))
        headers.extend(SECURITY_HEADERS)
        headers.extend(resp.headers)
        if close:
            headers.append(("Connection", "close"))
        try:
            reason = HTTPStatus(resp.status).phrase.encode("ascii")
        except ValueError:
            reason = b""
        data = self.h.send(h11.Response(status_code=resp.status, headers=headers, reason=reason))
        if resp.body and not head_only and resp.status != 304:
            data += self.h.send(h11.Data(data=resp.body))
        data += self.h.send(h11.EndOfMessage())
        return data

    def _request(self, ev):
        """Check a request's head; the answer goes out when its (empty) body has ended."""
        self.requests += 1
        if ev.http_version not in (b"1.0", b"1.1"):
            return self._fail(505, "HTTP/1.1 only")
        method = ev.method.decode("ascii", "replace")
        headers = {}
        for name, value in ev.headers:
            headers[name.decode("ascii", "replace")] = value.decode("latin-1")
        try:
            req = Request(method, ev.target.decode("ascii"), headers)
        except (UnicodeDecodeError, ValueError) as e:
            return self._fail(400, "bad request target: %s" % (e,))
        if "\x00" in req.path or "\\" in req.path:
            return self._fail(400, "bad request path")
        length = headers.get("content-length")
        if (length and length != "0") or "transfer-encoding" in headers:
            if not (length and length.isdigit() and int(length) <= self.limits.max_body_bytes):
                return self._fail(413, "request bodies are not accepted here")
        if method not in ("GET", "HEAD"):
            self.errors += 1
            out = [("send", self._encode(Response(405, b"read-only: GET and HEAD only\n",
                                                  headers=[("Allow", "GET, HEAD")]),
                                         head_only=False, close=True))]
            return out + self._close("method %s refused" % method)
        self.pending = req
        return []

    def _respond(self, req, now):
        if req.path in self.routes.sockets and "upgrade" in req.header("connection").lower():
            return self._upgrade(req)
        try:
            resp = self.routes.handle(req)
        except Exception as e:       # a faulty handler answers 500; the server goes on
            resp = Response(500, ("internal error: %s\n" % type(e).__name__).encode())
        out = [("send", self._encode(resp, head_only=(req.method == "HEAD")))]
        if self.h.our_state is h11.MUST_CLOSE or self.h.their_state is h11.MUST_CLOSE:
            return out + self._close("request done (no keep-alive)")
        if self.h.their_state is h11.MIGHT_SWITCH_PROTOCOL:
            return out + self._close("upgrade refused")
        self.h.start_next_cycle()
        # a next request already begun in the same bytes is timed from now, like any other
        self.started = now if _buffered(self.h) else None
        return out

    def _upgrade(self, req):
        """Validate a WebSocket upgrade request and answer 101, or refuse it with a 4xx."""
        key = req.header("sec-websocket-key").strip()
        if req.method != "GET" or req.header("upgrade").lower() != "websocket":
            return self._fail(400, "not a WebSocket upgrade")
        if req.header("sec-websocket-version").strip() != "13":
            self.errors += 1
            data = self._encode(Response(426, b"WebSocket version 13 only\n",
                                         headers=[("Sec-WebSocket-Version", "13")]),
                                head_only=False, close=True)
            return [("send", data)] + self._close("unsupported WebSocket version")
        if len(key) != 24 or not key.isascii():
            return self._fail(400, "bad Sec-WebSocket-Key")
        headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                   ("Sec-WebSocket-Accept", generate_accept_token(key.encode("ascii")))]
        try:
            data = self.h.send(h11.InformationalResponse(status_code=101, headers=headers))
        except h11.LocalProtocolError as e:
            return self._fail(400, "cannot upgrade: %s" % (e,))
        leftover, _closed = self.h.trailing_data
        self.done = True
        tag = self.routes.sockets[req.path]
        self.h = None                # the HTTP state is no longer needed (memory per phone)
        return [("send", data), ("upgrade", req, tag, bytes(leftover))]
