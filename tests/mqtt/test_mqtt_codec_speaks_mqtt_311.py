"""The sans-IO MQTT 3.1.1 client: the bytes it writes, the events it returns, its named states,
its QoS 1 session across reconnections and its keepalive (no sockets: bytes in, bytes out)."""
import pytest
from mqtt_helpers import CONNACK, CONNACK_SESSION, connected

from kamaelia_lite.net.mqtt_codec import (
    CONNECTED,
    CONNECTING,
    DISCONNECTED,
    DISCONNECTING,
    ERROR,
    MQTTConnection,
    check_topic,
    topic_matches,
)


def test_connect_packet_carries_credentials_will_and_keepalive():
    c = MQTTConnection("dev1", clean_session=True, keepalive=30, username="u", password="pw",
                       will=("venue/status", b"gone", 1, True))
    assert c.state == DISCONNECTED
    pkt = c.connect(0.0)
    assert c.state == CONNECTING
    body = (b"\x00\x04MQTT\x04" + bytes([0x80 | 0x40 | 0x20 | 0x08 | 0x04 | 0x02]) + b"\x00\x1e"
            + b"\x00\x04dev1" + b"\x00\x0cvenue/status" + b"\x00\x04gone" + b"\x00\x01u" + b"\x00\x02pw")
    assert pkt == bytes([0x10, len(body)]) + body


def test_connack_moves_to_connected_and_refusal_is_an_error_event():
    c = MQTTConnection("x")
    c.connect(0.0)
    assert c.receive(CONNACK, 1.0) == [("connected", False)]
    assert c.state == CONNECTED
    r = MQTTConnection("x")
    r.connect(0.0)
    ev = r.receive(b"\x20\x02\x00\x04", 1.0)
    assert ev == [("error", "connection refused by the broker: bad user name or password")]
    assert r.state == ERROR


def test_publish_qos0_and_qos1_bytes_and_puback_event():
    c = connected()
    assert c.publish("a/b", b"hi", 0) == 0
    assert c.take() == b"\x30\x07\x00\x03a/bhi"
    pid = c.publish("a/b", b"hi", 1, retain=True)
    assert pid == 1
    assert c.take() == b"\x33\x09\x00\x03a/b\x00\x01hi"
    assert 1 in c.inflight
    assert c.receive(b"\x40\x02\x00\x01", 1.0) == [("published", 1)]
    assert c.inflight == {}


def test_long_payload_uses_multibyte_remaining_length():
    c = connected()
    c.publish("t", b"x" * 200, 0)
    pkt = c.take()
    assert pkt[:3] == bytes([0x30, (203 & 127) | 128, 203 >> 7])
    assert len(pkt) == 3 + 203


def test_unacknowledged_qos1_is_resent_with_dup_after_reconnect_in_order():
    c = connected(clean_session=False)
    for i in range(3):
        c.publish("q", b"m%d" % i, 1)
    c.take()
    c.receive(b"\x40\x02\x00\x02", 1.0)          # m1 acknowledged
    c.connection_lost()
    assert c.state == DISCONNECTED
    c.connect(2.0)
    assert c.receive(CONNACK_SESSION, 2.0) == [("connected", True)]
    out = c.take()
    assert out == b"\x3a\x07\x00\x01q\x00\x01m0" + b"\x3a\x07\x00\x01q\x00\x03m2"
    assert c.resent == 2


def test_qos1_published_while_disconnected_is_sent_on_connect():
    c = MQTTConnection("x", clean_session=False)
    pid = c.publish("q", b"early", 1)
    with pytest.raises(ValueError):
        c.publish("q", b"lost", 0)         # QoS 0 cannot wait: the caller keeps it
    c.connect(0.0)
    c.receive(CONNACK, 0.0)
    # its first attempt: DUP not set (MQTT 3.1.1, 3.3.1.1), and not counted as resent
    assert c.take() == bytes([0x32, 10]) + b"\x00\x01q" + bytes([0, pid]) + b"early"
    assert c.resent == 0
    c.connection_lost()
    c.connect(1.0)
    assert c.receive(CONNACK_SESSION, 1.0) == [("connected", True)]
    assert c.take() == bytes([0x3a, 10]) + b"\x00\x01q" + bytes([0, pid]) + b"early"   # now DUP
    assert c.resent == 1


def test_subscriptions_are_sent_again_on_a_new_session_only():
    c = connected(clean_session=False)
    pid = c.subscribe([("venue/+/cue", 1), ("log/#", 0)])
    assert c.take() == (b"\x82\x18" + bytes([0, pid]) + b"\x00\x0bvenue/+/cue\x01" + b"\x00\x05log/#\x00")
    assert c.receive(bytes([0x90, 4, 0, pid, 1, 0]), 1.0) == [("subscribed", pid, [1, 0])]
    c.connection_lost()
    c.connect(2.0)
    assert c.receive(CONNACK_SESSION, 2.0) == [("connected", True)]
    assert c.take() == b""                   # the broker kept the session
    c.connection_lost()
    c.connect(3.0)
    c.receive(CONNACK, 3.0)
    assert b"venue/+/cue" in c.take()         # a new session: subscribe again
    pid = c.unsubscribe(["log/#"])
    assert c.take() == b"\xa2\x09" + bytes([0, pid]) + b"\x00\x05log/#"
    assert c.receive(bytes([0xB0, 2, 0, pid]), 4.0) == [("unsubscribed", pid)]
    assert list(c.subs) == ["venue/+/cue"]


