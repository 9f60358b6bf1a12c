"""examples/mqtt_bridge.py joins two venues: venue A's leader multicasts signed states on its
group; a bridge takes them up to mosquitto, another brings them down as multicast on venue B's
group, where an unchanged multicast display shows the cue. Datagrams forged on venue A's LAN
are stopped at the first bridge (it has the key). Then the operator and display examples talk
through the broker with --mqtt."""
from common_helpers import free_udp_port
from mqtt_helpers import run_until
from surtitles_helpers import Proc, display_args, wait_until

from examples.mqtt_bridge import build, parse_args
from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.net.multicast import MulticastSender
from kamaelia_lite.surtitles.sync import SyncLeader
from kamaelia_lite.surtitles.sync_net import sync_multicast_follower, sync_multicast_leader
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component

KEY = "two venues"
LO = "127.0.0.1"


class Show(component):
    """Sends states one by one, each after the previous one was seen at venue B."""

    def __init__(self, states, seen):
        super().__init__()
        self.states = states
        self.seen = seen

    def main(self):
        for st in self.states:
            self.send(st, "outbox")
            while st not in self.seen.collected:
                self.pause(0.02)
                yield 1
        while True:
            self.pause()
            yield 1


def test_multicast_venue_to_mqtt_to_multicast_venue(broker, lo_multicast):  # noqa: F811
    pa, pb = free_udp_port(), free_udp_port()
    ga, gb = "239.255.77.1", "239.255.77.2"
    common = ["--interface", LO, "--mqtt", "127.0.0.1:%d" % broker.port, "--topic", "venues/show",
              "--mqtt-user", broker.user, "--mqtt-password", broker.password, "--key", KEY]
    up = build(parse_args(["up", "--multicast", "%s:%d" % (ga, pa)] + common))
    down = build(parse_args(["down", "--multicast", "%s:%d" % (gb, pb)] + common))
    s = Scheduler()
    seen = Collector()
    leader = sync_multicast_leader(KEY, ga, pa, LO)
    follower = sync_multicast_follower(KEY, gb, pb, LO)
    follower.link((follower, "outbox"), (seen, "inbox"))
    states = [{"cue": str(i), "text": {"en": "line %d" % i}} for i in range(5)]
    show = Show(states, seen)
    show.link((show, "outbox"), (leader, "inbox"))
    # someone on venue A's LAN without the key
    forger = SyncLeader(DatagramAuthenticator(b"wrong key"))
    fake = MulticastSender(ga, pa, LO)

    class Forge(component):
        def main(self):
            self.pause(0.3)
            yield 1
            self.send(forger.publish({"cue": "FORGED"}, 0.0)[0], "outbox")

    forge = Forge()
    forge.link((forge, "outbox"), (fake, "inbox"))
    for c in (up, down, seen, follower, leader, show, fake, forge):
        c.activate(scheduler=s)
    flt = up.childComponents()[1]
    assert run_until(s, lambda: states[-1] in seen.collected and flt.dropped, 15), seen.collected
    assert [st["cue"] for st in seen.collected] == [st["cue"] for st in states]
    assert flt.dropped == 1 and flt.passed >= len(states)


def test_operator_and_display_examples_follow_each_other_through_the_broker(broker):
    mq = ["--mqtt", "127.0.0.1:%d" % broker.port, "--mqtt-topic", "venue/test", "--mqtt-user", broker.user,
          "--mqtt-password", broker.password]
    op = Proc(["examples.surtitles.operator", "--key", "k"] + mq, stdin=True)
    procs = [op]
    try:
        assert wait_until(procs, lambda: any(ln.startswith("LIVE cue=") for ln in op.lines), 15), op.lines
        op.send("next")
        op.send("next")
        assert wait_until(procs, lambda: sum(ln.startswith("LIVE cue=") for ln in op.lines) >= 3, 10)
        live = [ln for ln in op.lines if ln.startswith("LIVE cue=")][-1].split()[1].split("=")[1]
        # the display starts after the cue was set: the retained state brings it
        disp = Proc(display_args("k", mq))
        procs.append(disp)
        assert wait_until(procs, lambda: any(f["cue"] == live for _, f in disp.shows()), 15), \
            (disp.lines, disp.stderr_text())
        op.send("next")
        assert wait_until(procs, lambda: disp.last_show()["cue"] not in (None, live), 10), disp.lines
    finally:
        for p in procs:
            p.stop()

