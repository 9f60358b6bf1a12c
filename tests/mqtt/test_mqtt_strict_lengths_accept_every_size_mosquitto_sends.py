"""The codec refuses a remaining length with needless bytes; a real broker's packets at every
boundary of the length's encoding (1, 2, 3 and 4 bytes) still arrive: mosquitto delivers what
paho-mqtt publishes, at QoS 0 and 1, to an MQTTClient."""
import time

from mqtt_helpers import paho_client, run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector
from microaxon import Scheduler

# remaining lengths at the edges of each encoded size; a delivery to us at QoS q carries
# 2 + len("len") + 2*q bytes besides the payload
EDGES = [7, 127, 128, 16383, 16384, 2097151, 2097152]


def test_deliveries_with_lengths_at_every_encoding_boundary_arrive(broker):
    s = Scheduler()
    out, events = Collector(), Collector()
    c = MQTTClient(port=broker.port, username=broker.user, password=broker.password,
                   subscriptions=[("len", 1)], max_packet=3 << 20)
    c.link((c, "outbox"), (out, "inbox"))
    c.link((c, "events"), (events, "inbox"))
    for x in (c, out, events):
        x.activate(scheduler=s)
    sizes = []
    for body in EDGES:
        for qos in (0, 1):
            n = body - 5 - 2 * qos
            if n >= 0:
                sizes.append((n, qos))
    paho = paho_client(broker)
    sent = []

    def go():
        if not sent and any(e[0] == "subscribed" for e in events.collected):
            for n, qos in sizes:
                paho.publish("len", b"%c" % (65 + qos) * n, qos=qos)
            sent.append(time.time())
        return len(out.collected) == len(sizes)

    try:
        assert run_until(s, go, 20), (len(out.collected), events.collected)
    finally:
        paho.loop_stop()
        paho.disconnect()
    assert [(len(m.payload), m.qos) for m in out.collected] == sizes
    assert not [e for e in events.collected if e[0] == "error"]
