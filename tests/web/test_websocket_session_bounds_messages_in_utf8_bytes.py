"""WebSocketSession (sans-IO) against a hostile client: the message limit is in UTF-8 bytes
(not characters), a message held while it arrives never takes more than that limit (not even
in endless empty fragments), and frames split anywhere give what they give whole."""
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.http import Limits
from kamaelia_lite.net.websocket import WebSocketSession
from tools.fuzz.compare import server_frames

MASK = b"\x0f\xf0\x55\xaa"


def frame(opcode, payload, fin=True):
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))


def close_code(out):
    """The code of the close frame that ends ``out`` (server frames are not masked)."""
    at = out.rindex(b"\x88")
    return struct.unpack("!H", out[at + 2:at + 4])[0]


def test_a_text_message_over_the_limit_in_bytes_is_closed_with_1009_however_few_characters():
    ws = WebSocketSession(Limits(max_message_bytes=4096), 0.0)
    out, texts, closed = ws.receive(frame(1, "€".encode() * 3000), 0.0)   # 3000 chars, 9000 bytes
    assert texts == [] and closed is not None and close_code(out) == 1009


def test_a_text_message_of_exactly_the_limit_in_bytes_arrives_whole():
    text = "日本語" * 2 + "x" * 14                                               # 18 + 14 = 32 bytes
    ws = WebSocketSession(Limits(max_message_bytes=32), 0.0)
    data = frame(1, text.encode("utf-8")[:7], fin=False) + frame(0, text.encode("utf-8")[7:])
    assert ws.receive(data, 0.0) == (b"", [text], None)


def test_endless_empty_fragments_hold_nothing():
    ws = WebSocketSession(Limits(max_message_bytes=64), 0.0)
    ws.receive(frame(1, b"a", fin=False), 0.0)
    empty = frame(0, b"", fin=False) * 20000
    for _ in range(5):
        out, texts, closed = ws.receive(empty, 0.0)
        assert (texts, closed) == ([], None)
    held = [v for k, v in vars(ws).items() if k.startswith("_") and isinstance(v, (list, bytes, bytearray, str))]
    assert sum(len(v) for v in held) <= 64, [len(v) for v in held]
    out, texts, closed = ws.receive(frame(0, "é".encode()), 0.0)
    assert texts == ["aé"] and closed is None


texts_ = st.text(max_size=60)


@st.composite
def streams(draw):
    out = b""
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.integers(0, 5))
        if kind == 0:                                              # one whole text message
            out += frame(1, draw(texts_).encode("utf-8"))
        elif kind == 1:                                            # a fragmented one, cut inside characters
            data = draw(texts_).encode("utf-8")
            cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=4)))
            parts = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
            out += frame(1, parts[0], fin=len(parts) == 1)
            for i, p in enumerate(parts[1:]):
                out += frame(0, p, fin=i == len(parts) - 2)
        elif kind == 2:
            out += frame(9, draw(st.binary(max_size=20)))           # ping
        elif kind == 3:
            out += frame(2, draw(st.binary(max_size=80)))           # binary (counted, not kept)
        elif kind == 4:
            out += frame(draw(st.sampled_from([1, 0, 3, 8])), draw(st.binary(max_size=8)),
                         fin=draw(st.booleans()))                   # anything
        else:
            out += draw(st.binary(max_size=6))                      # garbage
    return out


def drive(chunks, limit):
    ws = WebSocketSession(Limits(max_message_bytes=limit), 0.0)
    out, got, closed = b"", [], None
    for c in chunks:
        o, t, closed = ws.receive(c, 0.0)
        out += o
        got += t
        if closed:
            break
    return server_frames(out), got, closed is not None


@settings(max_examples=300, deadline=None)
@given(streams(), st.lists(st.integers(0, 3000), max_size=6), st.sampled_from([16, 64, 4096]))
def test_frames_split_anywhere_give_the_same_messages_within_the_limit(raw, cuts, limit):
    at, chunks = 0, []
    for c in sorted(min(c, len(raw)) for c in cuts) + [len(raw)]:
        chunks.append(raw[at:c])
        at = c
    whole = drive([raw] if raw else [], limit)
    assert drive([c for c in chunks if c], limit) == whole
    assert drive([raw[i:i + 1] for i in range(len(raw))], limit) == whole
    assert all(len(t.encode("utf-8")) <= limit for t in whole[1])