def test_incoming_qos1_is_acknowledged_and_dup_and_retain_are_flagged():
    c = connected()
    ev = c.receive(b"\x3b\x0a\x00\x03a/b\x12\x34hey", 1.0)       # DUP, QoS 1, retain
    assert len(ev) == 1 and ev[0][0] == "message"
    m = ev[0][1]
    assert (m.topic, m.payload, m.qos, m.retain, m.dup, m.pid) == ("a/b", b"hey", 1, True, True, 0x1234)
    assert c.take() == b"\x40\x02\x12\x34"


def test_packets_split_at_every_byte_are_reassembled():
    c = connected()
    stream = b"\x30\x07\x00\x03a/bhi" * 3 + b"\xd0\x00" + b"\x32\x09\x00\x03a/b\x00\x07yo"
    ev = []
    for i in range(len(stream)):
        ev += c.receive(stream[i:i + 1], 1.0)
    msgs = [e[1].payload for e in ev if e[0] == "message"]
    assert msgs == [b"hi", b"hi", b"hi", b"yo"]
    assert c.take() == b"\x40\x02\x00\x07"


def test_keepalive_pings_when_idle_and_a_silent_broker_is_a_dead_connection():
    c = MQTTConnection("x", keepalive=10)
    c.connect(0.0)
    c.receive(CONNACK, 0.0)
    c.take()
    assert c.deadline() == 10.0
    assert c.tick(5.0) == [] and c.take() == b""
    assert c.tick(10.0) == [] and c.take() == b"\xc0\x00"
    assert c.deadline() == 15.0                  # ping_timeout = keepalive / 2
    c.receive(b"\xd0\x00", 11.0)                 # PINGRESP
    assert c.deadline() == 20.0
    c.tick(20.0)
    assert c.take() == b"\xc0\x00"
    ev = c.tick(25.0)
    assert ev and ev[0][0] == "error" and "PINGRESP" in ev[0][1]
    assert c.state == ERROR


def test_connack_timeout_is_a_dead_connection():
    c = MQTTConnection("x", keepalive=4)
    c.connect(0.0)
    assert c.tick(1.0) == []
    assert "CONNACK" in c.tick(2.0)[0][1]


def test_disconnect_is_queued_and_state_named():
    c = connected()
    c.disconnect()
    assert c.take() == b"\xe0\x00"
    assert c.state == DISCONNECTING


def test_inflight_window_is_bounded():
    c = connected(max_inflight=2)
    c.publish("q", b"1", 1)
    c.publish("q", b"2", 1)
    assert not c.can_publish(1) and c.can_publish(0)
    with pytest.raises(ValueError):
        c.publish("q", b"3", 1)


@pytest.mark.parametrize("filt,topic,match", [
    ("a/+/c", "a/b/c", True), ("a/+/c", "a/b/d", False), ("a/#", "a", True), ("a/#", "a/b/c", True),
    ("#", "x/y", True), ("#", "$SYS/load", False), ("+/x", "$SYS/x", False), ("$SYS/#", "$SYS/a", True),
    ("a/+", "a/b/c", False), ("a/b", "a/b", True), ("+", "a", True), ("+/+", "/x", True),
])
def test_topic_filters_match_like_the_spec(filt, topic, match):
    assert topic_matches(filt, topic) is match


@pytest.mark.parametrize("topic,wild", [("a/#/b", True), ("a+", True), ("", False), ("a/+", False), ("#x", True)])
def test_bad_topics_and_filters_are_refused(topic, wild):
    with pytest.raises(ValueError):
        check_topic(topic, wild)


def test_subscription_made_while_disconnected_is_sent_even_to_a_kept_session():
    c = connected(clean_session=False)
    c.connection_lost()
    assert c.subscribe([("late/#", 1)]) == 0
    c.connect(1.0)
    assert c.receive(CONNACK_SESSION, 1.0) == [("connected", True)]
    assert b"late/#" in c.take()


def test_a_slow_consumer_pausing_reads_is_not_mistaken_for_a_dead_broker():
    c = MQTTConnection("x", keepalive=10)
    c.connect(0.0)
    c.receive(CONNACK, 0.0)
    c.tick(10.0)
    assert c.take() == b"\xc0\x00"
    assert c.tick(16.0, reading=False) == []     # the PINGRESP may be waiting unread
    assert c.state == CONNECTED
    assert c.tick(20.5) == []                     # reading again: the wait restarted at 16
    assert c.tick(21.0)[0][0] == "error"


def test_a_client_not_reading_still_sends_a_pingreq_every_keepalive():
    # the broker drops a client it has not heard from for 1.5 keepalives: while the consumer is
    # slow (no reading) the client keeps saying it is there, and says when next it must
    c = MQTTConnection("x", keepalive=10)
    c.connect(0.0)
    c.receive(CONNACK, 0.0)
    c.tick(10.0)
    assert c.take() == b"\xc0\x00"
    pings = []
    t = 10.0
    while t < 60.0:
        t = max(t + 0.001, c.deadline())
        assert c.tick(t, reading=False) == []
        if c.take() == b"\xc0\x00":
            pings.append(t)
    assert c.state == CONNECTED
    gaps = [b - a for a, b in zip([10.0] + pings, pings)]
    assert len(pings) >= 4 and max(gaps) <= 10.0 + 1e-9, gaps

