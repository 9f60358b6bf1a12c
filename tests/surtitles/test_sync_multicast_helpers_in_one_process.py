"""sync_multicast_leader / sync_multicast_follower (plain and reliable multicast on lo) carry the
states from a leader pipeline to a follower pipeline in one scheduler."""
import random

import pytest
from surtitles_helpers import free_udp_port

from kamaelia_lite.surtitles.sync_net import sync_multicast_follower, sync_multicast_leader
from microaxon import Scheduler, component, now, producerFinished, shutdownMicroprocess

KEY = b"in-process-key-0123"
STATES = [{"cue": str(i), "texts": {"en": "line %d" % i}} for i in range(1, 6)]


class Source(component):
    """After the follower has joined, sends STATES 30 ms apart; finishes when told (done)."""

    Inboxes = {"inbox": "unused", "control": "unused", "done": "the watcher saw the last state"}

    def main(self):
        self.pause(0.2)
        yield 1
        for s in STATES:
            self.send(s, "outbox")
            t = now() + 0.03
            while now() < t:
                self.pause(t - now())
                yield 1
        while not self.dataReady("done"):
            self.pause()
            yield 1
        self.send(producerFinished(self), "signal")


class Watcher(component):
    """Keeps the states that arrive; at the last one stops the follower and tells the source."""

    Outboxes = {"outbox": "unused", "signal": "unused", "stop": "to the follower", "done": "to the source"}

    def __init__(self, deadline, **argd):
        super().__init__(**argd)
        self.got = []
        self.deadline = deadline

    def main(self):
        end = now() + self.deadline
        while now() < end:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if self.got and self.got[-1] == STATES[-1]:
                break
            self.pause(end - now())
            yield 1
        self.send(shutdownMicroprocess(self), "stop")
        self.send("done", "done")
        while not self.dataReady("control"):
            self.pause()
            yield 1


@pytest.mark.parametrize("reliable", [False, True])
def test_states_travel_leader_to_follower(reliable):
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    port = free_udp_port()
    sched = Scheduler()
    leader = sync_multicast_leader(KEY, group, port, "127.0.0.1", snapshot_period=0.1, reliable=reliable)
    follower = sync_multicast_follower(KEY, group, port, "127.0.0.1", reliable=reliable)
    source, watcher = Source(), Watcher(10.0)
    source.link((source, "outbox"), (leader, "inbox"))
    source.link((source, "signal"), (leader, "control"))
    follower.link((follower, "outbox"), (watcher, "inbox"))
    follower.link((follower, "signal"), (watcher, "control"))
    watcher.link((watcher, "stop"), (follower, "control"))
    watcher.link((watcher, "done"), (source, "done"))
    for c in (follower, watcher, leader, source):
        c.activate(scheduler=sched)
    sched.run()
    assert watcher.got[-1] == STATES[-1]
    cues = [int(s["cue"]) for s in watcher.got]
    assert cues == sorted(set(cues))                 # only forward, never a repeat
    assert leader.finished() and follower.finished()
