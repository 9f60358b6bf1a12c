"""Two teleprompters with different sizes and fonts (so different line breaks) synced through the
sync layer over multicast on lo: the follower shows the same WORD as the leader while scrolling
and after a jump — content position, not scroll fraction."""
import random

from surtitles_helpers import free_udp_port

from kamaelia_lite.displays.teleprompter import Teleprompter
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.surtitles.sync_net import sync_multicast_follower, sync_multicast_leader
from microaxon import Scheduler, component, now, shutdownMicroprocess

WORDS = " ".join("word%d" % i for i in range(150))
SCRIPT = WORDS + "\n\n[[mid]] " + " ".join("later%d" % i for i in range(150))


class Checker(component):
    """Samples both positions while scrolling, jumps the leader to a marker, samples again,
    then stops everything."""

    Outboxes = {"outbox": "unused", "signal": "unused", "to_leader": "commands for the leader",
                "stop1": "", "stop2": "", "stop3": "", "stop4": ""}

    def __init__(self, leader, follower, **argd):
        super().__init__(**argd)
        self.leader = leader
        self.follower = follower
        self.samples = []

    def wait(self, seconds):
        end = now() + seconds
        while now() < end:
            self.pause(end - now())
            yield 1

    def sample(self):
        self.samples.append((self.leader.word_position(), self.follower.word_position()))

    def main(self):
        yield from self.wait(0.7)
        self.sample()
        yield from self.wait(0.3)
        self.sample()
        self.send("jump mid", "to_leader")
        yield from self.wait(0.4)
        self.sample()
        for box in ("stop1", "stop2", "stop3", "stop4"):
            self.send(shutdownMicroprocess(), box)


def test_followers_with_other_layouts_show_the_same_word():
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    port = free_udp_port()
    key = b"prompter-key-1234"
    sched = Scheduler()
    lead = Teleprompter(script=SCRIPT, canvas=PygameCanvas(size=(420, 300)), font_size=22, speed=9,
                        playing=True, show_status=False, keys=False)
    follow = Teleprompter(script=SCRIPT, canvas=PygameCanvas(size=(220, 420)), font_size=14, speed=0,
                          playing=False, show_status=False, keys=False)
    lpipe = sync_multicast_leader(key, group, port, "127.0.0.1", snapshot_period=0.2)
    fpipe = sync_multicast_follower(key, group, port, "127.0.0.1")
    lead.link((lead, "position"), (lpipe, "inbox"))
    fpipe.link((fpipe, "outbox"), (follow, "commands"))
    checker = Checker(lead, follow)
    checker.link((checker, "to_leader"), (lead, "commands"))
    for box, target in (("stop1", lead), ("stop2", follow), ("stop3", lpipe), ("stop4", fpipe)):
        checker.link((checker, box), (target, "control"))
    for c in (fpipe, follow, lpipe, lead, checker):
        c.activate(scheduler=sched)
    sched.run()
    assert len(follow.lines) != len(lead.lines)                 # really different layouts
    (l1, f1), (l2, f2), (l3, f3) = checker.samples
    assert l2 > l1 + 3                                          # the leader is scrolling
    for lw, fw in checker.samples:
        assert abs(lw - fw) <= 3.0, checker.samples             # same word, give or take
    mid = lead.doc.words.index("later0")
    assert mid - 1 <= l3 <= mid + 25 and mid - 1 <= f3 <= mid + 25   # both jumped, scrolling on
