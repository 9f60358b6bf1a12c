"""What MQTT 3.1.1 forbids a broker to send is a protocol error, not believed: one ``error``
event naming it, the state ``ERROR`` (the component then closes the connection), and nothing
else lost: what came before it is delivered, and the session (QoS 1 messages in flight,
subscriptions) is kept for the next connection."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mqtt_helpers import CONNACK, CONNACK_SESSION, connected

from kamaelia_lite.net.mqtt_codec import CONNECTED, ERROR, MQTTConnection


def is_error(ev, c, words):
    assert len(ev) >= 1 and ev[-1][0] == "error", ev
    assert words in ev[-1][1], ev[-1][1]
    assert c.state == ERROR


# ---------------------------------------------------------------- session present (MQTT-3.2.2-1)
def test_session_present_answering_a_clean_session_is_a_protocol_error():
    c = MQTTConnection("cid", clean_session=True)
    c.subscribe([("show/#", 1)])
    c.connect(0.0)
    c.take()
    ev = c.receive(CONNACK_SESSION, 0.1)
    is_error(ev, c, "session present")
    assert "clean session" in ev[0][1]
    assert c.take() == b""                  # no SUBSCRIBE, no resend went out on its word


def test_after_a_bad_session_present_the_session_is_kept_for_the_next_connection():
    c = connected(clean_session=True)
    pid = c.publish("q", b"kept", 1)
    c.take()
    c.connection_lost()
    c.connect(1.0)
    is_error(c.receive(CONNACK_SESSION, 1.0), c, "session present")
    assert pid in c.inflight
    c.connection_lost()
    c.connect(2.0)
    assert c.receive(CONNACK, 2.0) == [("connected", False)]
    out = c.take()
    assert out.endswith(b"kept") and out[0] & 8       # sent again, DUP
    assert c.receive(bytes((0x40, 2, pid >> 8, pid & 255)), 2.0) == [("published", pid)]


def test_a_kept_session_may_be_present_even_on_the_first_connection():
    # MQTT 3.1.1 (3.2.2.2): with CleanSession 0 the broker says whether it holds state for this
    # client id, which an earlier run of the program may have left: that is not an error.
    c = MQTTConnection("cid", clean_session=False)
    c.connect(0.0)
    assert c.receive(CONNACK_SESSION, 0.0) == [("connected", True)]
    assert c.state == CONNECTED


# ---------------------------------------------------------------- DUP on QoS 0 (MQTT-3.3.1-2)
@settings(max_examples=100, deadline=None)
@given(retain=st.booleans(), topic=st.sampled_from(["a", "show/x", "é/ü"]), payload=st.binary(max_size=40))
def test_a_qos0_publish_with_dup_set_is_malformed_and_without_it_is_delivered(retain, topic, payload):
    t = topic.encode()
    body = bytes((len(t) >> 8, len(t) & 255)) + t + payload
    for dup in (0, 8):
        c = connected()
        ev = c.receive(bytes((0x30 | dup | retain, len(body))) + body, 1.0)
        if dup:
            is_error(ev, c, "DUP")
            assert "QoS 0" in ev[0][1]
        else:
            assert len(ev) == 1 and ev[0][1].payload == payload and ev[0][1].dup is False


def test_messages_before_a_qos0_dup_publish_are_delivered_and_nothing_after():
    c = connected()
    good = b"\x30\x05\x00\x01ahi"
    ev = c.receive(good + b"\x38\x05\x00\x01ahi" + good, 1.0)
    assert [e[0] for e in ev] == ["message", "error"]


def test_dup_on_a_qos1_publish_is_a_redelivery_not_an_error():
    c = connected()
    ev = c.receive(b"\x3a\x07\x00\x01a\x00\x09hi", 1.0)
    assert ev[0][0] == "message" and ev[0][1].dup is True and c.state == CONNECTED


# ---------------------------------------------------------------- remaining length, shortest form
def varint(n, extra=0):
    """``n`` as MQTT's variable byte integer, padded with ``extra`` needless bytes."""
    out = bytearray()
    while True:
        d = n & 127
        n >>= 7
        out.append(d | 128 if n or extra else d)
        if not n:
            break
    for k in range(extra):
        out.append(128 if k < extra - 1 else 0)
    return bytes(out)


