"""Fuzz targets for the network wire formats (sans-IO): MQTT codec, framing, auth, SRM/FEC, TCP
state machine. See tools/fuzz/__init__.py; run one target at a time::

    python3 -m tools.fuzz.net mqtt_split -max_total_time=180 -timeout=2 -rss_limit_mb=1024

Each target turns the fuzzer's bytes into what a peer could send (a stream cut into arbitrary
pieces, a list of datagrams, a sequence of events) and checks the module's contract: nothing but
the documented errors escapes, buffers stay within their limits, a stream fed in pieces gives
what it gives whole, and what our encoders make decodes back to what was encoded.
"""
from __future__ import annotations

import struct
import sys
from typing import Any, Callable, List

from tools.fuzz import runner

MODULES = ("kamaelia_lite.net.mqtt_codec", "kamaelia_lite.net.framing", "kamaelia_lite.net.auth",
           "kamaelia_lite.net.fec", "kamaelia_lite.net.srm", "kamaelia_lite.net.tcp_state")

if __name__ == "__main__":
    runner.instrumented(*MODULES)

import atheris  # noqa: E402

from kamaelia_lite.net import auth, fec, framing, mqtt_codec, srm, tcp_state  # noqa: E402

FDP = atheris.FuzzedDataProvider


def pieces(fdp: Any, data: bytes) -> List[bytes]:
    """``data`` cut where the fuzzer says (sizes 1..64, or larger runs), in order."""
    out = []
    pos = 0
    while pos < len(data):
        n = fdp.ConsumeIntInRange(1, 64) if fdp.remaining_bytes() else len(data)
        out.append(data[pos:pos + n])
        pos += n
    return out


# ---------------------------------------------------------------------------------------- MQTT

def _connected(max_packet: int, payloads_only: bool) -> Any:
    c = mqtt_codec.MQTTConnection("fuzz", max_packet=max_packet)
    c.payloads_only = payloads_only
    c.connect(0.0)
    c.receive(b"\x20\x02\x00\x00", 0.0)
    c.take()
    return c


def _mqtt_event(e: tuple) -> tuple:
    if e[0] == "message" and isinstance(e[1], mqtt_codec.Message):
        m = e[1]
        return ("message", m.topic, m.payload, m.qos, m.retain, m.dup, m.pid)
    return e


def _mqtt_run(c: Any, chunks: List[bytes]) -> tuple:
    ev = []
    sent = b""
    for ch in chunks:
        for e in c.receive(ch, 1.0):
            assert e[0] in ("message", "published", "subscribed", "unsubscribed", "connected",
                            "error"), e
            ev.append(_mqtt_event(e))
        sent += c.take()
        assert len(c.buf) <= max(c.max_packet, 5), (len(c.buf), c.max_packet)
    return ev, sent, c.state, c.error


def mqtt_split(data: bytes) -> None:
    """Broker bytes after CONNACK, whole and in pieces: same events, same answers, bounded buffer."""
    fdp = FDP(data)
    max_packet = fdp.ConsumeIntInRange(2, 300)
    only = fdp.ConsumeBool()
    stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2048))
    whole = _mqtt_run(_connected(max_packet, only), [stream])
    split = _mqtt_run(_connected(max_packet, only), pieces(fdp, stream))
    assert whole == split, (whole, split)


