"""MQTTPublisher and MQTTSubscriber have no __init__ of their own (each would cost a device ~560
bytes of heap): MQTTClient.__init__ does their part. Their contract: keyword or positional
(host, port, topic, qos, retain) options, a topic required, a subscriber subscribed to its topic
rather than keeping it, and the connection's own options kept by ``conn`` alone."""
import pytest

from kamaelia_lite.net.mqtt import MQTTClient, MQTTPublisher, MQTTSubscriber


def test_publisher_takes_positional_or_keyword_options():
    p = MQTTPublisher("broker.local", 1884, "venue/notes", 1, True)
    assert (p.host, p.port, p.topic, p.qos, p.retain) == ("broker.local", 1884, "venue/notes", 1, True)
    k = MQTTPublisher(host="broker.local", port=1884, topic="venue/notes", qos=1, retain=True)
    assert (k.host, k.port, k.topic, k.qos, k.retain) == (p.host, p.port, p.topic, p.qos, p.retain)


@pytest.mark.parametrize("cls", [MQTTPublisher, MQTTSubscriber])
def test_publisher_and_subscriber_without_a_topic_are_refused_by_name(cls):
    with pytest.raises(ValueError, match=cls.__name__ + " needs a topic"):
        cls(host="127.0.0.1")
    with pytest.raises(ValueError, match=cls.__name__ + " needs a topic"):
        cls(topic=None)


def test_subscriber_subscribes_to_its_topic_and_delivers_payloads():
    s = MQTTSubscriber(topic="venue/+/cue", qos=1, subscriptions=["venue/all"])
    assert "topic" not in vars(s) and s.topic is None         # not kept: not published to
    assert s.conn._later == [("venue/all", 1), ("venue/+/cue", 1)]
    assert s.conn.payloads_only


def test_connection_options_are_kept_by_the_codec_only():
    c = MQTTClient(client_id="desk-1", keepalive=5, username="u", password="p", max_inflight=4,
                   will=("venue/desk-1/status", b"gone", 1, True), clean_session=False, max_packet=1000)
    cn = c.conn
    assert (cn.client_id, cn.keepalive, cn.username, cn.password, cn.max_inflight, cn.max_packet) == (
        "desk-1", 5, "u", "p", 4, 1000)
    assert cn.will == ("venue/desk-1/status", b"gone", 1, True) and cn.clean_session is False
    for k in ("client_id", "keepalive", "username", "password", "max_inflight", "will", "clean_session",
              "max_packet"):
        assert k not in vars(c), k
    assert MQTTClient().conn.client_id.startswith("kamaelia-")   # none given: a random one
