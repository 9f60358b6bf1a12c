"""Malformed requests, oversized headers, slow requests, bodies, other methods, too many
connections and idle peers: each gets a clear answer and a close, and the server goes on
serving everybody else at once."""
import time

import pytest
from web_helpers import Served, connect, http_get, parse_response, read_until_closed

from kamaelia_lite.net.http import Limits, Routes, StaticFiles
from kamaelia_lite.net.http_components import WebServer
from kamaelia_lite.net.tcp import connectionRejected


@pytest.fixture
def page(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<p>ok</p>")
    return str(tmp_path)


def serve(page, **opts):
    limits = Limits(max_header_bytes=opts.pop("max_header_bytes", 4096),
                    request_timeout=opts.pop("request_timeout", 1.0))
    return WebServer(Routes(fallback=StaticFiles(page)), limits=limits, **opts)


def exchange(port, raw, timeout=5.0):
    s = connect(port)
    try:
        s.sendall(raw)
        return read_until_closed(s, timeout)
    finally:
        s.close()


@pytest.mark.parametrize("raw", [
    b"HELLO\r\n\r\n",
    b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",                                         # no Host
    b"GET\x00/ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,    # a TLS hello
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
])
def test_malformed_requests_get_400_and_a_close(page, raw):
    server = serve(page)
    with Served(server):
        got = exchange(server.port, raw)
        status, hdrs, body = parse_response(got)
        assert status == 400, got[:200]
        assert hdrs.get("connection") == "close"
        assert body.startswith(b"400 bad request")
        assert http_get(server.port, "/")[0] == 200          # the server goes on


def test_other_http_versions_get_505(page):
    server = serve(page)
    with Served(server):
        got = exchange(server.port, b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")
        assert parse_response(got)[0] == 505


def test_oversized_headers_get_431(page):
    server = serve(page, max_header_bytes=2048)
    with Served(server):
        raw = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 5000 + b"\r\n\r\n"
        status, _, body = parse_response(exchange(server.port, raw))
        assert status == 431 and b"too long" in body.lower()
        # many small headers add up the same way
        raw = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"v" * 40) for i in range(100)) + b"\r\n"
        assert parse_response(exchange(server.port, raw))[0] == 431
        # a header that never ends: refused once the limit is passed, without waiting for more
        s = connect(server.port)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: " + b"b" * 6000)
        got = read_until_closed(s, 3.0)
        s.close()
        assert parse_response(got)[0] == 431
        assert http_get(server.port, "/")[0] == 200


def test_a_request_that_takes_too_long_gets_408_while_others_are_served(page):
    server = serve(page, request_timeout=0.5)
    with Served(server):
        slow = connect(server.port)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")       # ...and never the end
        t0 = time.monotonic()
        assert http_get(server.port, "/")[0] == 200          # not held up
        got = read_until_closed(slow, 5.0)
        elapsed = time.monotonic() - t0
        slow.close()
        assert parse_response(got)[0] == 408
        assert 0.3 < elapsed < 3.0


def test_bodies_and_other_methods_are_refused(page):
    server = serve(page)
    with Served(server):
        status, hdrs, _ = parse_response(exchange(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nnext\n"))
        assert status == 413
        status, hdrs, _ = parse_response(exchange(server.port, b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"))
        assert status == 405 and hdrs["allow"] == "GET, HEAD"
        status, _, _ = parse_response(exchange(server.port, b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
        assert status == 413


def test_connections_beyond_the_limit_are_refused_and_reported(page):
    server = serve(page, max_connections=5)
    from web_helpers import Collector
    events = Collector()
    server.link((server, "events"), (events, "inbox"))
    with Served(server, events) as s:
        held = [connect(server.port) for _ in range(5)]
        time.sleep(0.3)
        extra = connect(server.port)
        assert read_until_closed(extra, 3.0) == b""          # accepted and closed at once
        extra.close()
        assert s.call(lambda: server.rejected) >= 1
        assert any(isinstance(e, connectionRejected) for e in s.call(lambda: list(events.got)))
        for h in held:
            h.close()
        time.sleep(0.3)
        assert http_get(server.port, "/")[0] == 200


def test_idle_connections_are_closed(page):
    server = serve(page, idle_timeout=0.5)
    with Served(server):
        s = connect(server.port)
        t0 = time.monotonic()
        try:
            got = read_until_closed(s, 5.0)
        except OSError:
            got = b""
        s.close()
        assert got == b""
        assert 0.4 < time.monotonic() - t0 < 3.0
