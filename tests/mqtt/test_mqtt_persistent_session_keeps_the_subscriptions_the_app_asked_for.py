"""With a persistent session (clean_session=False) the broker keeps our subscriptions across a
reconnection and says so (session present). The subscriptions it keeps must still end up as the
app last asked, whatever happened while the connection was down or breaking:
- a SUBSCRIBE sent just before the connection broke, never acknowledged, is sent again (the
  broker may never have received it, and keeps only what it did receive);
- a filter subscribed and then unsubscribed while disconnected is not subscribed on connecting
  (the client cannot know whether the kept session holds it, so it unsubscribes it);
- a filter unsubscribed while disconnected is unsubscribed on connecting (the broker still holds
  it, and would go on sending its messages).
(Sans-IO: the client's bytes are parsed here, the broker's answers are fed back.)"""
from mqtt_helpers import client_packets

from kamaelia_lite.net.mqtt_codec import MQTTConnection

CONNACK = b"\x20\x02\x00\x00"
CONNACK_SESSION = b"\x20\x02\x01\x00"


def packets(data):
    """[(kind name, [filter, ...])] for the client's SUBSCRIBE/UNSUBSCRIBE packets in data."""
    out = []
    for kind, _, body in client_packets(data):
        if kind in (8, 10):
            k, filters = 2, []
            while k < len(body):
                n = (body[k] << 8) | body[k + 1]
                filters.append(body[k + 2:k + 2 + n].decode())
                k += 2 + n + (1 if kind == 8 else 0)
            out.append(("SUBSCRIBE" if kind == 8 else "UNSUBSCRIBE", filters))
    return out


def persistent():
    c = MQTTConnection("venue-desk", clean_session=False)
    c.connect(0.0)
    c.receive(CONNACK, 0.0)               # first connection: no session yet
    c.subscribe([("show/cue", 1)])
    c.receive(b"\x90\x03\x00\x01\x01", 0.0)    # SUBACK
    c.take()
    return c


def reconnect(c):
    c.connection_lost()
    c.connect(1.0)
    c.take()
    assert c.receive(CONNACK_SESSION, 1.0)[0] == ("connected", True)
    return packets(c.take())


def test_a_subscribe_the_connection_lost_before_its_ack_is_sent_again():
    c = persistent()
    c.subscribe([("show/lights", 1)])
    assert packets(c.take()) == [("SUBSCRIBE", ["show/lights"])]
    assert reconnect(c) == [("SUBSCRIBE", ["show/lights"])]      # (before: nothing)


def test_a_filter_subscribed_then_unsubscribed_while_down_is_not_subscribed():
    c = persistent()
    c.connection_lost()
    c.subscribe([("show/extra", 0)])
    c.unsubscribe(["show/extra"])
    sent = reconnect(c)                   # (before: SUBSCRIBE show/extra; an UNSUBSCRIBE, which
    assert not [p for p in sent if p[0] == "SUBSCRIBE"]     # the broker acknowledges whether or
    assert "show/extra" not in c.subs                        # not it holds the filter, is safe)


def test_a_filter_unsubscribed_while_down_is_unsubscribed_on_connecting():
    c = persistent()
    c.connection_lost()
    c.unsubscribe(["show/cue"])
    assert reconnect(c) == [("UNSUBSCRIBE", ["show/cue"])]        # (before: nothing)


def test_a_clean_session_subscribes_everything_again_and_unsubscribes_nothing():
    c = MQTTConnection("venue-desk", clean_session=True)
    c.connect(0.0)
    c.receive(CONNACK, 0.0)
    c.subscribe([("b", 1), ("a", 0)])
    c.take()
    c.connection_lost()
    c.unsubscribe(["b"])
    c.connect(1.0)
    c.take()
    assert c.receive(CONNACK, 1.0)[0] == ("connected", False)
    assert packets(c.take()) == [("SUBSCRIBE", ["a"])]
