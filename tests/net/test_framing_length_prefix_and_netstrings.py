"""Length-prefixed frames and netstrings: round trips under any chunking, documented errors
only, bounded memory, and resynchronisation after an oversized frame when asked."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from net_helpers import feed_in_chunks

from kamaelia_lite.net.framing import (
    FrameTooLarge,
    FramingError,
    IncompleteFrame,
    LengthPrefixDecoder,
    MalformedFrame,
    NetstringDecoder,
    encode_length_prefixed,
    encode_netstring,
)

payloads_st = st.lists(st.binary(max_size=300), max_size=20)
cuts_st = st.lists(st.integers(min_value=0, max_value=8000), max_size=30)


@given(payloads_st, cuts_st, st.sampled_from([2, 4]))
@settings(max_examples=200, deadline=None)
def test_length_prefixed_round_trip(payloads, cuts, header):
    data = b"".join(encode_length_prefixed(p, header) for p in payloads)
    dec = LengthPrefixDecoder(max_frame=300, header_size=header)
    assert feed_in_chunks(dec, data, cuts) == payloads
    assert dec.close() == []


@given(payloads_st, cuts_st)
@settings(max_examples=200, deadline=None)
def test_netstring_round_trip(payloads, cuts):
    data = b"".join(encode_netstring(p) for p in payloads)
    dec = NetstringDecoder(max_frame=300)
    assert feed_in_chunks(dec, data, cuts) == payloads
    assert dec.close() == []


@given(st.binary(max_size=3000), cuts_st, st.sampled_from(["skip", "close"]), st.sampled_from([1, 2, 4]))
@settings(max_examples=300, deadline=None)
def test_length_prefixed_random_input(data, cuts, policy, header):
    dec = LengthPrefixDecoder(max_frame=100, header_size=header, on_oversize=policy)
    for ev in feed_in_chunks(dec, data, cuts):
        if isinstance(ev, FramingError):
            assert isinstance(ev, FrameTooLarge) and ev.size > 100
        else:
            assert len(ev) <= 100
        assert dec.pending <= 100 + header
    tail = dec.close()
    assert all(isinstance(e, IncompleteFrame) for e in tail)


@given(st.binary(max_size=3000), cuts_st, st.sampled_from(["skip", "close"]))
@settings(max_examples=300, deadline=None)
def test_netstring_random_input(data, cuts, policy):
    dec = NetstringDecoder(max_frame=100, on_oversize=policy)
    for ev in feed_in_chunks(dec, data, cuts):
        if isinstance(ev, FramingError):
            assert isinstance(ev, (FrameTooLarge, MalformedFrame))
        else:
            assert len(ev) <= 100
        assert dec.pending <= 102
    dec.close()


@given(st.lists(st.binary(max_size=200), min_size=1, max_size=10), cuts_st)
@settings(max_examples=100, deadline=None)
def test_truncated_streams_report_incomplete_frames(payloads, cuts):
    for enc, dec_cls in ((encode_length_prefixed, LengthPrefixDecoder), (encode_netstring, NetstringDecoder)):
        data = b"".join(enc(p) for p in payloads)
        dec = dec_cls(max_frame=200)
        cut = len(data) - 1
        events = feed_in_chunks(dec, data[:cut], cuts)
        assert events == payloads[:-1]
        tail = dec.close()
        assert len(tail) == 1 and isinstance(tail[0], IncompleteFrame)


def test_oversized_length_prefixed_frame_is_skipped_and_decoding_resumes():
    dec = LengthPrefixDecoder(max_frame=10, on_oversize="skip")
    data = encode_length_prefixed(b"a" * 10) + encode_length_prefixed(b"b" * 5000) + encode_length_prefixed(b"c")
    events = []
    for i in range(0, len(data), 7):
        events += dec.feed(data[i:i + 7])
        assert dec.pending <= 14
    assert events[0] == b"a" * 10
    assert isinstance(events[1], FrameTooLarge) and events[1].size == 5000 and not events[1].fatal
    assert events[2:] == [b"c"]


def test_oversized_frame_is_fatal_by_default_and_earlier_frames_survive():
    dec = LengthPrefixDecoder(max_frame=10)
    events = dec.feed(encode_length_prefixed(b"ok") + b"\xff\xff\xff\xff" + b"junk")
    assert events[0] == b"ok" and isinstance(events[1], FrameTooLarge) and events[1].fatal
    with pytest.raises(FrameTooLarge):
        dec.feed(b"more")


def test_netstring_errors_are_precise():
    for bad, cls in ((b"5:hello!", MalformedFrame), (b"x:", MalformedFrame), (b":a,", MalformedFrame),
                     (b"05:hello,", MalformedFrame), (b"99999999999:", FrameTooLarge),
                     (b"-1:", MalformedFrame)):
        events = NetstringDecoder(max_frame=1000).feed(bad)
        assert len(events) == 1 and isinstance(events[0], cls) and events[0].fatal, bad


def test_netstring_skip_policy_resumes_after_the_comma():
    dec = NetstringDecoder(max_frame=3, on_oversize="skip")
    events = dec.feed(b"2:ok,10:0123456789,")
    events += dec.feed(b"1:z,")
    assert events[0] == b"ok" and isinstance(events[1], FrameTooLarge) and events[2] == b"z"


def test_encoders_refuse_frames_beyond_their_limit():
    with pytest.raises(FrameTooLarge):
        encode_length_prefixed(b"x" * 256, header_size=1)
    with pytest.raises(FrameTooLarge):
        encode_netstring(b"x" * 11, max_frame=10)
