"""Strict parsing: whatever a broker (or something pretending to be one) sends, the codec returns
an ``error`` event naming the problem and stops; it never raises and never buffers without bound."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.mqtt_codec import ERROR, MQTTConnection


def connected(**kw):
    c = MQTTConnection("cid", **kw)
    c.connect(0.0)
    c.receive(b"\x20\x02\x00\x00", 0.0)
    c.take()
    return c


@pytest.mark.parametrize("data,words", [
    (b"\x30\xff\xff\xff\xff\x7f", "remaining length longer than 4 bytes"),
    (b"\x31\x80\x80\x80\x01", "exceeds max_packet"),
    (b"\x41\x02\x00\x01", "flags"),                       # PUBACK with flags
    (b"\x40\x03\x00\x01\x00", "length 3"),                # PUBACK too long
    (b"\x10\x00", "unexpected packet type 1"),            # CONNECT from a broker
    (b"\xf0\x00", "unexpected packet type 15"),
    (b"\x30\x05\x00\x03a/#", "wildcard"),
    (b"\x30\x04\x00\x07ab", "bad topic length"),
    (b"\x30\x06\x00\x02\xff\xfehi", "UTF-8"),
    (b"\x34\x07\x00\x01a\x00\x01hi", "QoS 2"),
    (b"\x20\x02\x00\x00", "CONNACK when already connected"),
    (b"\x90\x03\x00\x01\x07", "SUBACK: return code 7"),
    (b"\xd0\x01\x00", "PINGRESP"),
])
def test_malformed_packet_is_an_error_event_and_the_state_is_error(data, words):
    c = connected()
    ev = c.receive(data, 1.0)
    assert len(ev) == 1 and ev[0][0] == "error", ev
    assert words in ev[0][1], ev[0][1]
    assert c.state == ERROR
    assert c.receive(b"\x30\x07\x00\x03a/bhi", 1.0) == []      # nothing more is parsed


def test_oversized_packet_is_refused_as_soon_as_its_header_arrives():
    c = connected(max_packet=1024)
    ev = c.receive(b"\x30\x80\x80\x01", 1.0)         # announces 16 KiB: no need to wait for it
    assert ev[0][0] == "error" and "exceeds max_packet=1024" in ev[0][1]


def test_packet_before_connack_is_an_error():
    c = MQTTConnection("x")
    c.connect(0.0)
    ev = c.receive(b"\x30\x07\x00\x03a/bhi", 0.1)
    assert ev[0][0] == "error" and "CONNACK first" in ev[0][1]


def test_messages_before_the_bad_packet_are_still_delivered():
    c = connected()
    ev = c.receive(b"\x30\x07\x00\x03a/bhi" + b"\xf0\x00", 1.0)
    assert [e[0] for e in ev] == ["message", "error"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=12))
def test_random_bytes_never_raise_and_buffer_stays_bounded(chunks):
    c = connected(max_packet=512)
    for ch in chunks:
        for ev in c.receive(ch, 1.0):
            assert ev[0] in ("message", "published", "subscribed", "unsubscribed", "error")
        assert len(c.buf) <= 512
        c.take()
