"""When the follower says the leader is lost, the display redraws the same text with a small
mark in the top-right corner; when the leader is heard again the mark goes; a blackout stays
all black even while lost."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.surtitles.signal_lost import MARK_COLOUR, mark_box  # noqa: E402
from kamaelia_lite.surtitles.signal_lost_components import MarkedSubtitleDisplay, SignalLostMarker  # noqa: E402
from microaxon import Scheduler, component, producerFinished  # noqa: E402

CUE = {"cue": "4", "version": 1, "texts": {"en": "Seven years"}, "blackout": False}
BLACK = {"cue": "4", "version": 2, "texts": {}, "blackout": True}


class Script(component):
    Outboxes = {"outbox": "states", "leader": "signals", "signal": "end"}

    def __init__(self, steps):
        super().__init__()
        self.steps = steps

    def main(self):
        for box, msg in self.steps:
            self.send(msg, box)
            for _ in range(5):
                yield 1
        self.send(producerFinished(self), "signal")


class Recording(MarkedSubtitleDisplay):
    def draw(self):
        super().draw()
        x, y, w, h = mark_box(self.canvas.width, self.canvas.height)
        mark = self.canvas.get_pixel(x + w // 2, y + h // 2)[:3] == MARK_COLOUR
        lit = any(self.canvas.get_pixel(px, py)[:3] != (0, 0, 0)
                  for px in range(0, self.canvas.width, 2) for py in range(0, self.canvas.height, 2))
        self.seen.append((self.state.get("cue"), bool(self.state.get("blackout")), mark, lit))


def run(steps):
    script = Script(steps)
    marker = SignalLostMarker()
    display = Recording(PygameCanvas(size=(320, 80)), languages=["en"], size=16)
    display.seen = []
    script.link((script, "outbox"), (marker, "inbox"))
    script.link((script, "leader"), (marker, "leader"))
    script.link((script, "signal"), (marker, "control"))
    marker.link((marker, "outbox"), (display, "inbox"))
    marker.link((marker, "signal"), (display, "control"))
    s = Scheduler()
    for c in (script, marker, display):
        c.activate(s)
    s.run()
    return display.seen[1:]                   # [0] is the display's first, empty frame


def test_the_lost_mark_comes_and_goes_and_the_text_stays():
    seen = run([("outbox", CUE), ("leader", ("signal", "lost")), ("leader", ("signal", "found"))])
    assert seen == [("4", False, False, True), ("4", False, True, True), ("4", False, False, True)]


def test_a_blackout_stays_black_while_the_leader_is_lost():
    seen = run([("outbox", BLACK), ("leader", ("signal", "lost"))])
    assert seen == [("4", True, False, False), ("4", True, False, False)]
