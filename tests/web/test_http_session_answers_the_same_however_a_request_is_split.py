"""HttpSession (sans-IO) fed a hostile browser's bytes in any pieces: the same answers as for
the bytes whole, the header limit exact in bytes as sent, a partial request behind a complete
one timed like any other, and an upgrade header it cannot use refused with 400, never raised."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.http import HttpSession, Limits, Response, Routes

KEY = b"dGhlIHNhbXBsZSBub25jZQ=="


def routes():
    r = Routes(fallback=lambda request: Response(200, b"page") if request.path == "/" else None)
    r.websocket("/live", "hub")
    return r


def run(chunks, limits=None, later=None):
    """(statuses answered, the last action's kind, bytes after an upgrade)."""
    s = HttpSession(routes(), limits or Limits())
    sent, end, after = b"", None, b""
    for c in chunks:
        if end == "upgrade":
            after += c
            continue
        if end is not None:
            break
        acts = s.receive(c, 0.0)
        while s.more:
            acts += s.resume(0.0)
        for act in acts:
            if act[0] == "send":
                sent += act[1]
            else:
                end = act[0]
                if end == "upgrade":
                    after = act[3]
    if end is None and later is not None:
        for act in s.expired(later):
            sent += act[1] if act[0] == "send" else b""
            end = act[0] if act[0] != "send" else end
    return [int(x) for x in re.findall(rb"HTTP/1\.1 (\d{3}) ", sent)], end, after


def upgrade(key=KEY, extra=b""):
    return (b"GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + b"\r\n\r\n" + extra)


def test_a_websocket_key_that_is_not_ascii_is_refused_with_400():
    for key in (b"\xe9" * 24, b"\xff" * 22 + b"==", "é".encode("latin-1") * 24):
        assert run([upgrade(key)]) == ([400], "close", b"")


def test_the_header_limit_counts_the_bytes_as_sent_whole_or_in_pieces():
    limits = Limits(max_header_bytes=200)
    base = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad:"
    for pad in range(140, 190):
        raw = base + b" " * pad + b"v\r\n\r\n"      # whitespace a parser drops still counts
        expect = ([200], None, b"") if len(raw) <= 200 else ([431], "close", b"")
        assert run([raw], limits) == expect, len(raw)
        assert run([raw[:i] for i in range(1, 2)] + [raw[1:]], limits) == expect
        assert run([raw[i:i + 1] for i in range(len(raw))], limits) == expect, len(raw)


def test_a_partial_request_behind_a_complete_one_is_timed_out():
    raw = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HT"
    assert run([raw], later=60.0) == ([200, 408], "close", b"")
    assert run([raw[:-3], raw[-3:]], later=60.0) == ([200, 408], "close", b"")


def test_bytes_after_an_upgrade_all_reach_the_websocket_however_they_come():
    frames = bytes(range(256)) * 64                  # 16 KiB: more than the header limit
    raw = upgrade(extra=frames)
    assert run([raw]) == ([101], "upgrade", frames)
    assert run([raw[:50], raw[50:]]) == ([101], "upgrade", frames)


pieces = st.lists(st.sampled_from([
    b"GET / HTTP/1.1\r\n", b"GET /live HTTP/1.1\r\n", b"HEAD /x HTTP/1.0\r\n", b"POST / HTTP/1.1\r\n",
    b"Host: x\r\n", b"Upgrade: websocket\r\n", b"Connection: Upgrade\r\n", b"Connection: close\r\n",
    b"Sec-WebSocket-Version: 13\r\n", b"Sec-WebSocket-Key: " + KEY + b"\r\n", b"Content-Length: 3\r\n",
    b"X-Pad:" + b" " * 40 + b"p\r\n", b"\r\n", b"abc", b"\x00", b"\xff\xfe", b"\n",
]), max_size=24)


@settings(max_examples=300, deadline=None)
@given(pieces, st.lists(st.integers(0, 2000), max_size=8), st.sampled_from([64, 120, 8192]),
       st.sampled_from([0, 3]))
def test_any_request_stream_split_anywhere_is_answered_as_whole(parts, cuts, header_limit, body_limit):
    raw = b"".join(parts)
    limits = Limits(max_header_bytes=header_limit, max_body_bytes=body_limit)
    at, chunks = 0, []
    for c in sorted(min(c, len(raw)) for c in cuts) + [len(raw)]:
        chunks.append(raw[at:c])
        at = c
    chunks = [c for c in chunks if c]
    whole = run([raw] if raw else [], limits, later=60.0)
    assert run(chunks, limits, later=60.0) == whole
    assert run([raw[i:i + 1] for i in range(len(raw))], limits, later=60.0) == whole
