"""TCP sync frames: a stream split anywhere gives the datagrams the whole stream gives, including
the good frames that came in the same read as a bad length (they used to be thrown away with the
error, which the next read now raises)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.sync import StreamFrameDecoder, encode_stream_frame


def test_good_frames_before_a_bad_length_in_one_read_are_delivered_then_the_error():
    dec = StreamFrameDecoder(max_frame=100)
    assert dec.feed(encode_stream_frame(b"one") + encode_stream_frame(b"two") + b"\x10\x00xx") == [b"one", b"two"]
    with pytest.raises(ValueError, match="exceeds max_frame=100"):
        dec.feed(b"")
    with pytest.raises(ValueError, match="exceeds max_frame=100"):
        dec.feed(encode_stream_frame(b"later"))             # the stream stays refused


def feed_all(max_frame, chunks):
    dec = StreamFrameDecoder(max_frame)
    got = []
    for c in chunks + [b""]:
        try:
            got += dec.feed(c)
        except ValueError as exc:
            return got, str(exc)
    return got, None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40), st.lists(st.binary(max_size=45), max_size=6), st.binary(max_size=6),
       st.lists(st.integers(1, 30), max_size=10))
def test_frames_split_anywhere_read_as_the_whole_stream(max_frame, grams, tail, cuts):
    stream = b"".join(encode_stream_frame(g) for g in grams) + tail
    chunks = []
    at = 0
    for n in cuts:
        chunks.append(stream[at:at + n])
        at += n
    chunks.append(stream[at:])
    assert feed_all(max_frame, chunks) == feed_all(max_frame, [stream])
    dec = StreamFrameDecoder(max_frame)
    for c in chunks:
        try:
            dec.feed(c)
        except ValueError:
            break
        assert len(dec._buf) <= 2 + max_frame          # bounded: at most one frame held
