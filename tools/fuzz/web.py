"""Fuzz targets for the web layer: what a hostile browser or client can send it.

    python3 -m tools.fuzz.web --list
    python3 -m tools.fuzz.web TARGET -max_total_time=180 -timeout=2 -rss_limit_mb=1024

Targets (each feeds one kind of input the way a peer would, in arbitrary pieces, and checks
what the modules promise besides not raising):

* ``http``: any bytes as requests to ``HttpSession`` (a route, a static file, a WebSocket
  path), split anywhere: never raises; the responses, the close or the upgrade (and the bytes
  that follow it) are the same as for the input whole; h11's buffer stays within the header
  limit; nothing is answered after the session ended.
* ``http_upgrade``: well-formed upgrade requests with fuzzed header values (key, version,
  connection, upgrade, target): a 101 with the right accept token, or a 4xx and a close.
* ``websocket``: client frames built from the input (any opcode, fin, mask, length, payload,
  UTF-8 or not, fragments, garbage) fed to ``WebSocketSession`` in pieces: never raises; the
  texts and the bytes answered are the same as whole; no message beyond
  ``max_message_bytes`` (in UTF-8 bytes) is delivered, and what is held for a message being
  received stays within it.
* ``phones``: query strings and WebSocket messages from phones to the audience bridge's
  language counts (``AudienceServer.ws_open`` / ``ws_message`` logic over ``LanguageCounts``):
  never raises; counts add up; every counted code is a tag or "other"/"none", and the console
  line has no control characters.
* ``phone_view``: any JSON as an audience state to ``PhoneView.update``: never raises; the
  message is JSON whose texts are keyed by valid tags.
"""
from __future__ import annotations

import json
import re
import sys
from typing import Any, Callable, List, Optional, Tuple

from tools.fuzz import runner
from tools.fuzz.compare import server_frames

_MODULES = (
    "kamaelia_lite.net.http",
    "kamaelia_lite.net.websocket",
    "kamaelia_lite.surtitles.web",
    "kamaelia_lite.surtitles.web_components",
)

if __name__ == "__main__":
    runner.instrumented(*_MODULES)

import atheris  # noqa: E402

from kamaelia_lite.net.http import HttpSession, Limits, Response, Routes  # noqa: E402
from kamaelia_lite.net.websocket import WebSocketSession  # noqa: E402
from kamaelia_lite.surtitles.web import (  # noqa: E402
    LanguageCounts,
    PhoneView,
    format_counts,
    valid_language,
)
from kamaelia_lite.surtitles.web_components import AudienceServer  # noqa: E402

_STATUS = re.compile(rb"HTTP/1\.1 (\d{3}) ")


class _Pages:
    """A fallback like StaticFiles without a folder: two known paths."""

    files = {"/": b"<p>index</p>", "/app.js": b"let x = 1;\n"}

    def __call__(self, request: Any) -> Optional[Response]:
        body = self.files.get(request.path)
        if body is None:
            return None
        return Response(200, body, "text/html", etag='"e1"')


