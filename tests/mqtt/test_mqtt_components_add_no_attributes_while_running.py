"""A device's heap: MicroPython grows an instance's attribute table by reallocating it (600-750
contiguous bytes for an MQTT client), which a fragmented heap mid-run may not have. So every
component on the device path sets, when it is made, every attribute it will ever have: running
(connecting, waiting on the socket and on timers, relaying, dropping events nobody reads,
finishing) adds none. Checked here on CPython, whose kernel sets the same attributes."""
from mqtt_helpers import make_tap, paho_client, run_until

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
from kamaelia_lite.surtitles.sync_follow_components import SyncFollowerComponent
from kamaelia_lite.util import DataSource
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess


class _Upper(component):
    Outboxes = {"outbox": "", "signal": "", "stop": ""}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                m = self.recv("inbox")
                self.send(m.upper(), "outbox")
                if m == b"end":
                    self.send(producerFinished(), "signal")
                    self.send(shutdownMicroprocess(), "stop")
                    return
            self.pause()
            yield 1


def test_relay_pipeline_components_keep_the_attributes_they_were_made_with(broker):
    opts = {"host": "127.0.0.1", "port": broker.port, "username": broker.user, "password": broker.password}
    got = []
    paho = paho_client(broker, got, subscribe="relay/out", qos=1)
    try:
        s = Scheduler()
        sub = MQTTSubscriber(topic="relay/in", qos=1, **opts)
        up = _Upper()
        pub = MQTTPublisher(topic="relay/out", qos=1, **opts)
        up.link((up, "stop"), (sub, "control"))
        pipe = Pipeline(sub, up, pub)
        made = dict((c, set(vars(c))) for c in (sub, pub, pipe))
        pipe.activate(scheduler=s)
        sent = []

        def relayed():
            if not got:
                paho.publish("relay/in", b"probe", qos=1)
            elif not sent:
                for m in [b"cue %d" % i for i in range(20)] + [b"end"]:
                    paho.publish("relay/in", m, qos=1)
                sent.append(1)
            return pipe.finished()

        assert run_until(s, relayed, 10), "the relay did not finish"
        assert sub.received >= 21 and pub.published >= 21
        for c in made:
            assert set(vars(c)) - made[c] == set(), "%s grew attributes while running" % c.name
    finally:
        paho.loop_stop()
        paho.disconnect()


def test_sync_follower_keeps_the_attributes_it_was_made_with():
    s = Scheduler()
    f = SyncFollowerComponent(key=b"k", lost_after=0.05, heartbeat_period=0.02)   # timed pauses
    tap = make_tap()
    pipe = Pipeline(DataSource([b"not a datagram"] * 3), f, tap)
    made = set(vars(f))
    pipe.activate(scheduler=s)
    assert run_until(s, lambda: tap.got, 5)
    assert set(vars(f)) - made == set()
