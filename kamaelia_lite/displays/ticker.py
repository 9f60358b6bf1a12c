"""Ticker: text from the inbox shown a word at a time, wrapping and scrolling up a line
when the bottom is reached (Kamaelia's ``Kamaelia.UI.Pygame.Ticker`` contract).

Keyword arguments and defaults are Kamaelia's, so old programs look the same:

- text_height=39 (font size), line_spacing=text_height/7
- background_colour=(128, 48, 128), text_colour=(232, 232, 48),
  outline_colour=background_colour, outline_width=1
- position=(1, 1) (top-left in the window), render_left=1, render_top=1,
  render_right=399, render_bottom=299 (the ticker surface is render_right x render_bottom)
- words_per_second=8 (a parameter here; Kamaelia fixed it at 8)
- max_pending=512: text is taken from the inbox only while fewer words than this wait to
  be shown (the rest waits in the bounded inbox: a sender meets back-pressure, the ticker's
  memory stays bounded however much is sent)
- font=None (pygame's default font; a file name; "bitmap" for the built-in font)
- canvas=None: draw on this canvas instead of a surface from the pygame display service
  (this is how it runs on MicroPython: ``Ticker(canvas=FramebufCanvas(...))``)

Inboxes: ``inbox`` text (lines; a message is split into words, a newline starts a new
line; ``"\\x00CLRTKR"`` clears), ``control`` shutdown, ``pausebox`` / ``unpausebox`` (any
message pauses / resumes; text keeps being buffered), ``alphacontrol`` (0..255, pygame),
``commands`` (the shared vocabulary: pause, play, toggle, clear, speed N = words per second
when N > 0, quit; tuples or text lines).
Outboxes: ``outbox`` (unused), ``signal`` (the shutdown message when finishing),
``errors`` (``("error", line, message)`` for a bad command).

Shutdown: ``shutdownMicroprocess`` stops at once, even while paused. ``producerFinished``
shows the words still buffered, then finishes — at once if the ticker is paused.
Words are paced with timer waits (``self.pause(delay)``), never by polling the clock.
"""
from kamaelia_lite.displays.strip import Strip
from kamaelia_lite.flow import take_ending
from microaxon import now, producerFinished

CLEAR = "\x00CLRTKR"
_NEWLINE = "\n"