def _routes() -> Routes:
    routes = Routes(fallback=_Pages())
    routes.add("/hello", lambda request: Response(200, b"hi " + repr(sorted(request.query)).encode()))
    routes.add("/boom", lambda request: 1 // 0)
    routes.websocket("/live", "hub")
    return routes


def _split(fdp: Any, data: bytes) -> List[bytes]:
    """``data`` cut at points the provider chooses (possibly none)."""
    cuts = sorted(fdp.ConsumeIntInRange(0, len(data)) for _ in range(fdp.ConsumeIntInRange(0, 12)))
    out = []
    at = 0
    for c in cuts + [len(data)]:
        out.append(data[at:c])
        at = c
    return [c for c in out if c]


def _drive_http(limits: Limits, chunks: List[bytes], eof: bool) -> Tuple[Any, ...]:
    """Feed ``chunks`` to a fresh session; a trace that does not depend on the cutting."""
    s = HttpSession(_routes(), limits)
    sent = b""
    end = None
    after = b""                      # what the peer sent after an upgrade
    feed = list(chunks) + ([b""] if eof else [])
    for chunk in feed:
        if end is not None:
            if end[0] == "upgrade":
                after += chunk
            continue
        acts = s.receive(chunk, 0.0)
        while s.more:
            more = s.resume(0.0)
            assert more or s.more is False, "more, but nothing answered"
            acts += more
        for act in acts:
            assert end is None, "action after the session ended: %r" % (acts,)
            if act[0] == "send":
                assert isinstance(act[1], bytes) and act[1].startswith(b"HTTP/1.1 "), act
                sent += act[1]
            elif act[0] == "close":
                assert isinstance(act[1], str)
                end = ("close",)
            else:
                assert act[0] == "upgrade" and act[2] == "hub", act
                assert act[1].path == "/live"
                end = ("upgrade",)
                after = act[3]
        if end is None and not s.done:
            buffered = len(s.h.trailing_data[0])
            assert buffered <= limits.max_header_bytes, (buffered, limits.max_header_bytes)
    if end is None and not s.done:
        acts = s.expired(limits.request_timeout + 1.0)
        if acts:
            sent += b"".join(a[1] for a in acts if a[0] == "send")
            end = ("expired",)
    assert s.receive(b"more", 0.0) == [] or end is None
    # error bodies carry h11's wording, which may name the piece it stopped at: compare the
    # statuses of the answers, and the whole bytes of the successful ones
    statuses = tuple(_STATUS.findall(sent))
    good = sent if not any(int(x) >= 400 for x in statuses) else None
    return statuses, good, end, after


def fuzz_http(data: bytes) -> None:
    """Requests split anywhere give the same answers as whole."""
    fdp = atheris.FuzzedDataProvider(data)
    limits = Limits(max_header_bytes=fdp.PickValueInList([64, 200, 1024, 8192]),
                    max_body_bytes=fdp.PickValueInList([0, 0, 16]))
    eof = fdp.ConsumeBool()
    prefix = fdp.PickValueInList([b"", b"GET / HTTP/1.1\r\nHost: x\r\n",
                                  b"GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                  b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"])
    n = fdp.ConsumeIntInRange(0, 64)
    cut_bytes = fdp.ConsumeBytes(n)
    raw = prefix + fdp.ConsumeBytes(fdp.remaining_bytes())
    whole = _drive_http(limits, [raw] if raw else [], eof)
    parts = _split(atheris.FuzzedDataProvider(cut_bytes), raw)
    pieces = _drive_http(limits, parts, eof)
    assert whole == pieces, (whole, pieces, parts)
    drip = _drive_http(limits, [raw[i:i + 1] for i in range(len(raw))], eof)
    assert whole == drip, (whole, drip)


def fuzz_http_upgrade(data: bytes) -> None:
    """Upgrade requests with fuzzed values: a 101 with the right token, or a 4xx and a close."""
    fdp = atheris.FuzzedDataProvider(data)

    def value() -> bytes:
        return fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40))

    target = fdp.PickValueInList([b"/live", b"/live?lang=", b"/", b"/%6Cive"]) + value()
    head = [b"GET " + target + b" HTTP/1.1", b"Host: x"]
    for name, good in ((b"Upgrade", b"websocket"), (b"Connection", b"Upgrade"),
                       (b"Sec-WebSocket-Version", b"13"),
                       (b"Sec-WebSocket-Key", b"dGhlIHNhbXBsZSBub25jZQ==")):
        v = good if fdp.ConsumeBool() else value()
        if fdp.ConsumeIntInRange(0, 7):
            head.append(name + b": " + v)
    raw = b"\r\n".join(head) + b"\r\n\r\n" + value()
    s = HttpSession(_routes(), Limits())
    acts = s.receive(raw, 0.0)
    kinds = [a[0] for a in acts]
    assert kinds and kinds[-1] in ("close", "upgrade") or not s.done, acts
    if kinds and kinds[-1] == "upgrade":
        assert acts[0][1].startswith(b"HTTP/1.1 101 "), acts
        assert b"Sec-WebSocket-Accept: " in acts[0][1]


def _frame(opcode: int, payload: bytes, fin: bool, masked: bool, declared: Optional[int],
           rsv: int) -> bytes:
    n = len(payload) if declared is None else declared
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    m = 0x80 if masked else 0
    if n < 126:
        head += bytes([m | n])
    elif n < 65536:
        head += bytes([m | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([m | 127]) + n.to_bytes(8, "big")
    if masked:
        key = b"\x12\x34\x56\x78"
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


def _ws_stream(fdp: Any) -> bytes:
    out = b""
    for _ in range(fdp.ConsumeIntInRange(0, 24)):
        kind = fdp.ConsumeIntInRange(0, 9)
        if kind == 0:
            out += fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 16))     # garbage
            continue
        opcode = fdp.PickValueInList([0, 0, 1, 1, 2, 8, 9, 10, 3, 11])
        if kind < 4:
            payload = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300)).encode("utf-8")
        elif kind < 6:
            payload = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300))
        elif kind == 6:
            payload = b"\x03\xe8" + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 20))
        else:
            payload = b""
        declared = None
        if fdp.ConsumeIntInRange(0, 15) == 0:
            declared = fdp.PickValueInList([126, 127, 65535, 65536, 1 << 40, (1 << 63) + 5])
        out += _frame(opcode, payload, fdp.ConsumeIntInRange(0, 3) > 0,
                      fdp.ConsumeIntInRange(0, 15) > 0, declared,
                      0 if fdp.ConsumeIntInRange(0, 15) else fdp.ConsumeIntInRange(1, 7))
    return out


