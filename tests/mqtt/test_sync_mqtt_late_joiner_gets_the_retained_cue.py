"""Surtitles over MQTT: the leader publishes its signed state retained; a display that joins late
gets the current cue at once from the retained message (long before the leader's next snapshot);
a datagram forged by someone with broker access (but not the key) is rejected."""
import time

from mqtt_helpers import paho_client, run_until

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.sync import SyncLeader
from kamaelia_lite.surtitles.sync_mqtt import sync_mqtt_follower, sync_mqtt_leader
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component

KEY = b"show key"
TOPIC = "show/hamlet/state"


class States(component):
    """Sends ``states`` and then stays up (the leader keeps publishing snapshots)."""

    def __init__(self, states):
        super().__init__()
        self.states = states

    def main(self):
        for st in self.states:
            self.send(st, "outbox")
        while True:
            self.pause()
            yield 1


def creds(b):
    return {"username": b.user, "password": b.password}


def test_late_display_gets_the_current_cue_from_the_retained_message(broker):
    s = Scheduler()
    leader = sync_mqtt_leader(KEY, "127.0.0.1", broker.port, TOPIC, snapshot_period=60, **creds(broker))
    feed = States([{"cue": "1"}, {"cue": "2"}, {"cue": "3"}])
    feed.link((feed, "outbox"), (leader, "inbox"))
    pub = leader.childComponents()[1]          # the MQTTPublisher
    shown = Collector()
    joined = []

    def join_late():
        follower = sync_mqtt_follower(KEY, "127.0.0.1", broker.port, TOPIC, **creds(broker))
        follower.link((follower, "outbox"), (shown, "inbox"))
        follower.activate(scheduler=s)
        joined.append((time.monotonic(), follower))

    def cond():
        if not joined and pub.published == 3 and not pub.conn.inflight:
            s.callFromThread(join_late)
            joined.append(None)          # asked once
        return shown.collected

    for c in (leader, feed, shown):
        c.activate(scheduler=s)
    started = time.monotonic()
    assert run_until(s, cond, 10), "the late display never showed a cue"
    # the leader's next snapshot is 60 s away: only the retained message can have brought it
    assert shown.collected == [{"cue": "3"}]
    assert time.monotonic() - started < 60


def test_forged_retained_datagram_is_rejected_and_the_real_cue_shown(broker):
    forger = SyncLeader(DatagramAuthenticator(b"not the key"))
    paho = paho_client(broker)
    paho.publish(TOPIC, forger.publish({"cue": "FORGED"}, 0.0)[0], qos=1, retain=True).wait_for_publish(5)
    s = Scheduler()
    follower = sync_mqtt_follower(KEY, "127.0.0.1", broker.port, TOPIC, **creds(broker))
    fc = follower.childComponents()[1]
    shown, rejected = Collector(), Collector()
    follower.link((follower, "outbox"), (shown, "inbox"))
    fc.link((fc, "rejected"), (rejected, "inbox"))
    for c in (follower, shown, rejected):
        c.activate(scheduler=s)
    leader = SyncLeader(DatagramAuthenticator(KEY))
    sent = []

    def cond():
        if rejected.collected and not sent:
            paho.publish(TOPIC, leader.publish({"cue": "real"}, 0.0)[0], qos=1, retain=True)
            sent.append(True)
        return shown.collected

    try:
        assert run_until(s, cond, 10)
    finally:
        paho.loop_stop()
    assert rejected.collected[0][1] == "forged"
    assert shown.collected == [{"cue": "real"}]
