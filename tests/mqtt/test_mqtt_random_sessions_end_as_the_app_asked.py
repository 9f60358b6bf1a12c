"""Random MQTT client sessions against a model broker (sans-IO: the codec's bytes are parsed
here, the broker's answers fed back): publishes at QoS 0 and 1, subscribes and unsubscribes,
connections that break with packets half-delivered or unanswered, reconnections with a clean or
a kept session. After a last quiet reconnection, whatever happened:
- every QoS 1 message the app published reached the broker at least once, and none is left in
  flight;
- the broker's subscriptions for this client are exactly the filters the app asked for last;
- the codec never reported an error, and never had two packets in flight with one packet id.
"""
import random

import pytest
from mqtt_helpers import client_packets

from kamaelia_lite.net.mqtt_codec import CONNECTED, MQTTConnection

FILTERS = ["show/cue", "show/+/lights", "venue/#", "a", "b"]


class Broker:
    """What a broker keeps for one client: its session's subscriptions, and what it received."""

    def __init__(self):
        self.session = None               # the kept subscriptions (set), or None: no session
        self.subs = set()
        self.received = set()             # payloads of QoS 1 publishes received
        self.clean = True

    def connect(self, data):
        kind, _, body = client_packets(data)[0]
        assert kind == 1
        self.clean = bool(body[7] & 2)
        present = not self.clean and self.session is not None
        self.subs = self.session if present else set()
        if not self.clean:
            self.session = self.subs
        else:
            self.session = None
        return bytes((0x20, 2, 1 if present else 0, 0))

    def take(self, data, answer):
        """Handle the client's packets; returns the answers (all of them if answer, else none:
        the connection breaks before they go out)."""
        out = b""
        for kind, flags, body in client_packets(data):
            pid = (body[0] << 8) | body[1] if len(body) > 1 else 0
            if kind == 3:                                   # PUBLISH
                n = (body[0] << 8) | body[1]
                qos = (flags >> 1) & 3
                if qos:
                    p = (body[2 + n] << 8) | body[3 + n]
                    self.received.add(bytes(body[4 + n:]))
                    out += bytes((0x40, 2, p >> 8, p & 255))
            elif kind in (8, 10):                           # SUBSCRIBE / UNSUBSCRIBE
                k, granted = 2, b""
                while k < len(body):
                    n = (body[k] << 8) | body[k + 1]
                    f = body[k + 2:k + 2 + n].decode()
                    k += 2 + n
                    if kind == 8:
                        self.subs.add(f)
                        granted += body[k:k + 1]
                        k += 1
                    else:
                        self.subs.discard(f)
                out += (bytes((0x90, 2 + len(granted), pid >> 8, pid & 255)) + granted if kind == 8
                        else bytes((0xB0, 2, pid >> 8, pid & 255)))
            elif kind == 12:                                # PINGREQ
                out += b"\xd0\x00"
        return out if answer else b""


def exchange(c, broker, rng, now, quiet=False):
    """Send what the client has; feed back the broker's answers (or lose them, or break)."""
    for _ in range(4):
        data = c.take()
        if not data:
            return True
        answer = quiet or rng.random() < 0.8
        reply = broker.take(data, answer)
        if not answer:
            return False                  # the connection broke before the answers came
        for ev in c.receive(reply, now):
            assert ev[0] != "error", ev
    return True


def connect(c, broker, now):
    c.connection_lost()
    first = c.connect(now)
    events = c.receive(broker.connect(first), now)
    assert events and events[0][0] == "connected", events
    return events[0][1]


@pytest.mark.parametrize("seed", range(40))
def test_a_random_session_ends_with_the_broker_holding_what_the_app_asked(seed):
    rng = random.Random(seed)
    broker = Broker()
    c = MQTTConnection("desk-%d" % seed, clean_session=rng.random() < 0.4, max_inflight=8)
    published = set()
    n = 0
    connect(c, broker, 0.0)
    for step in range(150):
        now = float(step)
        r = rng.random()
        if r < 0.35:
            qos = 1 if rng.random() < 0.7 else 0
            if c.can_publish(qos) or (qos and c.state != CONNECTED and len(c.inflight) < c.max_inflight):
                n += 1
                payload = b"m%d" % n
                c.publish("show/cue", payload, qos)
                if qos:
                    published.add(payload)
        elif r < 0.5:
            c.subscribe([(rng.choice(FILTERS), rng.randrange(2))])
        elif r < 0.6:
            c.unsubscribe([rng.choice(FILTERS)])
        elif r < 0.7 and c.state == CONNECTED:
            c.connection_lost()           # the socket broke
        elif r < 0.8 and c.state != CONNECTED:
            connect(c, broker, now)
        if c.state == CONNECTED and not exchange(c, broker, rng, now):
            c.connection_lost()
        pids = [p for p in c.inflight] + [p for p in c._pending]
        assert len(pids) == len(set(pids)), pids
    connect(c, broker, 1000.0)            # a last, quiet connection: everything gets through
    assert exchange(c, broker, rng, 1000.0, quiet=True)
    assert exchange(c, broker, rng, 1000.0, quiet=True)
    assert c.inflight == {} and published <= broker.received
    assert broker.subs == set(c.subs), (broker.subs, c.subs)
