"""With 40% of the sync datagrams dropped by a real nftables rule, followers still end on the
operator's latest state (quick repeats + periodic snapshots), moving only forward."""
import random

from common_helpers import dropped
from surtitles_helpers import free_udp_port

from kamaelia_lite.surtitles.sync_net import sync_multicast_follower, sync_multicast_leader
from microaxon import Scheduler, component, now, producerFinished, shutdownMicroprocess

KEY = b"lossy-network-key"
STATES = [{"cue": str(i), "texts": {"en": "line %d" % i}} for i in range(1, 16)]


class Operator(component):
    """Sends STATES 40 ms apart (after the followers joined), then waits to be told to end."""

    Inboxes = {"inbox": "unused", "control": "unused", "done": "all followers are on the last state"}

    def main(self):
        self.pause(0.2)
        yield 1
        for s in STATES:
            self.send(s, "outbox")
            end = now() + 0.04
            while now() < end:
                self.pause(end - now())
                yield 1
        while not self.dataReady("done"):
            self.pause()
            yield 1
        self.send(producerFinished(self), "signal")


class Followers(component):
    """Collects each follower's states (one inbox each); when all show the last state, or after
    the deadline, stops the followers and tells the operator."""

    def __init__(self, n, deadline, **argd):
        super().__init__(**argd)
        self.n = n
        self.deadline = deadline
        self.got = [[] for _ in range(n)]
        self.inboxes = [self.addInbox("f") for _ in range(n)]
        self.stops = [self.addOutbox("stop") for _ in range(n)]
        self.addOutbox("done")

    def main(self):
        end = now() + self.deadline
        while now() < end:
            for i, box in enumerate(self.inboxes):
                while self.dataReady(box):
                    self.got[i].append(self.recv(box))
            if all(g and g[-1] == STATES[-1] for g in self.got):
                break
            self.pause(end - now())
            yield 1
        for box in self.stops:
            self.send(shutdownMicroprocess(self), box)
        self.send("done", "done")


def test_followers_converge_despite_40_percent_loss(udp_loss):
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    port = free_udp_port()
    table = udp_loss(port, 40)
    sched = Scheduler()
    leader = sync_multicast_leader(KEY, group, port, "127.0.0.1", snapshot_period=0.1)
    followers = [sync_multicast_follower(KEY, group, port, "127.0.0.1") for _ in range(3)]
    op = Operator()
    watch = Followers(len(followers), deadline=10.0)
    op.link((op, "outbox"), (leader, "inbox"))
    op.link((op, "signal"), (leader, "control"))
    watch.link((watch, "done"), (op, "done"))
    for f, inbox, stop in zip(followers, watch.inboxes, watch.stops):
        f.link((f, "outbox"), (watch, inbox))
        watch.link((watch, stop), (f, "control"))
    for c in followers + [watch, leader, op]:
        c.activate(scheduler=sched)
    sched.run()
    assert dropped(table) >= 3                                  # the network really lost datagrams
    for got in watch.got:
        assert got[-1] == STATES[-1]
        cues = [int(s["cue"]) for s in got]
        assert cues == sorted(set(cues))                        # never backwards, never twice
