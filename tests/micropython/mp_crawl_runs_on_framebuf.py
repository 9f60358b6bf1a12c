"""Under the real micropython binary: the Crawl
display moves text left across a framebuf strip by speed x time (pixels read back), pauses,
and as a component crawls on its frame timer until the tape runs out, then finishes.
Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.displays.crawl import Crawl  # noqa: E402
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas  # noqa: E402
from microaxon import Scheduler, component, producerFinished  # noqa: E402

WHITE = (255, 255, 255)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def ink(c):
    pts = []
    for y in range(c.height):
        for x in range(c.width):
            if c.get_pixel(x, y) == WHITE:
                pts.append((x, y))
    return pts


for mono in (False, True):
    c = FramebufCanvas(96, 12, mono=mono)
    cr = Crawl(canvas=c, text_height=8, pixels_per_second=30)
    cr.canvas = c
    cr.add("NEWS \u00e9t\u00e9")
    cr.render()
    check(ink(c) == [], "starts beyond the right edge")
    cr.advance(1.0)
    cr.render()
    first = ink(c)
    check(first and min([p[0] for p in first]) == 66, "entered 30 px after 1 s")
    cr.do("pause")
    cr.advance(1.0)
    cr.render()
    check(ink(c) == first, "paused: nothing moves")
    cr.do("play")
    cr.advance(0.5)
    cr.render()
    moved = [p for p in ink(c) if p[0] < 96 - 15]
    want = [(p[0] - 15, p[1]) for p in first]
    moved.sort()
    want.sort()
    check(moved == want, "moved 15 px left, same pixels")

s = Scheduler()
c = FramebufCanvas(96, 12)
cr = Crawl(canvas=c, text_height=8, pixels_per_second=600, fps=100)


class Feeder(component):
    def main(self):
        self.send("one", "outbox")
        self.send("two", "outbox")
        self.send(producerFinished(), "signal")
        yield 1


f = Feeder()
f.link((f, "outbox"), (cr, "inbox"))
f.link((f, "signal"), (cr, "control"))
cr.activate(s)
f.activate(s)
s.run()
check(cr.finished() and cr.items == [], "tape ran out, then the crawl finished")
check(cr.frames > 5, "frames drawn: %d" % cr.frames)
check(ink(c) == [], "strip empty at the end")
print("ok")