def mqtt_session(data: bytes) -> None:
    """The application's calls (publish, subscribe, tick, reconnect...) interleaved with broker
    bytes that may be valid packets or garbage: nothing raises but ValueError from the API."""
    fdp = FDP(data)
    c = mqtt_codec.MQTTConnection("fuzz", clean_session=fdp.ConsumeBool(),
                                  keepalive=fdp.ConsumeIntInRange(0, 5),
                                  max_packet=fdp.ConsumeIntInRange(2, 600),
                                  max_inflight=fdp.ConsumeIntInRange(1, 4))
    now = 0.0
    topics = ["a", "a/b", "+", "a/#", "$SYS/x"]
    canned = [b"\x20\x02\x00\x00", b"\x20\x02\x01\x00", b"\xd0\x00", b"\x40\x02\x00\x01",
              b"\x90\x03\x00\x01\x01", b"\xb0\x02\x00\x02", b"\x30\x05\x00\x01ahi",
              b"\x32\x07\x00\x01a\x00\x05hi", b"\x20\x02\x00\x05"]
    while fdp.remaining_bytes():
        op = fdp.ConsumeIntInRange(0, 11)
        now += fdp.ConsumeIntInRange(0, 3000) / 1000.0
        try:
            if op == 0:
                c.connect(now)
            elif op == 1:
                c.receive(fdp.PickValueInList(canned), now)
            elif op == 2:
                c.receive(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40)), now)
            elif op == 3:
                pid = fdp.ConsumeIntInRange(0, 6)
                kind = fdp.PickValueInList([0x40, 0x90, 0xB0])
                tail = b"\x01" if kind == 0x90 else b""
                c.receive(bytes((kind, 2 + len(tail), 0, pid)) + tail, now)
            elif op == 4:
                c.publish(fdp.PickValueInList(topics), fdp.ConsumeBytes(4), fdp.ConsumeIntInRange(0, 1),
                          fdp.ConsumeBool(), now)
            elif op == 5:
                c.subscribe([(fdp.PickValueInList(topics), fdp.ConsumeIntInRange(0, 1))], now)
            elif op == 6:
                c.unsubscribe([fdp.PickValueInList(topics)], now)
            elif op == 7:
                c.tick(now, fdp.ConsumeBool())
            elif op == 8:
                c.connection_lost()
            elif op == 9:
                c.disconnect()
            elif op == 10:
                c.deadline()
                c.can_publish(fdp.ConsumeIntInRange(0, 1))
            else:
                c.take()
        except ValueError:
            pass
        assert len(c.buf) <= max(c.max_packet, 5)
        assert len(c.inflight) <= c.max_inflight
        assert c.state in (mqtt_codec.DISCONNECTED, mqtt_codec.CONNECTING, mqtt_codec.CONNECTED,
                           mqtt_codec.DISCONNECTING, mqtt_codec.ERROR)


def mqtt_roundtrip(data: bytes) -> None:
    """What our PUBLISH encoder makes, fed back as a broker's PUBLISH, is the same message."""
    fdp = FDP(data)
    levels = []
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        levels.append(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 6)))
    topic = "/".join(levels)
    qos = fdp.ConsumeIntInRange(0, 1)
    retain = fdp.ConsumeBool()
    payload = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 400))
    tx = _connected(1 << 20, False)
    try:
        mqtt_codec.check_topic(topic)
    except ValueError:
        return
    pid = tx.publish(topic, payload, qos, retain)
    wire = tx.take()
    rx = _connected(1 << 20, False)
    ev, answer, state, _ = _mqtt_run(rx, pieces(fdp, wire))
    assert ev == [("message", topic, payload, qos, retain, False, pid)], (ev, topic, payload)
    assert answer == (bytes((0x40, 2, pid >> 8, pid & 255)) if qos else b"")
    assert mqtt_codec.topic_matches(topic, topic) and mqtt_codec.topic_matches("#", topic) != topic.startswith("$")


# ------------------------------------------------------------------------------------- framing

def _norm(events: list) -> list:
    out = []
    for e in events:
        if isinstance(e, framing.FramingError):
            out.append((type(e).__name__, e.fatal))
        else:
            assert isinstance(e, (bytes, str)), e
            out.append(bytes(e) if isinstance(e, bytearray) else e)
    return out


def _feed_all(dec: Any, chunks: list, bound: Callable[[Any], bool]) -> list:
    """Feed ``chunks`` then close; stop at a fatal error (feeding more raises, as documented)."""
    out = []
    for ch in chunks:
        ev = dec.feed(ch)
        out += ev
        assert bound(dec), (dec.pending, type(dec).__name__)
        if ev and isinstance(ev[-1], framing.FramingError) and ev[-1].fatal:
            for e in ev[:-1]:
                assert not isinstance(e, framing.FramingError) or not e.fatal
            return _norm(out)
        for e in ev:
            assert not (isinstance(e, framing.FramingError) and e.fatal), ev
    return _norm(out + dec.close())


def _split_check(make: Callable[[], Any], fdp: Any, stream: bytes, bound: Callable[[Any], bool]) -> None:
    whole = _feed_all(make(), [stream], bound)
    split = _feed_all(make(), pieces(fdp, stream), bound)
    assert whole == split, (whole, split)


