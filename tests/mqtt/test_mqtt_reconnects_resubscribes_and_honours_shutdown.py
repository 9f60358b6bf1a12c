"""Reconnect with back-off and subscribe again after the broker restarts; producerFinished and
shutdownMicroprocess end the components (and are passed on); a broker that is not there yet is
waited for."""
import threading
import time

from mqtt_helpers import make_tap, paho_client, run_until

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.mqtt import MQTTClient, MQTTPublisher, MQTTSubscriber
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess


def creds(b):
    return {"host": "127.0.0.1", "port": b.port, "username": b.user, "password": b.password,
            "backoff_min": 0.05, "backoff_max": 0.2}


def test_subscriber_resubscribes_on_a_new_session_after_the_broker_restarts(broker):
    s = Scheduler()
    out = Collector()
    events = Collector()
    sub = MQTTSubscriber(topic="room/#", qos=1, **creds(broker))    # clean session: nothing kept
    sub.link((sub, "events"), (events, "inbox"))
    Pipeline(sub, out).activate(scheduler=s)
    events.activate(scheduler=s)
    step = []

    def driver():
        def subscribed(n):
            return sum(1 for e in events.collected if e[0] == "subscribed") >= n
        while not subscribed(1):
            time.sleep(0.01)
        p = paho_client(broker)
        p.publish("room/1", b"before", qos=1).wait_for_publish(5)
        p.loop_stop()
        broker.stop()
        broker.start()
        while not subscribed(2):
            time.sleep(0.01)
        p = paho_client(broker)
        p.publish("room/2", b"after", qos=1).wait_for_publish(5)
        p.loop_stop()
        step.append(True)

    threading.Thread(target=driver, daemon=True).start()
    assert run_until(s, lambda: b"after" in out.collected, 15), (out.collected, events.collected)
    assert out.collected == [b"before", b"after"]
    kinds = [e[0] for e in events.collected]
    assert kinds.count("connected") == 2 and "disconnected" in kinds


def test_producer_finished_flushes_then_is_passed_on(broker):
    got = []
    paho = paho_client(broker, got, subscribe="f", qos=1)
    s = Scheduler()
    tap = make_tap()
    pub = MQTTPublisher(topic="f", qos=1, **creds(broker))
    Pipeline(DataSource([b"%d" % i for i in range(100)]), pub, tap).activate(scheduler=s)
    assert run_until(s, lambda: tap.got, 10)
    assert isinstance(tap.got[0], producerFinished)
    assert pub.conn.inflight == {} and pub.published == 100
    end = time.time() + 5
    while len(got) < 100 and time.time() < end:
        time.sleep(0.01)
    paho.loop_stop()
    assert len(got) == 100


def test_shutdown_stops_a_subscriber_at_once_and_is_passed_on(broker):
    s = Scheduler()
    tap = make_tap()
    sub = MQTTSubscriber(topic="x", **creds(broker))
    events = Collector()
    sub.link((sub, "events"), (events, "inbox"))

    class Stopper(component):
        def main(self):
            while not any(e[0] == "subscribed" for e in events.collected):
                self.pause(0.01)
                yield 1
            self.send(shutdownMicroprocess(), "outbox")

    st = Stopper()
    st.link((st, "outbox"), (sub, "control"))
    Pipeline(sub, tap).activate(scheduler=s)
    for c in (st, events):
        c.activate(scheduler=s)
    assert run_until(s, lambda: tap.got, 5)
    assert isinstance(tap.got[0], shutdownMicroprocess)
    assert sub.sock is None


def test_client_waits_for_a_broker_that_starts_later(broker):
    broker.stop()
    s = Scheduler()
    out = Collector()
    events = Collector()
    c = MQTTClient(subscriptions=[("late", 1)], **creds(broker))
    c.link((c, "outbox"), (out, "inbox"))
    c.link((c, "events"), (events, "inbox"))
    for x in (c, out, events):
        x.activate(scheduler=s)

    def later():
        time.sleep(0.5)
        broker.start()
        while not any(e[0] == "subscribed" for e in events.collected):
            time.sleep(0.01)
        p = paho_client(broker)
        p.publish("late", b"hello", qos=1).wait_for_publish(5)
        p.loop_stop()

    threading.Thread(target=later, daemon=True).start()
    assert run_until(s, lambda: out.collected, 10), events.collected
    refused = [e for e in events.collected if e[0] == "disconnected"]
    assert refused and "could not connect" in refused[0][1]
    assert out.collected[0].payload == b"hello"
