"""Every framing decoder is amortised linear in what it is fed, however small the pieces: fed one
byte at a time it yields exactly what one big feed yields, and an 8x longer message costs about
8x (not 64x) the CPU time. ChunkDecoder.close() ends the stream as the decoder contract says."""
import time

import pytest

from kamaelia_lite.net.framing import (
    ChunkDecoder,
    IncompleteFrame,
    LengthPrefixDecoder,
    LineDecoder,
    NetstringDecoder,
    encode_length_prefixed,
    encode_netstring,
    escape_sync,
)

SYNC = b"XXXX"


def bytewise(dec, stream):
    out = []
    for i in range(len(stream)):
        out += dec.feed(stream[i:i + 1])
    return out


def lines_stream(n):
    return b"".join(b"line %d %s\n" % (i, b"a" * (i % 50)) for i in range(n)) + b"x" * n + b"\n"


def chunk_stream(n):
    return b"noise" + b"".join(SYNC + escape_sync(b"chunk %d %s" % (i, b"X%" * (i % 7)), SYNC)
                               for i in range(n))


CASES = {
    "lines": (lambda: LineDecoder(max_line=1 << 20), lines_stream),
    "lines-crlf-delim": (lambda: LineDecoder(max_line=40, delimiter=b"\r\n"),
                         lambda n: lines_stream(n).replace(b"\n", b"\r\n")),
    "length-prefix": (lambda: LengthPrefixDecoder(max_frame=1 << 20),
                      lambda n: b"".join(encode_length_prefixed(b"p" * i) for i in range(n))),
    "netstring": (lambda: NetstringDecoder(max_frame=1 << 20),
                  lambda n: b"".join(encode_netstring(b"n" * i) for i in range(n))),
    "chunks": (lambda: ChunkDecoder(SYNC), chunk_stream),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_byte_at_a_time_yields_what_one_feed_yields(name):
    make, stream_of = CASES[name]
    stream = stream_of(300)
    whole = make()
    want = whole.feed(stream) + whole.close()
    one = make()
    got = bytewise(one, stream) + one.close()
    assert [repr(x) if isinstance(x, Exception) else x for x in got] == \
        [repr(x) if isinstance(x, Exception) else x for x in want]
    assert len(want) >= 100


def one_long_message(name, size):
    if name.startswith("lines"):
        return LineDecoder(max_line=1 << 21), b"a" * size + b"\n"
    if name == "length-prefix":
        return LengthPrefixDecoder(max_frame=1 << 21), encode_length_prefixed(b"a" * size)
    if name == "netstring":
        return NetstringDecoder(max_frame=1 << 21), encode_netstring(b"a" * size)
    return ChunkDecoder(SYNC, max_chunk=1 << 21), SYNC + b"a" * size + SYNC


def cpu_to_decode(name, size):
    best = None
    for _ in range(3):
        dec, stream = one_long_message(name, size)
        t = time.process_time()
        out = bytewise(dec, stream)
        t = time.process_time() - t
        assert [len(x) for x in out] == [size]
        best = t if best is None else min(best, t)
    return best


@pytest.mark.parametrize("name", ["lines", "length-prefix", "netstring", "chunks"])
def test_a_long_message_fed_byte_by_byte_costs_linear_time(name):
    small = cpu_to_decode(name, 16 * 1024)
    large = cpu_to_decode(name, 128 * 1024)           # 8x the bytes
    assert large < 24 * max(small, 1e-3), "%s: %.3fs for 16 KiB, %.3fs for 128 KiB" % (name, small, large)


def test_chunk_decoder_close_delivers_the_last_chunk_and_reports_a_cut_sync():
    dec = ChunkDecoder(SYNC)
    assert dec.feed(b"junk" + SYNC + b"first" + SYNC + b"last") == [b"first"]
    assert dec.close() == [b"last"]                 # the stream's end ends the last chunk
    cut = ChunkDecoder(SYNC)
    assert cut.feed(b"junk" + SYNC + b"one" + SYNC + b"two" + SYNC[:3]) == [b"one"]
    out = cut.close()
    assert out[0] == b"two"                          # the chunk ends where the cut sync began
    assert isinstance(out[1], IncompleteFrame) and out[1].fatal
    with pytest.raises(IncompleteFrame):
        cut.feed(b"more")
    quiet = ChunkDecoder(SYNC)
    assert quiet.feed(b"noise only") == [] and quiet.close() == []
    assert quiet.feed(SYNC + b"again" + SYNC) == [b"again"]     # a clean close leaves it usable


def test_chunk_decoder_pending_stays_bounded_byte_by_byte():
    dec = ChunkDecoder(SYNC, max_chunk=100)
    events = bytewise(dec, SYNC + b"z" * 1000 + SYNC + b"ok" + SYNC)
    assert [type(e).__name__ for e in events] == ["FrameTooLarge", "bytes"] and events[1] == b"ok"
    assert dec.pending <= 100 + 2 * len(SYNC) + 1