def framing_lines(data: bytes) -> None:
    """LineDecoder, random stream: same lines and errors whole or in pieces; buffer bounded."""
    fdp = FDP(data)
    max_line = fdp.ConsumeIntInRange(1, 40)
    delim = fdp.PickValueInList([b"\n", b"\r\n", b"ab", b"aab", b"\x00\x00\x00"])
    strip = fdp.ConsumeBool()
    keep = fdp.ConsumeBool()
    policy = fdp.PickValueInList(["skip", "close"])
    stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 1500))
    _split_check(lambda: framing.LineDecoder(max_line, delim, strip, keep, policy), fdp, stream,
                 lambda d: d.pending <= max_line + 2 * len(delim) + 64)


def framing_lines_roundtrip(data: bytes) -> None:
    """encode_line then LineDecoder in pieces: the same lines."""
    fdp = FDP(data)
    delim = fdp.PickValueInList([b"\n", b"\r\n", b"ab", b"|"])
    lines = []
    for _ in range(fdp.ConsumeIntInRange(0, 20)):
        ln = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 30))
        try:
            framing.encode_line(ln, delim, 30)
        except framing.FramingError:
            continue
        lines.append(ln)
    wire = b"".join(framing.encode_line(ln, delim, 30) for ln in lines)
    got = _feed_all(framing.LineDecoder(30, delim, False), pieces(fdp, wire), lambda d: True)
    assert got == lines, (got, lines)


def framing_length(data: bytes) -> None:
    """LengthPrefixDecoder: split invariance and bounds on random input; round trip."""
    fdp = FDP(data)
    hs = fdp.PickValueInList([1, 2, 4])
    mf = fdp.ConsumeIntInRange(0, 300)
    policy = fdp.PickValueInList(["skip", "close"])
    if fdp.ConsumeBool():
        stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 1500))
        _split_check(lambda: framing.LengthPrefixDecoder(mf, hs, policy), fdp, stream,
                     lambda d: d.pending <= mf + hs)
        return
    payloads = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, min(mf, 255))) for _ in range(fdp.ConsumeIntInRange(0, 10))]
    wire = b"".join(framing.encode_length_prefixed(p, hs, mf) for p in payloads)
    got = _feed_all(framing.LengthPrefixDecoder(mf, hs, policy), pieces(fdp, wire), lambda d: True)
    assert got == payloads


def framing_netstring(data: bytes) -> None:
    """NetstringDecoder: split invariance and bounds on random input; round trip."""
    fdp = FDP(data)
    mf = fdp.ConsumeIntInRange(0, 300)
    policy = fdp.PickValueInList(["skip", "close"])
    if fdp.ConsumeBool():
        stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 1500))
        _split_check(lambda: framing.NetstringDecoder(mf, policy), fdp, stream,
                     lambda d: d.pending <= mf + 1 + 13)
        return
    payloads = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, mf)) for _ in range(fdp.ConsumeIntInRange(0, 10))]
    wire = b"".join(framing.encode_netstring(p, mf) for p in payloads)
    got = _feed_all(framing.NetstringDecoder(mf, policy), pieces(fdp, wire), lambda d: True)
    assert got == payloads


def framing_chunks(data: bytes) -> None:
    """ChunkDecoder (bytes): split invariance and bounds on random input; escaped round trip."""
    fdp = FDP(data)
    sync = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 4)) or b"X"
    mc = fdp.ConsumeIntInRange(0, 100)
    try:
        framing.ChunkDecoder(sync)
    except ValueError:
        return                          # a sync the escaping cannot keep out: refused, as documented
    bound = lambda d: d.pending <= 3 * mc + 4 * len(sync) + 64  # noqa: E731
    if fdp.ConsumeBool():
        stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 1500))
        _split_check(lambda: framing.ChunkDecoder(sync, mc), fdp, stream, bound)
        return
    msgs = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 30)) for _ in range(fdp.ConsumeIntInRange(0, 8))]
    msgs = [m for m in msgs if len(framing.escape_sync(m, sync)) <= mc]
    wire = b"".join(sync + framing.escape_sync(m, sync) for m in msgs)
    for m in msgs:
        assert framing.unescape_sync(framing.escape_sync(m, sync), sync) == m
    got = _feed_all(framing.ChunkDecoder(sync, mc), pieces(fdp, wire), lambda d: True)
    assert got == msgs, (got, msgs)


