"""A consumer that stops taking messages for several keepalive periods: the subscriber stops
reading (backpressure), keeps the connection (no false 'dead broker', and the broker keeps
hearing a PINGREQ every keepalive, so it does not drop us either), and delivers every message
in order once the consumer drains again."""
import time

import pytest
from mqtt_helpers import paho_client, run_until

from kamaelia_lite.net.mqtt import MQTTSubscriber
from microaxon import Scheduler, component

N = 3000


class Sleepy(component):
    """Takes nothing for ``nap`` seconds after the first message arrives, then drains."""

    nap = 3.0

    def __init__(self):
        super().__init__()
        self.got = []

    def main(self):
        while not self.dataReady("inbox"):
            self.pause()
            yield 1
        end = time.monotonic() + self.nap
        while time.monotonic() < end:         # messages arriving wake us: sleep on
            self.pause(end - time.monotonic())
            yield 1
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            self.pause()
            yield 1


# mosquitto drops a client it has not heard from for 1.5 keepalives, looking every few seconds
# (a silent client with keepalive 1 was dropped after 5.8 s here): 8 s is past that.
@pytest.mark.parametrize("nap", [3.0, 8.0])
def test_stalled_consumer_does_not_drop_the_connection_or_messages(broker, nap):
    s = Scheduler()
    sub = MQTTSubscriber(port=broker.port, topic="slow", qos=1, keepalive=1, username=broker.user,
                         password=broker.password)
    sleepy = Sleepy()
    sleepy.nap = nap
    events = []

    class Ev(component):
        def main(self):
            while True:
                while self.dataReady("inbox"):
                    events.append(self.recv("inbox"))
                self.pause()
                yield 1

    ev = Ev()
    sub.link((sub, "outbox"), (sleepy, "inbox"))
    sub.link((sub, "events"), (ev, "inbox"))
    for c in (sub, sleepy, ev):
        c.activate(scheduler=s)
    paho = paho_client(broker)
    sent = []

    def cond():
        if not sent and any(e[0] == "subscribed" for e in events):
            for i in range(N):
                paho.publish("slow", b"%06d" % i + b"." * 200, qos=1)
            sent.append(True)
        return len(sleepy.got) == N

    try:
        assert run_until(s, cond, 20 + nap), (len(sleepy.got), events)
    finally:
        paho.loop_stop()
    assert [e[0] for e in events] == ["connected", "subscribed"], events
    assert [p[:6] for p in sleepy.got] == [b"%06d" % i for i in range(N)]
