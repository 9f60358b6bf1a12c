"""Under the real micropython binary: a handheld surtitles display. Signed sync datagrams made by
a CPython leader (argv[1]: a file of hex lines; argv[2]: the key) — or, run without arguments,
made here by the same portable SyncLeader — go through SyncFollowerComponent and
SubtitleDisplay, drawing on a framebuf canvas; forged ones are dropped.
Plain script: prints one line per frame (FRAME|version|cue|blackout|lit pixels|white box|text), then the forged count, then ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.displays.subtitle_display import SubtitleDisplay  # noqa: E402
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas  # noqa: E402
from kamaelia_lite.surtitles.sync_components import SyncFollowerComponent  # noqa: E402
from microaxon import Scheduler, component, producerFinished  # noqa: E402

WHITE = (255, 255, 255)


def unhex(s):
    out = bytearray()
    for i in range(0, len(s), 2):
        out.append(int(s[i:i + 2], 16))
    return bytes(out)


def local_datagrams(key):
    """Datagrams from a leader running here: two cues, a blackout, one forged datagram."""
    from kamaelia_lite.net.auth import DatagramAuthenticator
    from kamaelia_lite.surtitles.sync import SyncLeader, make_authenticator
    leader = SyncLeader(make_authenticator(key), epoch=3)
    intruder = SyncLeader(DatagramAuthenticator("wrong"), epoch=4)
    out = []
    states = [{"cue": "1", "version": 1, "texts": {"en": "Hello"}},
              {"cue": "2", "version": 2, "texts": {"en": "Bye"}},
              {"cue": "2", "version": 3, "texts": {}, "blackout": True}]
    for i in range(len(states)):
        out += leader.publish(states[i], float(i))
    out += intruder.publish({"cue": "X", "version": 9, "texts": {"en": "HACKED"}}, 5.0)
    return out


class Datagrams(component):
    def __init__(self, path=None, grams=None):
        super().__init__()
        self.path = path
        self.grams = grams

    def main(self):
        if self.grams is not None:
            for d in self.grams:
                self.send(d, "outbox")
                yield 1
        else:
            with open(self.path) as f:
                for line in f:
                    line = line.strip()
                    if line:
                        self.send(unhex(line), "outbox")
                        yield 1
        self.send(producerFinished(), "signal")


class CheckedDisplay(SubtitleDisplay):
    """Prints, right after each frame, what is on the canvas: lit pixels, the bounding box of
    the white ones, and the text the display reports."""

    def draw(self):
        super().draw()
        c = self.canvas
        xs = []
        ys = []
        lit = 0
        for y in range(c.height):
            for x in range(c.width):
                p = c.get_pixel(x, y)
                if p != (0, 0, 0):
                    lit += 1
                if p == WHITE:
                    xs.append(x)
                    ys.append(y)
        box = "%d,%d,%d,%d" % (min(xs), min(ys), max(xs), max(ys)) if xs else "-"
        st = self.state
        text = "\n".join(t for _, t in self.blocks(st)) if not st.get("blackout") else ""
        print("FRAME|%s|%s|%s|%d|%s|%s" % (st.get("version"), st.get("cue"), bool(st.get("blackout")),
                                          lit, box, text))


canvas = FramebufCanvas(160, 40)
standalone = len(sys.argv) < 3
key = "handheld-key" if standalone else sys.argv[2]
follower = SyncFollowerComponent(key=key)
display = CheckedDisplay(canvas, languages=["en"], size=8, margin=2)
src = Datagrams(grams=local_datagrams(key)) if standalone else Datagrams(path=sys.argv[1])
src.link((src, "outbox"), (follower, "inbox"))
src.link((src, "signal"), (follower, "control"))
follower.link((follower, "outbox"), (display, "inbox"))
follower.link((follower, "signal"), (display, "control"))
s = Scheduler()
for comp in (src, follower, display):
    comp.activate(s)
s.run()
print("FORGED", follower.follower.forged, "STALE", follower.follower.stale)
if standalone:
    check = follower.follower
    if not (check.forged == 1 and check.version == 3 and display.state.get("blackout")):
        raise AssertionError("standalone run: %r" % (check.stats(),))
print("ok")