def framing_tagged(data: bytes) -> None:
    """decode_tagged_frame: only FramingError for random frames (bytes and str); round trip."""
    fdp = FDP(data)
    if fdp.ConsumeBool():
        tag = fdp.ConsumeIntInRange(-10**6, 10**9)
        body = fdp.ConsumeBytes(200)
        assert framing.decode_tagged_frame(framing.encode_tagged_frame(tag, body)) == (tag, body)
        text = body.decode("latin-1")
        assert framing.decode_tagged_frame(framing.encode_tagged_frame(tag, text)) == (tag, text)
        return
    frame = fdp.ConsumeBytes(300)
    for f in (frame, frame.decode("latin-1")):
        try:
            tag, body = framing.decode_tagged_frame(f, 100)
        except framing.FramingError:
            continue
        assert isinstance(tag, int) and len(body) <= 100


def framing_datagrams(data: bytes) -> None:
    """Reassembler: random and genuine-but-shuffled datagrams; only documented events; bounded."""
    fdp = FDP(data)
    mtu = fdp.ConsumeIntInRange(10, 40)
    fr = framing.Fragmenter(mtu, 500, fdp.ConsumeIntInRange(0, 2**32 - 1))
    r = framing.Reassembler(max_message=500, max_pending=fdp.ConsumeIntInRange(1, 4))
    pool = []
    for _ in range(fdp.ConsumeIntInRange(0, 4)):
        pool += fr.encode(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 120)))
    got = 0
    while fdp.remaining_bytes():
        if pool and fdp.ConsumeBool():
            d = fdp.PickValueInList(pool)
        else:
            d = struct.pack(">BIHH", 0xF7, fdp.ConsumeIntInRange(0, 3), fdp.ConsumeIntInRange(0, 70000) & 0xFFFF,
                            fdp.ConsumeIntInRange(0, 70000) & 0xFFFF) + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40))
        for e in r.feed(d):
            assert isinstance(e, (bytes, framing.MalformedFrame, framing.FrameTooLarge,
                                  framing.FragmentsLost)), e
            if isinstance(e, bytes):
                assert len(e) <= 500
                got += 1
        assert r.pending <= r.max_pending * 500
        held = 0
        for mid in r._pending:
            held += len(r._pending[mid][2])
        assert held <= r.max_pending * 500, held   # parts held: no more than bytes can fill
    r.close()


# ---------------------------------------------------------------------------------- auth / SRM

def auth_verify(data: bytes) -> None:
    """verify() of forged, truncated, replayed and genuine datagrams: None or the payload."""
    fdp = FDP(data)
    key = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 100))
    ts = fdp.ConsumeIntInRange(8, 32)
    win = fdp.ConsumeIntInRange(0, 70)
    tx = auth.DatagramAuthenticator(key, ts)
    rx = auth.DatagramAuthenticator(key, ts, win, fdp.ConsumeIntInRange(1, 3))
    sent = []
    while fdp.remaining_bytes():
        op = fdp.ConsumeIntInRange(0, 4)
        if op == 4:
            # a long silence, or a jump (below 2^64 - 2^16: a counter cannot run out in practice)
            tx._counter = max(tx._counter, min(tx._counter + fdp.ConsumeIntInRange(0, 1 << 62),
                                               (1 << 64) - (1 << 16)))
        elif op == 0:
            p = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 30))
            w = tx.sign(p)
            sent.append((p, w))
            assert rx.verify(w) == p
        elif op == 1 and sent:
            p, w = fdp.PickValueInList(sent)
            got = rx.verify(w)
            assert got is None if win else got == p
        elif op == 2 and sent:
            p, w = fdp.PickValueInList(sent)
            b = bytearray(w)
            i = fdp.ConsumeIntInRange(0, len(b) - 1)
            b[i] ^= fdp.ConsumeIntInRange(1, 255)
            assert rx.verify(bytes(b)) is None
        else:
            assert rx.verify(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 80))) is None
    assert rx.verified + rx.forged + rx.replayed + rx.malformed >= 0


def fec_decode(data: bytes) -> None:
    """Any m erasures among k + m units are repaired exactly (units zero-padded to the longest)."""
    fdp = FDP(data)
    k = fdp.ConsumeIntInRange(1, 20)
    m = fdp.ConsumeIntInRange(1, 8)
    units = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 20)) for _ in range(k)]
    par = fec.encode(units, m)
    length = max(len(u) for u in units)
    lost = set()
    for _ in range(fdp.ConsumeIntInRange(0, m)):
        lost.add(fdp.ConsumeIntInRange(0, k + m - 1))
    have = {i: units[i] for i in range(k) if i not in lost}
    par_have = {j: par[j] for j in range(m) if k + j not in lost}
    got = fec.decode(k, have, par_have)
    for i in got:
        assert got[i] == units[i] + bytes(length - len(units[i])), (i, got[i], units[i])
    assert sorted(got) == sorted(i for i in range(k) if i in lost)