def test_varint_helper_pads_as_intended():
    assert varint(0, 1) == b"\x80\x00" and varint(127, 2) == b"\xff\x80\x00"
    assert varint(128) == b"\x80\x01" and varint(0) == b"\x00"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 300), st.integers(0, 3), st.sampled_from([0x30, 0x40, 0xD0, 0x90, 0xB0]))
def test_a_remaining_length_longer_than_needed_is_malformed(n, extra, t):
    short = len(varint(n))
    if short + extra > 4:
        extra = 4 - short
    c = connected()
    ev = c.receive(bytes((t,)) + varint(n, extra), 1.0)     # refused before the body arrives
    if extra:
        is_error(ev, c, "remaining length")
        assert "shortest" in ev[0][1]
    elif n:
        assert ev == [] and c.state == CONNECTED         # waits for the body


def test_an_empty_pingresp_with_a_padded_length_is_malformed():
    c = connected()
    is_error(c.receive(b"\xd0\x80\x00", 1.0), c, "shortest")


# ---------------------------------------------------------------- acks for what was never asked
def ack(kind, pid, codes=b""):
    return bytes((kind, 2 + len(codes), pid >> 8, pid & 255)) + codes


def test_an_unsuback_answering_a_subscribe_is_malformed_and_the_subscribe_stays_pending():
    c = connected(clean_session=False)
    pid = c.subscribe([("show/#", 1)])
    c.take()
    ev = c.receive(ack(0xB0, pid), 1.0)
    is_error(ev, c, "UNSUBACK")
    assert ("unsubscribed", pid) not in ev
    c.connection_lost()
    c.connect(2.0)
    c.receive(CONNACK_SESSION, 2.0)                  # the kept session may lack it: asked again
    assert b"show/#" in c.take()


def test_a_puback_for_a_message_never_sent_is_malformed():
    c = connected()
    pid = c.publish("q", b"m", 1)
    c.take()
    is_error(c.receive(ack(0x40, pid + 1), 1.0), c, "PUBACK")
    assert pid in c.inflight                         # still to be acknowledged: sent again later


def test_a_second_puback_for_one_message_is_malformed():
    c = connected()
    pid = c.publish("q", b"m", 1)
    c.take()
    assert c.receive(ack(0x40, pid), 1.0) == [("published", pid)]
    is_error(c.receive(ack(0x40, pid), 1.0), c, "packet id %d" % pid)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["pub", "sub", "unsub"]), max_size=6),
       st.sampled_from([0x40, 0x90, 0xB0]), st.integers(0, 8))
def test_an_ack_is_believed_only_for_a_packet_id_awaiting_that_ack(ops, kind, pid):
    c = connected()
    waits = {0x40: set(), 0x90: set(), 0xB0: set()}
    for op in ops:
        if op == "pub":
            waits[0x40].add(c.publish("q", b"m", 1))
        elif op == "sub":
            waits[0x90].add(c.subscribe([("s", 1)]))
        else:
            waits[0xB0].add(c.unsubscribe(["s"]))
    c.take()
    ev = c.receive(ack(kind, pid, b"\x01" if kind == 0x90 else b""), 1.0)
    if pid in waits[kind]:
        assert len(ev) == 1 and ev[0][0] != "error" and ev[0][1] == pid and c.state == CONNECTED
    else:
        is_error(ev, c, "packet id %d" % pid)


# ---------------------------------------------------------------- what we must not send either
def test_an_empty_subscribe_or_unsubscribe_is_refused_before_anything_is_sent():
    # MQTT-3.8.3-3 / MQTT-3.10.3-2: at least one filter (a broker closes the connection)
    c = connected()
    for call in (c.subscribe, c.unsubscribe):
        with pytest.raises(ValueError, match="no topic filter"):
            call([])
    assert c.take() == b"" and c._pending == {}


def test_a_keepalive_mqtt_cannot_carry_is_refused_when_the_connection_is_made():
    # two bytes on the wire: 0..65535 s. Before, connect() raised a bare "bytes must be in
    # range(0, 256)" inside the component's run (the component failed).
    for bad in (65536, -1):
        with pytest.raises(ValueError, match="keepalive"):
            MQTTConnection("x", keepalive=bad)
    assert MQTTConnection("x", keepalive=65535).connect(0.0)[10:12] == b"\xff\xff"