class Ticker(Strip):
    """Scrolling word-at-a-time text display (see the module docstring for arguments)."""

    Inboxes = {
        "inbox": "text to show",
        "control": "shutdown: producerFinished (drain, then finish) or shutdownMicroprocess",
        "alphacontrol": "transparency 0 (clear) .. 255 (opaque), pygame only",
        "pausebox": "any message pauses the ticker",
        "unpausebox": "any message resumes the ticker",
        "commands": "commands from kamaelia_lite.surtitles.commands (tuples or text lines)",
    }
    Outboxes = {
        "outbox": "unused",
        "signal": "the shutdown message, when finishing",
        "errors": "('error', line, message) for a command that could not be parsed",
    }
    Capacities = {"inbox": 256}

    text_height = 39
    line_spacing = None
    background_colour = (128, 48, 128)
    text_colour = (232, 232, 48)
    outline_colour = None
    outline_width = 1
    position = (1, 1)
    render_left = 1
    render_top = 1
    render_right = 399
    render_bottom = 299
    words_per_second = 8
    max_pending = 512
    what = "ticker"

    def __init__(self, **argd):
        super().__init__(**argd)
        if self.line_spacing is None:
            self.line_spacing = self.text_height / 7
        if self.outline_colour is None:
            self.outline_colour = self.background_colour
        self.paused = False
        self.pending = []
        self._head = 0
        self.words_shown = 0
        self.x = self.render_left
        self.y = self.render_top
        self._line_started = False

    # -- drawing ---------------------------------------------------------------------------
    def _step(self):
        """Vertical distance from one line of words to the next."""
        return int(self.canvas.line_height(self.text_height) + self.line_spacing)

    def clear(self):
        """Clear the ticker of any text and go back to the top-left."""
        c = self.canvas
        c.fill(self.background_colour)
        ow = self.outline_width
        if ow:
            left, top = self.render_left, self.render_top
            c.rect(left - ow, top - ow, self.render_right + ow, self.render_bottom + ow, self.outline_colour)
        self.x = self.render_left
        self.y = self.render_top
        self._line_started = False
        c.present()

    def _new_line(self):
        step = self._step()
        self.x = self.render_left
        self._line_started = False
        if self.y + step * 2 > self.render_bottom:
            # jump-scroll the text area up one line and blank the freed line
            left, top = self.render_left, self.render_top
            width = self.render_right - left
            height = self.y + step - top
            self.canvas.scroll(0, -step, left, top, width, height)
            self.canvas.fill_rect(left, self.y, width - 1, self.render_bottom - self.y - 1,
                                  self.background_colour)
        else:
            self.y += step

    def show_word(self, word):
        """Draw one word (or a forced line break) and present it."""
        if word == _NEWLINE:
            if self._line_started:
                self._new_line()
            return
        text = " " + word
        w = self.canvas.text_width(text, self.text_height)
        if self._line_started and self.x + w > self.render_right:
            self._new_line()
        self.canvas.text(text, self.x, self.y, self.text_colour, self.text_height)
        self.x += w
        self._line_started = True
        self.words_shown += 1
        self.canvas.present()

    # -- input -----------------------------------------------------------------------------
    def _take_text(self, msg):
        if not isinstance(msg, str):
            try:
                msg = msg.decode("utf-8", "replace")
            except AttributeError:
                msg = str(msg)
        if msg == CLEAR:
            self.pending = []
            self._head = 0
            self.clear()
            return
        if _NEWLINE in msg:
            parts = msg.split(_NEWLINE)
            for i in range(len(parts)):
                self.pending.extend(parts[i].split())
                if i < len(parts) - 1:
                    self.pending.append(_NEWLINE)
        else:
            self.pending.extend(msg.split())

    def command(self, name, cmd):
        """The ticker's own commands: clear, speed N (words per second, N > 0), speed_by N."""
        if name == "clear":
            self._take_text(CLEAR)
        elif name == "speed" and cmd[1] > 0:
            self.words_per_second = cmd[1]
        elif name == "speed_by":
            self.words_per_second = max(1, self.words_per_second + cmd[1])
        else:
            return False
        return True

    def _alpha(self):
        while self.dataReady("alphacontrol"):
            alpha = self.recv("alphacontrol")
            if self._surface is not None:
                self._surface.set_alpha(alpha)
                self._service.redraw()

    def main(self):
        self.canvas = self._make_canvas((self.render_right, self.render_bottom))
        self.clear()
        next_time = now()
        ending = None
        try:
            while True:
                self._alpha()
                ending = self.take_commands(ending)
                while self.dataReady("inbox") and len(self.pending) - self._head < self.max_pending:
                    self._take_text(self.recv("inbox"))
                ending = take_ending(self, ending)
                if self.stop_now(ending):
                    break
                t = now()
                if not self.paused and self._head < len(self.pending) and t >= next_time:
                    self.show_word(self.pending[self._head])
                    self._head += 1
                    if self._head > 512:
                        del self.pending[:self._head]
                        self._head = 0
                    next_time = max(next_time + 1.0 / self.words_per_second, t - 0.5)
                remaining = self._head < len(self.pending)
                if ending is not None and not remaining:
                    break
                if not self.paused and remaining:
                    self.pause(max(0.0, next_time - now()))
                else:
                    if next_time < now():
                        next_time = now()
                    self.pause()
                yield 1
            self.send(ending if ending is not None else producerFinished(self), "signal")
        finally:
            self._release()
