"""Kamaelia.Protocol.Framing formats: SimpleFrame "<tag> <length>\\n<data>" and the sync-sequence
chunking, checked against the original implementation as an oracle."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from Kamaelia.Protocol.Framing import SimpleFrame
from Kamaelia.Support.Data.Escape import escape, unescape

from kamaelia_lite.net.framing import (
    ChunkDecoder,
    FramingError,
    IncompleteFrame,
    MalformedFrame,
    decode_tagged_frame,
    encode_tagged_frame,
    escape_sync,
    unescape_sync,
)

text_st = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


@given(st.integers(min_value=0, max_value=10**9), text_st)
@settings(max_examples=200, deadline=None)
def test_tagged_frames_match_kamaelia(tag, data):
    frame = encode_tagged_frame(tag, data)
    assert frame == str(SimpleFrame(tag, data))
    assert decode_tagged_frame(frame) == SimpleFrame.fromString(frame)
    assert decode_tagged_frame(frame.encode()) == (tag, data.encode())


@given(text_st, st.sampled_from(["XXXXXXXXXXXXXXXXXXXXXXXX", "XY", "abc", "\n"]))
@settings(max_examples=200, deadline=None)
def test_sync_escaping_matches_kamaelia(message, sync):
    assert escape_sync(message, sync) == escape(message, sync)
    assert unescape_sync(escape_sync(message, sync), sync) == message
    assert unescape_sync(escape(message, sync), sync) == unescape(escape(message, sync), sync)


@given(text_st, st.sampled_from(["%%", "a%b", "%"]))
@settings(max_examples=100, deadline=None)
def test_sync_containing_percent_still_round_trips(message, sync):
    # (Kamaelia's own escape double-escapes '%' here; ours stays reversible.)
    assert unescape_sync(escape_sync(message, sync), sync) == message


@given(st.lists(text_st, max_size=10), st.lists(st.integers(min_value=0, max_value=2000), max_size=20))
@settings(max_examples=150, deadline=None)
def test_chunks_survive_any_split(messages, cuts):
    sync = "XXXX"
    stream = "noise" + "".join(sync + escape_sync(m, sync) for m in messages)
    dec = ChunkDecoder(sync)
    got = []
    prev = 0
    for p in sorted(set(c % (len(stream) + 1) for c in cuts)) + [len(stream)]:
        got += dec.feed(stream[prev:p])
        prev = p
    got += dec.flush()
    assert got == messages


@given(st.binary(max_size=3000))
@settings(max_examples=200, deadline=None)
def test_chunk_decoder_random_bytes_bounded(data):
    dec = ChunkDecoder(b"XX", max_chunk=50)
    for i in range(0, len(data), 37):
        for ev in dec.feed(data[i:i + 37]):
            assert isinstance(ev, (bytes, FramingError))
        assert dec.pending <= 50 + 2 * 2 + 37


@given(st.binary(max_size=200))
@settings(max_examples=300, deadline=None)
def test_decode_tagged_frame_raises_only_documented_errors(data):
    try:
        tag, body = decode_tagged_frame(data)
    except FramingError:
        return
    assert isinstance(tag, int)


def test_short_and_malformed_tagged_frames():
    with pytest.raises(IncompleteFrame):
        decode_tagged_frame("1 10\nshort")
    with pytest.raises(MalformedFrame):
        decode_tagged_frame("no header")
    with pytest.raises(MalformedFrame):
        decode_tagged_frame("a b\n")
