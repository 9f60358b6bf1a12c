"""Crawl: text moving smoothly right to left along a strip, news-channel style.

The other ticker mode besides Kamaelia's word-at-a-time box (``displays.ticker``): each text
message on ``inbox`` joins a tape that enters at the right edge and leaves at the left,
items separated by ``separator``. Movement is timer-driven: one frame per ``1/fps`` s, moved
by speed x elapsed time (so a late frame catches up instead of slowing the crawl), and the
component sleeps with no timer at all while paused or with nothing to show.

    Crawl(size=(800, 60), text_height=32).run()                 # pygame display service
    Crawl(canvas=FramebufCanvas(240, 24), text_height=16)        # MicroPython

Arguments (defaults): size=(800, 60), position=(0, 0) in the pygame window, canvas=None (draw
here instead), font=None, text_height=32, text_colour=(255, 255, 255),
background_colour=(0, 0, 0), speed=4 (a step 0..10 of ``CRAWL_CURVE``, text heights per
second), pixels_per_second=None (overrides the step), separator="  \u00b7  ", fps=50,
max_ahead=2 (take text from the inbox while less than this many strip widths wait to enter:
the rest waits in the bounded inbox).

Inboxes: ``inbox`` (text; ``"\\x00CLRTKR"`` clears, as for the ticker), ``commands`` (the
shared vocabulary, tuples or text lines: pause, play, toggle, speed N (0..10), faster /
slower, clear, status, quit), ``pausebox`` / ``unpausebox`` (any message), ``control``
(``shutdownMicroprocess`` stops at once; ``producerFinished`` lets the tape run out first,
or stops at once if paused).
Outboxes: ``outbox`` (status dicts, on ``status``), ``errors`` (``("error", line, message)``),
``signal`` (the shutdown message when finishing).

Portable: runs on MicroPython with a framebuf canvas.
"""
from kamaelia_lite.displays.strip import Strip
from kamaelia_lite.flow import take_ending
from microaxon import now, producerFinished

CLEAR = "\x00CLRTKR"
# speed step -> text heights per second
CRAWL_CURVE = (0.0, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0)


class Crawl(Strip):
    """Horizontal crawl (see the module docstring)."""

    Inboxes = {
        "inbox": "text to crawl",
        "commands": "commands (tuples or text lines, kamaelia_lite.surtitles.commands)",
        "pausebox": "any message pauses the crawl",
        "unpausebox": "any message resumes it",
        "control": "shutdown: producerFinished (run the tape out) or shutdownMicroprocess",
    }
    Outboxes = {
        "outbox": "status dicts, in answer to the status command",
        "errors": "('error', line, message) for a command that could not be done",
        "signal": "the shutdown message, when finishing",
    }

    size = (800, 60)
    position = (0, 0)
    text_height = 32
    text_colour = (255, 255, 255)
    background_colour = (0, 0, 0)
    speed = 4
    pixels_per_second = None
    separator = "  \u00b7  "
    fps = 50
    max_ahead = 2
    what = "crawl"

    def __init__(self, **argd):
        super().__init__(**argd)
        self.step = max(0, min(10, int(self.speed)))
        self.paused = False
        self.items = []          # [text, x, width, advance]: x of its left edge on the strip;
        #                          advance: width of text + separator (where the next starts)
        self.offset = 0.0        # sub-pixel part of the movement still to apply
        self.frames = 0

    # -- the tape ---------------------------------------------------------------------------
    def velocity(self):
        """Pixels per second the tape moves left now (0 when paused)."""
        if self.paused:
            return 0.0
        if self.pixels_per_second is not None:
            return float(self.pixels_per_second)
        return CRAWL_CURVE[self.step] * self.text_height

    def tail(self):
        """x just after the last item (where the next one starts), at least the right edge."""
        w = self.canvas.width
        if not self.items:
            return w
        last = self.items[-1]
        return max(w, last[1] + last[3])

    def waiting_width(self):
        """Pixels of tape not yet on the strip."""
        if not self.items:
            return 0
        last = self.items[-1]
        return max(0, last[1] + last[2] - self.canvas.width)

    def add(self, text):
        """Put ``text`` at the end of the tape (a clear message empties it)."""
        if not isinstance(text, str):
            try:
                text = bytes(text).decode("utf-8", "replace")
            except TypeError:
                text = str(text)
        if text == CLEAR:
            self.items = []
            self.offset = 0.0
            return
        text = " ".join(text.split())
        if text:
            h = self.text_height
            m = self.canvas.text_width
            # where the next item starts: after the separator, as if drawn in one string
            self.items.append([text, self.tail(), m(text, h), m(text + self.separator + "x", h) - m("x", h)])

    def advance(self, dt):
        """Move the tape on by ``dt`` seconds at the current speed (also used by tests)."""
        self.offset += self.velocity() * dt
        move = int(self.offset)
        if not move:
            return
        self.offset -= move
        for item in self.items:
            item[1] -= move
        while self.items and self.items[0][1] + self.items[0][2] <= 0:
            self.items.pop(0)           # gone past the left edge

    def render(self):
        """Draw the strip and present it."""
        c = self.canvas
        c.fill(self.background_colour)
        y = (c.height - c.line_height(self.text_height)) // 2
        sep = self.separator
        n = len(self.items)
        for i in range(n):
            text, x, w, adv = self.items[i]
            if x >= c.width:
                break
            # an item and the separator after it are drawn as one string: exact spacing
            c.text(text + sep if i + 1 < n else text, x, y, self.text_colour, self.text_height)
        c.present()
        self.frames += 1

    # -- commands ---------------------------------------------------------------------------
    def status(self):
        """A dict describing the state (what the status command reports)."""
        return {"speed": self.step, "paused": self.paused, "items": len(self.items),
                "pixels_per_second": self.velocity()}

    def command(self, name, cmd):
        """The crawl's own commands: speed N (0..10), speed_by N, clear, status."""
        if name in ("speed", "speed_by"):
            n = int(cmd[1]) + (self.step if name == "speed_by" else 0)
            if n < 0 and name == "speed":
                self.send(("error", cmd, "the crawl moves one way: speed 0..10"), "errors")
            else:
                self.step = max(0, min(10, n))
                self.pixels_per_second = None
        elif name == "clear":
            self.add(CLEAR)
        elif name == "status":
            self.send(self.status(), "outbox")
        else:
            return False
        return True

    # -- component --------------------------------------------------------------------------
    def main(self):
        self.canvas = self._make_canvas(self.size)
        self.render()
        frame = 1.0 / self.fps
        last = now()
        was_moving = False
        ending = None
        try:
            while True:
                ending = self.take_commands(ending)
                limit = self.max_ahead * self.canvas.width
                while self.dataReady("inbox") and self.waiting_width() < limit:
                    self.add(self.recv("inbox"))
                ending = take_ending(self, ending)
                if self.stop_now(ending):
                    break
                t = now()
                if was_moving:
                    self.advance(min(t - last, 0.25))
                last = t
                was_moving = bool(self.items) and self.velocity() > 0
                self.render()
                if ending is not None and not self.items and not self.dataReady("inbox"):
                    break
                if was_moving:
                    self.pause(frame)
                else:
                    self.pause()        # nothing moves: sleep until a message arrives
                yield 1
            self.send(ending if ending is not None else producerFinished(self), "signal")
        finally:
            self._release()
