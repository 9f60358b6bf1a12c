"""QoS 1 across a broker crash: mosquitto (persistence on) is killed with SIGKILL mid-stream and
restarted; the publisher and the persistent-session subscriber reconnect by themselves, every
message arrives, and the copies that arrive twice are flagged (DUP) or are our own DUP resends."""
import threading
import time

from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTClient, MQTTPublisher
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component

N = 400


class Paced(component):
    """Once ``ready()``, sends ``msgs`` one every ``gap`` seconds, waiting when the destination
    is full."""

    gap = 0.004

    def __init__(self, msgs, ready, **argd):
        super().__init__(**argd)
        self.msgs = msgs
        self.ready = ready

    def main(self):
        while not self.ready():
            self.pause(0.01)
            yield 1
        for m in self.msgs:
            while not self.hasSpace("outbox"):
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(m, "outbox")
            self.pause(self.gap)
            yield 1
        while True:                      # stay up: the publisher must not be told to finish
            self.pause()
            yield 1


def test_no_message_lost_and_duplicates_flagged_across_kill_9(broker):
    creds = {"host": "127.0.0.1", "port": broker.port, "username": broker.user, "password": broker.password,
             "backoff_min": 0.05, "backoff_max": 0.3, "keepalive": 5}
    s = Scheduler()
    got = Collector()
    sub_events = Collector()
    sub = MQTTClient(client_id="crash-sub", clean_session=False, subscriptions=[("stream/#", 1)], **creds)
    sub.link((sub, "outbox"), (got, "inbox"))
    sub.link((sub, "events"), (sub_events, "inbox"))
    msgs = [b"%05d" % i for i in range(N)]
    # (the stream starts once the subscription is in place: a message the broker gets before the
    # SUBSCRIBE has no subscriber to go to)
    src = Paced(msgs, lambda: any(e[0] == "subscribed" for e in sub_events.collected))
    pub = MQTTPublisher(topic="stream/a", qos=1, client_id="crash-pub", **creds)
    pub_events = Collector()
    src.link((src, "outbox"), (pub, "inbox"))
    pub.link((pub, "events"), (pub_events, "inbox"))
    for c in (got, sub_events, sub, pub_events, pub, src):
        c.activate(scheduler=s)

    crashed = []

    def crash():
        while len(got.collected) < N // 3:
            time.sleep(0.005)
        broker.kill()
        crashed.append(len(got.collected))
        time.sleep(0.5)
        broker.start()

    t = threading.Thread(target=crash, daemon=True)
    t.start()
    payloads = lambda: set(m.payload for m in got.collected)    # noqa: E731
    done = run_until(s, lambda: crashed and len(payloads()) == N, 30)
    t.join(5)
    assert crashed, "the broker was never killed"
    missing = sorted(set(msgs) - payloads())
    assert done and not missing, "lost %d messages: %r..." % (len(missing), missing[:10])
    # both sides noticed the crash and came back by themselves
    for ev in (sub_events.collected, pub_events.collected):
        kinds = [e[0] for e in ev]
        assert kinds.count("connected") >= 2 and "disconnected" in kinds, ev
    # duplicates: a copy seen before is either flagged DUP by the broker (a redelivery), or comes
    # from one of our publisher's own DUP resends (which the broker forwards as new messages)
    seen = set()
    unflagged = 0
    for m in got.collected:
        if m.payload in seen and not m.dup:
            unflagged += 1
        seen.add(m.payload)
    assert unflagged <= pub.conn.resent, (unflagged, pub.conn.resent)
    print("received %d copies of %d messages; DUP-flagged %d; publisher resent %d" % (
        len(got.collected), N, sum(1 for m in got.collected if m.dup), pub.conn.resent))