def srm_receiver(data: bytes) -> None:
    """A genuine stream with datagrams lost, duplicated, reordered, mutated or made up, and time
    jumps: no exception, bounded memory, events in order; with nothing lost, every message."""
    fdp = FDP(data)
    k = fdp.ConsumeIntInRange(1, 8)
    m = fdp.ConsumeIntInRange(0, 4)
    key = b"k" * 16 if fdp.ConsumeBool() else None
    tx = srm.SRMSenderState(k=k, m=m, max_payload=fdp.ConsumeIntInRange(1, 20), auth=key,
                            stream_id=7, epoch=5)
    msgs = [fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 50)) for _ in range(fdp.ConsumeIntInRange(0, 12))]
    wire = []
    for msg in msgs:
        wire += tx.send(msg)
    wire += tx.flush()
    wire.append(tx.heartbeat())
    rx = srm.SRMReceiverState(auth=key, window_blocks=fdp.ConsumeIntInRange(1, 4), hold_time=1.0,
                              nack=fdp.ConsumeBool(), max_message=200)
    faithful = fdp.ConsumeBool()
    now = 0.0
    got = []
    todo = list(wire)
    while todo:
        if faithful or not fdp.remaining_bytes():
            d = todo.pop(0)
        else:
            op = fdp.ConsumeIntInRange(0, 5)
            i = fdp.ConsumeIntInRange(0, len(todo) - 1)
            if op == 0:
                todo.pop(i)              # lost
                continue
            d = todo[i] if op == 1 else todo.pop(i)   # duplicate / reordered
            if op == 3:
                b = bytearray(d)
                j = fdp.ConsumeIntInRange(0, len(b) - 1)
                b[j] = fdp.ConsumeIntInRange(0, 255)
                d = bytes(b[:fdp.ConsumeIntInRange(0, len(b))])
            elif op == 4:
                d = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 60))
            now += fdp.ConsumeIntInRange(0, 1500) / 1000.0
        for e in rx.receive(d, now) + rx.tick(now):
            if e[0] == "nack":
                todo[:0] = tx.handle_nack(e[1])      # the sender's repairs go out next
            else:
                got.append(e)
        assert rx.held() <= rx.window_blocks * 2 * fec.MAX_UNITS
        assert len(rx._pending) <= rx._pending_limit
    got += rx.flush()
    data_out = [e[1] for e in got if e[0] == "data"]
    for e in got:
        assert e[0] in ("data", "gap", "joined", "resync", "nack"), e
    for p in data_out:
        assert len(p) <= 200
    if faithful:
        assert data_out == [x for x in msgs if len(x) <= 200], (data_out, msgs)


# ------------------------------------------------------------------------------------ TCP state

def tcp_lifecycle(data: bytes) -> None:
    """Random events: each is a legal transition of TRANSITIONS or StateError, state unchanged;
    deadlines: none when ended, never later than ``linger`` after an ABORT."""
    fdp = FDP(data)
    lc = tcp_state.Lifecycle(linger=fdp.ConsumeIntInRange(0, 5), flush_timeout=fdp.ConsumeIntInRange(0, 50),
                             wait_peer=fdp.ConsumeBool(), end_on_peer_close=fdp.ConsumeBool())
    events = [tcp_state.EOF, tcp_state.FINISH, tcp_state.ABORT, tcp_state.FLUSHED, tcp_state.EXPIRED,
              tcp_state.FAIL, "peer_closed"]
    now = 0.0
    abort_limit = None
    while fdp.remaining_bytes():
        ev = fdp.PickValueInList(events)
        now += fdp.ConsumeIntInRange(0, 10)
        old = lc.state
        try:
            new = lc.peer_closed(now) if ev == "peer_closed" else lc.handle(ev, now)
        except tcp_state.StateError:
            e = tcp_state.EOF if ev == "peer_closed" else ev
            assert e not in tcp_state.TRANSITIONS[old] and lc.state == old
            continue
        e = tcp_state.EOF if ev == "peer_closed" else ev
        assert e in tcp_state.TRANSITIONS[old]
        assert new == lc.state
        assert new == tcp_state.TRANSITIONS[old][e] or (ev == "peer_closed" and new == tcp_state.CLOSING)
        if abort_limit is None and (ev == tcp_state.ABORT or (ev == "peer_closed" and lc.urgent)):
            abort_limit = now + lc.linger
        if lc.ended():
            assert lc.deadline is None
        if new in (tcp_state.FLUSHING, tcp_state.CLOSING, tcp_state.PEER_CLOSED, tcp_state.OPEN) and lc.urgent:
            assert lc.deadline is not None and lc.deadline <= abort_limit, (lc, abort_limit)


