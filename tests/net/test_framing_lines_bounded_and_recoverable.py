"""Line framing: lines come back whatever the chunking; oversized lines are reported, not fatal
(unless asked), and memory stays bounded for any input."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from net_helpers import feed_in_chunks

from kamaelia_lite.net.framing import FramingError, LineDecoder, LineTooLong, encode_line

lines_st = st.lists(st.binary(max_size=40).filter(lambda b: b"\n" not in b and not b.endswith(b"\r")),
                    max_size=30)


@given(lines_st, st.lists(st.integers(min_value=0, max_value=2000), max_size=20))
@settings(max_examples=200, deadline=None)
def test_lines_round_trip_under_any_chunking(lines, cuts):
    data = b"".join(encode_line(x) for x in lines)
    dec = LineDecoder(max_line=40)
    assert feed_in_chunks(dec, data, cuts) == lines
    assert dec.close() == []


@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0, max_value=4000), max_size=30),
       st.integers(min_value=1, max_value=64), st.sampled_from([b"\n", b"\r\n", b"\0\0\0"]),
       st.sampled_from(["skip", "close"]))
@settings(max_examples=300, deadline=None)
def test_random_input_yields_only_lines_or_documented_errors(data, cuts, max_line, delim, policy):
    dec = LineDecoder(max_line=max_line, delimiter=delim, on_oversize=policy, strip_cr=False)
    events = feed_in_chunks(dec, data, cuts)
    assert dec.pending <= max_line + len(delim) - 1
    for ev in events:
        if isinstance(ev, FramingError):
            assert isinstance(ev, LineTooLong)
            assert ev.fatal == (policy == "close")
        else:
            assert len(ev) <= max_line
            assert delim not in ev
    if policy == "close" and any(isinstance(ev, FramingError) for ev in events):
        assert isinstance(events[-1], LineTooLong) and dec.failed is events[-1]


@given(st.binary(max_size=2000), st.lists(st.integers(min_value=0, max_value=3000), max_size=30))
@settings(max_examples=200, deadline=None)
def test_skip_policy_matches_a_reference_split(data, cuts):
    """With 'skip', the decoder delivers exactly the complete lines <= max_line, in order, and one
    LineTooLong per longer line (checked against a plain split)."""
    max_line = 16
    dec = LineDecoder(max_line=max_line, strip_cr=False)
    events = feed_in_chunks(dec, data, cuts)
    expected = []
    segments = data.split(b"\n")
    for line in segments[:-1]:
        expected.append(line if len(line) <= max_line else "TOO_LONG")
    if len(segments[-1]) > max_line:       # reported before its delimiter arrives
        expected.append("TOO_LONG")
    got = ["TOO_LONG" if isinstance(ev, LineTooLong) else ev for ev in events]
    assert got == expected


def test_oversized_line_is_reported_and_the_next_line_still_arrives():
    dec = LineDecoder(max_line=8)
    events = dec.feed(b"short\n" + b"x" * 5000)
    events += dec.feed(b"y" * 5000 + b"\nnext\n")
    assert events[0] == b"short"
    assert isinstance(events[1], LineTooLong) and not events[1].fatal and events[1].limit == 8
    assert events[2:] == [b"next"]
    assert dec.pending == 0


def test_close_policy_makes_an_oversized_line_fatal_but_keeps_earlier_lines():
    dec = LineDecoder(max_line=8, on_oversize="close")
    events = dec.feed(b"ok\n" + b"z" * 20 + b"\nlater\n")
    assert events[0] == b"ok"
    assert isinstance(events[1], LineTooLong) and events[1].fatal
    assert len(events) == 2
    with pytest.raises(LineTooLong):
        dec.feed(b"more\n")


def test_crlf_lines_and_a_delimiter_split_across_feeds():
    dec = LineDecoder(delimiter=b"\r\n", max_line=10)
    assert dec.feed(b"one\r") == []
    assert dec.feed(b"\ntwo\r\nthr") == [b"one", b"two"]
    assert dec.close() == [b"thr"]
    lf = LineDecoder()
    assert lf.feed(b"dos\r\nunix\n") == [b"dos", b"unix"]


def test_line_of_exactly_max_line_is_accepted():
    dec = LineDecoder(max_line=4, delimiter=b"\r\n")

    dec = LineDecoder(max_line=4, delimiter=b"\r\n")
    ev = dec.feed(b"abcd\r\nabcde\r\nok\r\n")
    assert ev[0] == b"abcd" and isinstance(ev[1], LineTooLong) and ev[2] == b"ok"


def test_encode_line_refuses_embedded_delimiters_and_oversize():
    assert encode_line("héllo") == "héllo".encode() + b"\n"
    with pytest.raises(FramingError):
        encode_line(b"a\nb")
    with pytest.raises(FramingError):
        encode_line(b"abcdef", max_line=3)


def test_non_bytes_input_is_a_type_error():
    with pytest.raises(TypeError):
        LineDecoder().feed("text")
