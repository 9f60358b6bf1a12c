"""MQTTPublisher / MQTTSubscriber / MQTTClient against a real mosquitto (password authentication),
with paho-mqtt as the independent client on the other side, in both directions."""
import time

from mqtt_helpers import make_tap, paho_client, run_until

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.mqtt import MQTTClient, MQTTPublisher, MQTTSubscriber
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, producerFinished


def creds(broker):
    return {"host": "127.0.0.1", "port": broker.port, "username": broker.user, "password": broker.password}


def test_publisher_pipeline_reaches_a_paho_subscriber_in_order_and_finishes(broker):
    got = []
    paho = paho_client(broker, got, subscribe="venue/#", qos=1)
    try:
        s = Scheduler()
        msgs = [b"cue %d" % i for i in range(200)]
        pub = MQTTPublisher(topic="venue/hall/cue", qos=1, **creds(broker))
        tap = make_tap()
        Pipeline(DataSource(msgs), pub, tap).activate(scheduler=s)
        # producerFinished: every message published and acknowledged, then passed on
        assert run_until(s, lambda: tap.got, 10), "the publisher did not finish after producerFinished"
        assert isinstance(tap.got[0], producerFinished) and pub.sock is None
        deadline = time.time() + 5
        while len(got) < len(msgs) and time.time() < deadline:
            time.sleep(0.02)
        assert [m.payload for m in got] == msgs
        assert {m.topic for m in got} == {"venue/hall/cue"}
        assert pub.conn.inflight == {}
    finally:
        paho.loop_stop()
        paho.disconnect()


def test_paho_publishes_to_a_subscriber_pipeline_with_wildcards(broker):
    s = Scheduler()
    out = Collector()
    Pipeline(MQTTSubscriber(topic="venue/+/cue", qos=1, **creds(broker)), out).activate(scheduler=s)
    paho = paho_client(broker)
    sent = []

    def publish_when_subscribed():
        # wait until our subscriber's SUBSCRIBE has gone through, then paho publishes
        if not sent:
            paho.publish("venue/warmup/cue", b"warm", qos=1)
            if out.collected:
                for i in range(50):
                    for room in ("a", "b"):
                        paho.publish("venue/%s/cue" % room, b"%s%d" % (room.encode(), i), qos=1)
                paho.publish("venue/a/other", b"not for us", qos=1)
                paho.publish("venue/a/cue", b"end", qos=1)
                sent.append(True)
        return sent and out.collected and out.collected[-1] == b"end"

    try:
        assert run_until(s, publish_when_subscribed, 10)
    finally:
        paho.loop_stop()
        paho.disconnect()
    got = [p for p in out.collected if p != b"warm"]
    assert got[-1] == b"end"
    assert [p for p in got if p.startswith(b"a")] == [b"a%d" % i for i in range(50)]
    assert [p for p in got if p.startswith(b"b")] == [b"b%d" % i for i in range(50)]
    assert b"not for us" not in got
    assert all(isinstance(p, bytes) for p in got)


def test_retained_message_reaches_a_late_joiner_at_once_flagged_retained(broker):
    paho = paho_client(broker)
    paho.publish("venue/state", b"cue 12", qos=1, retain=True).wait_for_publish(5)
    paho.loop_stop()
    paho.disconnect()
    s = Scheduler()
    out = Collector()
    client = MQTTClient(subscriptions=[("venue/state", 1)], **creds(broker))
    Pipeline(client, out).activate(scheduler=s)
    assert run_until(s, lambda: out.collected, 5)
    m = out.collected[0]
    assert (m.topic, m.payload, m.retain) == ("venue/state", b"cue 12", True)


def test_client_inbox_publishes_to_topics_and_outbox_delivers_messages(broker):
    got = []
    paho = paho_client(broker, got, subscribe="x/#", qos=1)
    s = Scheduler()
    out = Collector()
    client = MQTTClient(subscriptions=["y/#"], qos=1, **creds(broker))
    src = DataSource([("x/1", b"one"), ("x/2", "two", 1, False), ("x/1", b"three")])
    src.link((src, "outbox"), (client, "inbox"))      # not its signal: the client stays up
    Pipeline(client, out).activate(scheduler=s)
    src.activate(scheduler=s)

    def step():
        if len(got) == 3 and not out.collected:
            paho.publish("y/z", b"back", qos=1)
        return out.collected

    try:
        assert run_until(s, step, 10)
    finally:
        paho.loop_stop()
        paho.disconnect()
    assert [(m.topic, m.payload) for m in got] == [("x/1", b"one"), ("x/2", b"two"), ("x/1", b"three")]
    assert (out.collected[0].topic, out.collected[0].payload) == ("y/z", b"back")


def test_wrong_password_is_reported_as_refused(broker):
    s = Scheduler()
    events = Collector()
    c = MQTTClient(host="127.0.0.1", port=broker.port, username=broker.user, password="wrong",
                   reconnect=False)
    c.link((c, "events"), (events, "inbox"))
    c.activate(scheduler=s)
    events.activate(scheduler=s)
    assert run_until(s, lambda: any(e[0] == "error" for e in events.collected), 5)
    errs = [e[1] for e in events.collected if e[0] == "error"]
    assert len(errs) == 1 and errs[0].startswith("connection refused by the broker: "), errs
    assert errs[0].endswith(("not authorized", "bad user name or password")), errs


def test_bad_messages_in_inbox_are_reported_and_the_rest_are_published(broker):
    got = []
    paho = paho_client(broker, got, subscribe="ok", qos=1)
    s = Scheduler()
    events = Collector()
    c = MQTTClient(qos=1, **creds(broker))
    c.link((c, "events"), (events, "inbox"))
    bad = [("bad/#", b"x"), ("ok",), ("ok", 12345), ("ok", b"x", 2, False)]
    Pipeline(DataSource([("ok", b"1")] + bad + [("ok", b"2")]), c).activate(scheduler=s)
    events.activate(scheduler=s)
    try:
        assert run_until(s, lambda: len(got) == 2 and c.dropped == 4, 10)
    finally:
        paho.loop_stop()
        paho.disconnect()
    assert [m.payload for m in got] == [b"1", b"2"]
    errs = [e[1] for e in events.collected if e[0] == "error"]
    assert len(errs) == len(bad) and all(e.startswith("not published: ") for e in errs), errs
    assert "wildcards are not allowed" in errs[0] and "qos must be 0 or 1" in errs[3]
    assert c.dropped == len(bad)