def tcp_sendbuffer(data: bytes) -> None:
    """SendBuffer: pushes, chunks and partial sends in any order write the pushed bytes, in order."""
    fdp = FDP(data)
    sb = tcp_state.SendBuffer()
    sb.join_limit = fdp.ConsumeIntInRange(1, 200)
    pushed = bytearray()
    written = bytearray()
    while fdp.remaining_bytes():
        if fdp.ConsumeBool():
            p = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 100))
            sb.push(p)
            pushed += p
        else:
            ch = sb.chunk()
            if ch is None:
                assert sb.nbytes == 0
                continue
            n = fdp.ConsumeIntInRange(0, len(ch))
            written += bytes(ch[:n])
            if n:
                sb.sent(n)
        assert sb.nbytes == len(pushed) - len(written)
        assert len(sb.chunks) - sb.head <= len(pushed) + 1
    assert pushed.startswith(written)


def tcp_budget(data: bytes) -> None:
    """Budget against a modelled receiver box (capacity C, taken oldest first at random moments):
    ``unconsumed`` is always the bytes read and not yet taken, whatever order the calls come in."""
    fdp = FDP(data)
    cap = fdp.ConsumeIntInRange(1, 8)
    unbounded = fdp.ConsumeBool()
    b = tcp_state.Budget(limit=fdp.ConsumeIntInRange(1, 5000))
    box = []                      # sizes of our messages in the receiver's box
    held = 0                      # read, not yet handed on
    space = lambda: tcp_state.Budget.UNBOUNDED if unbounded else cap - len(box)  # noqa: E731
    b.watch(space())
    while fdp.remaining_bytes():
        op = fdp.ConsumeIntInRange(0, 4)
        if op == 0:
            n = fdp.ConsumeIntInRange(0, 300)
            b.read(n)
            held += n
        elif op == 1 and held and (unbounded or len(box) < cap):
            n = fdp.ConsumeIntInRange(1, held)
            b.delivered(n)
            held -= n
            if not unbounded:
                box.append(n)
        elif op == 2 and held:
            n = fdp.ConsumeIntInRange(1, held)
            b.dropped(n)
            held -= n
        elif op == 3:
            del box[:fdp.ConsumeIntInRange(0, len(box))]     # the receiver takes some
        else:
            b.taken(space())
            assert b.unconsumed == held + sum(box), (b.unconsumed, held, box)
            assert b.waiting() == len(box)
        assert b.unconsumed >= held + sum(box)
        assert b.allowance() == b.limit - b.unconsumed - b.send.nbytes


TARGETS: runner.Targets = {
    "mqtt_split": (mqtt_split, ()),
    "mqtt_session": (mqtt_session, ()),
    "mqtt_roundtrip": (mqtt_roundtrip, ()),
    "framing_lines": (framing_lines, ()),
    "framing_lines_roundtrip": (framing_lines_roundtrip, ()),
    "framing_length": (framing_length, ()),
    "framing_netstring": (framing_netstring, ()),
    "framing_chunks": (framing_chunks, ()),
    "framing_tagged": (framing_tagged, ()),
    "framing_datagrams": (framing_datagrams, ()),
    "auth_verify": (auth_verify, ()),
    "fec_decode": (fec_decode, ()),
    "srm_receiver": (srm_receiver, ()),
    "tcp_lifecycle": (tcp_lifecycle, ()),
    "tcp_sendbuffer": (tcp_sendbuffer, ()),
    "tcp_budget": (tcp_budget, ()),
}

if __name__ == "__main__":
    sys.exit(runner.main(TARGETS))