def _drive_ws(limits: Limits, chunks: List[bytes], eof: bool) -> Tuple[Any, ...]:
    w = WebSocketSession(limits, 0.0)
    out = b""
    texts: List[str] = []
    closed = None
    for chunk in chunks + ([b""] if eof else []):
        o, t, c = w.receive(chunk, 0.0)
        out += o
        texts.extend(t)
        assert len(w._text) <= limits.max_message_bytes, len(w._text)
        if c is not None:
            closed = c
            assert w.receive(b"\x81\x80abcd", 0.0) == (b"", [], c)
            break
    for t in texts:
        assert len(t.encode("utf-8")) <= limits.max_message_bytes, len(t.encode("utf-8"))
    return server_frames(out), texts, closed is not None


def fuzz_websocket(data: bytes) -> None:
    """Client frames in pieces: the same texts and answers as whole, within the limits."""
    fdp = atheris.FuzzedDataProvider(data)
    limits = Limits(max_message_bytes=fdp.PickValueInList([16, 256, 4096]))
    eof = fdp.ConsumeBool()
    cut_bytes = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64))
    raw = _ws_stream(fdp)
    whole = _drive_ws(limits, [raw] if raw else [], eof)
    pieces = _drive_ws(limits, _split(atheris.FuzzedDataProvider(cut_bytes), raw), eof)
    assert whole == pieces, (whole, pieces)
    if len(raw) < 2000:
        drip = _drive_ws(limits, [raw[i:i + 1] for i in range(len(raw))], eof)
        assert whole == drip, (whole, drip)


class _Bridge:
    """What ``AudienceServer.ws_message`` uses of its component: the counts and a flag."""

    def __init__(self, offered: List[str]) -> None:
        self.view = PhoneView(offered)
        self.count = LanguageCounts(known=lambda: self.view.languages)
        self.ignored = 0
        self.changes = 0

    def _changed(self) -> None:
        self.changes += 1


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fuzz_phones(data: bytes) -> None:
    """Phones join with ``?lang=`` and send messages: the counts stay true and printable."""
    fdp = atheris.FuzzedDataProvider(data)
    bridge = _Bridge(fdp.PickValueInList([[], ["en", "ja"], ["en", "pt-BR", "zh-Hant-TW"]]))
    message: Callable[[Any, Any, str], None] = AudienceServer.ws_message
    present = set()
    from kamaelia_lite.net.http import Request
    for _ in range(fdp.ConsumeIntInRange(0, 30)):
        who = fdp.ConsumeIntInRange(0, 5)
        op = fdp.ConsumeIntInRange(0, 3)
        if op == 0:
            target = "/live?" + fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 60))
            try:
                req = Request("GET", target, {})
            except (ValueError, UnicodeError):
                continue                   # HttpSession answers these with 400 before any hub
            bridge.count.join(who, req.query.get("lang", [None])[0])
            present.add(who)
        elif op == 1:
            message(bridge, who, fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 200)))
        elif op == 2:
            depth = fdp.ConsumeIntInRange(0, 5000)
            message(bridge, who, '{"lang": ' + "[" * depth + "]" * depth + "}")
        else:
            bridge.count.leave(who)
            present.discard(who)
        c = bridge.count.counts()
        assert c["total"] == len(present) == sum(c["languages"].values()), c
        for code in c["languages"]:
            assert code in ("other", "none") or valid_language(code), code
        line = format_counts(c)
        assert not _CONTROL.search(line), line


def fuzz_phone_view(data: bytes) -> None:
    """Any JSON as an audience state: a JSON message keyed by valid tags, or None."""
    try:
        state = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return
    view = PhoneView(["en"])
    for st in (state, state, {"texts": {"en": "x"}}, state):
        msg = view.update(st)
        if msg is not None:
            body = json.loads(msg)
            assert all(valid_language(k) for k in body["texts"]), body
            assert len(body["langs"]) <= PhoneView.max_languages + 1


TARGETS: runner.Targets = {
    "http": (fuzz_http, ()),
    "http_upgrade": (fuzz_http_upgrade, ()),
    "websocket": (fuzz_websocket, ()),
    "phones": (fuzz_phones, ()),
    "phone_view": (fuzz_phone_view, ()),
}

if __name__ == "__main__":
    sys.exit(runner.main(TARGETS))
