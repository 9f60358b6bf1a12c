"""Under the real micropython binary: the same Teleprompter and Ticker components run on
the microaxon core and draw on a framebuf canvas. Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.displays.teleprompter import Teleprompter  # noqa: E402
from kamaelia_lite.displays.ticker import Ticker  # noqa: E402
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas  # noqa: E402
from microaxon import Scheduler, component, producerFinished  # noqa: E402

RED = (255, 0, 0)
WHITE = (255, 255, 255)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def ink(c, colour, y0=0, y1=None):
    n = 0
    for y in range(y0, c.height if y1 is None else y1):
        for x in range(c.width):
            if c.get_pixel(x, y) == colour:
                n += 1
    return n


# teleprompter: drawn frame, reading line, mirror, then played to the end and exits
c = FramebufCanvas(120, 60)
tp = Teleprompter(script="alpha beta gamma delta\n\n[[two]] epsilon zeta eta theta iota",
                  canvas=c, font_size=8, marker_colour=RED, reading_line=0.5,
                  show_status=False, speed=10, at_end="exit")
tp.canvas = c
tp.relayout()
tp.render()
check(c.get_pixel(0, 30) == RED and c.get_pixel(119, 30) == RED, "reading line marker")
check(ink(c, WHITE, 25, 35) > 10, "first line on the reading line")
check(ink(c, WHITE, 0, 20) == 0, "nothing above the first line")
left = sum(1 for x in range(0, 60) for y in range(60) if c.get_pixel(x, y) == WHITE)
tp.do("mirror x")
tp.render()
right = sum(1 for x in range(60, 120) for y in range(60) if c.get_pixel(x, y) == WHITE)
check(left > 0 and right == left, "mirrored text moved to the right half (%d, %d)" % (left, right))
tp.do("mirror none")
tp.do("jump two")
check(tp.doc.words[tp.word_index()] == "epsilon", "jump to marker")
tp.do("rewind")
tp.do("play")

s = Scheduler()
tp.activate(s)


class Feeder(component):
    def main(self):
        self.send("one two three four five six", "outbox")
        self.send(producerFinished(), "signal")
        yield 1


tc = FramebufCanvas(100, 40)
ticker = Ticker(canvas=tc, words_per_second=100, text_height=8, render_right=100, render_bottom=40,
                background_colour=(0, 0, 0), text_colour=WHITE)
f = Feeder()
f.link((f, "outbox"), (ticker, "inbox"))
f.link((f, "signal"), (ticker, "control"))
ticker.activate(s)
f.activate(s)
s.run()
check(tp.finished() and tp.pos == tp.last_line(), "teleprompter played to the end and exited")
check(tp.frames > 5, "frames drawn")
check(ticker.finished() and ticker.words_shown == 6, "ticker showed all words")
check(ink(tc, WHITE) > 30, "ticker text on the canvas")
print("ok")
