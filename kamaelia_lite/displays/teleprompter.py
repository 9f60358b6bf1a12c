"""Teleprompter: a script scrolled smoothly past a reading line, driven by commands.

    Teleprompter(script="# Intro\\nGood evening...", size=(800, 600), speed=3).run()

The script (plain text or Markdown, see ``kamaelia_lite.displays.script``) arrives as the
``script`` argument or as a text message on ``inbox`` (which replaces the script, keeping
the position by word index). Commands — tuples or text lines from the shared vocabulary
in ``kamaelia_lite.surtitles.commands`` — arrive on ``commands``.

Position is kept as a **content position**: the word index under the reading line
(``word_position()``, a float). The layout (which depends on width and font size) maps it to
a line and a fraction of that line; changing font size, width or mirror keeps the word
under the reading line. Followers on other displays are driven by word index, never by a
scroll fraction (``("goto", word)`` accepts a float).

Speed: a signed step -10..+10 (negative scrolls back). The step maps to lines per second
through ``SPEED_CURVE`` (gentle at the low end where people read, fast at the top for
moving through a script):

    step        0    1    2     3    4    5    6    7    8    9    10
    lines/s     0  0.10 0.20  0.35 0.50 0.70 1.00 1.50 2.20 3.50  6.00

``play`` with step 0 starts at ``play_step`` (3). At the end of the script ``at_end``
decides: "stop" (pause on the last line), "loop" (back to the start, keep playing) or
"exit" (finish, sending producerFinished on ``signal``). Scrolling back stops at the top.

Arguments (defaults): script="", markdown=True, size=(800, 600), position=(0, 0) in the
pygame window, canvas=None (draw here instead of a display-service surface; pass a
FramebufCanvas on MicroPython), font=None, font_size=48, text_colour=(255, 255, 255),
background_colour=(0, 0, 0), heading_colour=(255, 210, 0), marker_colour=(220, 0, 0),
status_colour=(140, 140, 140), progress_colour=(70, 130, 220), margin=None (5% of the width),
reading_line=1/3 (fraction of the height), show_reading_line=True, mirror_x=False,
mirror_y=False, speed=0, playing=False, at_end="stop", fps=60, show_status=True (a band at
the bottom, kept clear of the script: elapsed, remaining, speed, per cent read, and a
progress bar along its foot),
keys=True (on a display-service surface, keys drive it: ``TELEPROMPTER_KEYS`` or ``keymap``,
{key name: command tuple}; also key names (str) on the ``events`` inbox).

Inboxes: inbox (script text, or ("append", text)), commands, control (shutdown).
Outboxes: outbox (status dicts, on the ``status`` command), position (a dict
``{"word", "at", "speed", "playing", "line"}`` whenever the word under the reading line or the
play state changes — for sync: ``at`` is the fractional word index; feed such dicts into a
follower's ``commands`` inbox and it follows, see ``apply_state``), errors (("error", line,
message) for bad commands), signal.

Headings are drawn underlined in ``heading_colour``; if a ``colour fg`` command makes the
body text look like the headings, headings switch to a colour that stands apart (unless
``colour heading`` chose theirs). ``check_command(cmd)`` says why a command would fail now
(a control port asks it before answering ``ok``).
"""
from kamaelia_lite.displays.script import HEADING, Script, layout_lines
from kamaelia_lite.flow import take_ending
from kamaelia_lite.surtitles.commands import SPEED_MAX, SPEED_MIN, CommandError, is_command, parse_command
from microaxon import component, now, producerFinished, shutdownMicroprocess

SPEED_CURVE = (0.0, 0.10, 0.20, 0.35, 0.50, 0.70, 1.00, 1.50, 2.20, 3.50, 6.00)

# the commands a teleprompter does (others from the shared vocabulary are refused)
TELEPROMPTER_COMMANDS = (
    "play", "pause", "toggle", "speed", "speed_by", "reverse", "rewind", "end", "skip", "goto",
    "jump", "next", "prev", "mirror", "font", "font_by", "colour", "reading_line", "at_end",
    "countdown", "blackout", "status", "quit",
)
# heading colours to switch to when the body text is set to look like the headings
_HEADING_ALTERNATIVES = ((0, 200, 255), (255, 140, 0), (120, 255, 120), (255, 255, 255), (255, 80, 200))


def _near(a, b):
    """True if two colours are hard to tell apart (sum of channel differences under 120)."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) < 120

# keys (pygame.key.name spelling) -> commands, when the teleprompter has its own window
# surface; "x"/"y" toggle mirroring (handled specially because mirror commands are absolute)
TELEPROMPTER_KEYS = {
    "space": ("toggle",), "return": ("toggle",), "f5": ("play",), "escape": ("pause",),
    "down": ("speed_by", 1), "up": ("speed_by", -1), "right": ("skip", 10), "left": ("skip", -10),
    "page down": ("next",), "page up": ("prev",), "home": ("rewind",), "end": ("end",),
    "r": ("reverse",), "=": ("font_by", 4), "+": ("font_by", 4), "-": ("font_by", -4),
    "c": ("countdown", 3), "b": ("blackout", None), ".": ("blackout", None),
    "x": "mirror-x", "y": "mirror-y",
}


def lines_per_second(step):
    """Scroll velocity (lines/s, signed) of a speed step -10..10."""
    step = int(step)
    if step < 0:
        return -SPEED_CURVE[min(-step, SPEED_MAX)]
    return SPEED_CURVE[min(step, SPEED_MAX)]


def format_clock(seconds):
    """Seconds -> 'mm:ss' (or 'h:mm:ss'); None -> '--:--'."""
    if seconds is None:
        return "--:--"
    s = int(seconds + 0.5)
    h = s // 3600
    m = (s // 60) % 60
    s = s % 60
    if h:
        return "%d:%02d:%02d" % (h, m, s)
    return "%02d:%02d" % (m, s)


class Teleprompter(component):
    """Smooth-scrolling script display (see the module docstring)."""

    Inboxes = {
        "inbox": "script text (replaces the script) or ('append', text)",
        "commands": "commands (tuples or text lines, kamaelia_lite.surtitles.commands)",
        "control": "shutdown: producerFinished / shutdownMicroprocess",
        "events": "key events from the display service (when keys=True)",
    }
    Outboxes = {
        "outbox": "status reports (dicts) in answer to the status command",
        "position": "{'word', 'at', 'speed', 'playing', 'line'} when the content position changes",
        "errors": "('error', line, message) for commands that could not be done",
        "signal": "the shutdown message when finishing",
    }
    Capacities = {"commands": 128}

    script = ""
    markdown = True
    size = (800, 600)
    position = (0, 0)
    canvas = None
    font = None
    font_size = 48
    text_colour = (255, 255, 255)
    background_colour = (0, 0, 0)
    heading_colour = (255, 210, 0)
    marker_colour = (220, 0, 0)
    status_colour = (140, 140, 140)
    progress_colour = (70, 130, 220)
    margin = None
    reading_line = 1.0 / 3
    show_reading_line = True
    mirror_x = False
    mirror_y = False
    speed = 0
    playing = False
    at_end = "stop"
    fps = 60
    show_status = True
    play_step = 3
    keys = True
    keymap = None

    def __init__(self, **argd):
        super().__init__(**argd)
        self.doc = Script(self.script, self.markdown)
        self._raw = self.script
        self.lines = []
        self.pos = 0.0                 # line index + fraction under the reading line
        self._word = 0.0               # content position kept across relayouts
        self.step = max(SPEED_MIN, min(SPEED_MAX, int(self.speed)))
        self.blackout = False
        self.countdown_end = None
        self.elapsed = 0.0
        self.frames = 0
        self.position_drops = 0
        self._last_reported = None
        self._follow_rate = None
        self.sync_corrections = 0
        self._service = None
        self._surface = None
        self._exit = None
        self._dirty = True
        self._heading_chosen = False
        self._pending = []

    # -- layout and position ------------------------------------------------------------
    def _text_width(self, s):
        return self.canvas.text_width(s, self.font_size)

    def _margin(self):
        if self.margin is not None:
            return int(self.margin)
        return max(4, self.canvas.width // 20)

    def line_step(self):
        """Pixels from one line to the next."""
        return self.canvas.line_height(self.font_size) + max(1, self.font_size // 6)

    def relayout(self):
        """Lay the script out for the current width and font, keeping the word position."""
        word = self._word
        width = self.canvas.width - 2 * self._margin()
        self.lines = layout_lines(self.doc, max(8, width), self._text_width)
        self.pos = self.line_of_word(word)
        self._dirty = True

    def last_line(self):
        return max(0, len(self.lines) - 1)

    def line_of_word(self, word):
        """Line position (index + fraction) of a (fractional) word index."""
        lines = self.lines
        if not lines:
            return 0.0
        word = max(0.0, float(word))
        lo = 0
        hi = len(lines) - 1
        # last line that starts at or before the word and holds words
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if lines[mid][0] <= word:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        while best > 0 and lines[best][0] == lines[best][1]:
            best -= 1
        start, end, kind = lines[best]
        n = end - start
        if n <= 0:
            return float(best)
        frac = (word - start) / n
        if frac >= 1.0:
            frac = 1.0 if best == len(lines) - 1 else 0.999
        return best + frac

    def word_position(self):
        """The (fractional) word index under the reading line."""
        lines = self.lines
        if not lines:
            return 0.0
        i = int(self.pos)
        if i >= len(lines):
            i = len(lines) - 1
        start, end, kind = lines[i]
        return start + (self.pos - i) * (end - start)

    def word_index(self):
        """The whole word index under the reading line."""
        return int(self.word_position())

    def _set_pos(self, pos):
        self.pos = max(0.0, min(float(self.last_line()), pos))
        self._word = self.word_position()
        self._dirty = True

    def goto_word(self, word):
        self._word = max(0.0, min(float(len(self.doc.words)), float(word)))
        self.pos = self.line_of_word(self._word)
        self._dirty = True

    def velocity(self):
        """Current scroll velocity in lines per second (0 when paused or counting down)."""
        if not self.playing or self.countdown_end is not None:
            return 0.0
        return lines_per_second(self.step)

    def remaining_seconds(self):
        """Estimated seconds to the end at the current speed (None when not moving forward)."""
        v = lines_per_second(self.step)
        if v <= 0:
            return None
        return (self.last_line() - self.pos) / v

    # -- script --------------------------------------------------------------------------
    def set_script(self, text, keep_position=True):
        word = self._word if keep_position else 0.0
        self._raw = text
        self.doc = Script(text, self.markdown)
        self._word = min(word, float(len(self.doc.words)))
        self.relayout()

    # -- commands --------------------------------------------------------------------------
    def _error(self, cmd, message):
        self.send(("error", cmd, message), "errors")

    sync_tolerance = 1.5

    def apply_state(self, state):
        """Follow a leader: apply a position dict (as sent on the ``position`` outbox).

        Keys used: "at" (fractional word index; else "word"), "speed", "playing". The position
        is corrected only when it is more than ``sync_tolerance`` words off while playing (so a
        follower scrolling at the same speed runs smoothly), or at all when paused.
        """
        if "speed" in state:
            self.step = max(SPEED_MIN, min(SPEED_MAX, int(state["speed"])))
        if "playing" in state:
            self.playing = bool(state["playing"])
        rate = state.get("rate")
        self._follow_rate = float(rate) if (rate is not None and self.playing) else None
        at = state.get("at", state.get("word"))
        if at is not None:
            off = abs(self.word_position() - float(at))
            if off > (self.sync_tolerance if self.playing else 0.01):
                self.goto_word(at)
                self.sync_corrections += 1
        self._dirty = True

    def word_rate(self):
        """Words per second passing the reading line now (velocity x words in this line)."""
        v = self.velocity()
        if v == 0.0 or not self.lines:
            return 0.0
        i = min(int(self.pos), len(self.lines) - 1)
        start, end, kind = self.lines[i]
        return v * (end - start)

    def check_command(self, cmd):
        """Why the command tuple ``cmd`` would fail if done now (a str), or None if it would
        be done. Asks, changes nothing."""
        name = cmd[0]
        if name not in TELEPROMPTER_COMMANDS:
            return "the teleprompter does not do %r" % name
        if name == "jump" and self.doc.find_marker(cmd[1]) is None:
            names = ", ".join([n for n, _ in self.doc.markers]) or "none"
            return "no marker %r (markers: %s)" % (cmd[1], names)
        if name in ("next", "prev"):
            here = self.word_index()
            w = self.doc.next_marker(here) if name == "next" else self.doc.prev_marker(here)
            if w is None:
                return "no %s marker" % ("next" if name == "next" else "previous")
        return None

    def command_now(self, cmd):
        """Do the command tuple ``cmd`` at once (a control port in the same scheduler calls
        this): returns None when done, or why it could not be done (nothing changes then)."""
        why = self.check_command(cmd)
        if why is None:
            if self.canvas is None:
                self._pending.append(cmd)      # not started yet: done first thing in main
            else:
                self.do(cmd)
            self.unpause()
        return why

    def heading_look(self):
        """The colour headings are drawn in now: ``heading_colour``, unless the body text was
        set to a colour that looks the same (then one that stands apart from text and paper)."""
        if self._heading_chosen or not _near(self.heading_colour, self.text_colour):
            return self.heading_colour
        for c in _HEADING_ALTERNATIVES:
            if not _near(c, self.text_colour) and not _near(c, self.background_colour):
                return c
        return self.heading_colour

    def do(self, cmd):
        """Apply one command (tuple or text line), or a leader's position dict."""
        if isinstance(cmd, dict):
            self.apply_state(cmd)
            return
        self._follow_rate = None          # a local command: scroll by our own speed again
        if not is_command(cmd):
            try:
                cmd = parse_command(cmd)
            except CommandError as e:
                self._error(cmd, str(e))
                return
        name = cmd[0]
        self._dirty = True
        why = self.check_command(cmd)
        if why is not None:
            self._error(cmd, why)
            return
        if name == "play":
            if self.step == 0:
                self.step = self.play_step
            self.playing = True
        elif name == "pause":
            self.playing = False
        elif name == "toggle":
            self.do(("pause",) if self.playing else ("play",))
        elif name == "speed":
            self.step = max(SPEED_MIN, min(SPEED_MAX, int(cmd[1])))
        elif name == "speed_by":
            self.step = max(SPEED_MIN, min(SPEED_MAX, self.step + int(cmd[1])))
        elif name == "reverse":
            self.step = -self.step
        elif name == "rewind":
            self.goto_word(0)
        elif name == "end":
            self._set_pos(self.last_line())
        elif name == "skip":
            self.goto_word(self.word_position() + cmd[1])
        elif name == "goto":
            self.goto_word(cmd[1])
        elif name == "jump":
            self.goto_word(self.doc.find_marker(cmd[1]))
        elif name in ("next", "prev"):
            here = self.word_index()
            self.goto_word(self.doc.next_marker(here) if name == "next" else self.doc.prev_marker(here))
        elif name == "mirror":
            self.mirror_x, self.mirror_y = bool(cmd[1]), bool(cmd[2])
            self.canvas.set_mirror(self.mirror_x, self.mirror_y)
        elif name == "font":
            self.font_size = int(cmd[1])
            self.relayout()
        elif name == "font_by":
            self.font_size = max(6, min(400, self.font_size + int(cmd[1])))
            self.relayout()
        elif name == "colour":
            attr = {"fg": "text_colour", "bg": "background_colour", "marker": "marker_colour",
                    "heading": "heading_colour"}[cmd[1]]
            setattr(self, attr, tuple(cmd[2]))
            if attr == "heading_colour":
                self._heading_chosen = True
        elif name == "reading_line":
            v = cmd[1]
            if v is True or v is False:
                self.show_reading_line = v
            else:
                self.reading_line = float(v)
        elif name == "at_end":
            self.at_end = cmd[1]
        elif name == "countdown":
            if cmd[1] <= 0:
                self.countdown_end = None
                self.do(("play",))
            else:
                self.countdown_end = now() + cmd[1]
        elif name == "blackout":
            self.blackout = (not self.blackout) if cmd[1] is None else cmd[1]
        elif name == "status":
            self.send(self.status(), "outbox")
        elif name == "quit":
            self._exit = shutdownMicroprocess(self)

    def key(self, name):
        """Apply the command bound to key ``name`` (pygame.key.name spelling), if any."""
        keymap = TELEPROMPTER_KEYS if self.keymap is None else self.keymap
        cmd = keymap.get(name.lower())
        if cmd == "mirror-x":
            cmd = ("mirror", not self.mirror_x, self.mirror_y)
        elif cmd == "mirror-y":
            cmd = ("mirror", self.mirror_x, not self.mirror_y)
        if cmd is not None:
            self.do(cmd)

    def _key_events(self):
        while self.dataReady("events"):
            events = self.recv("events")
            if isinstance(events, str):
                self.key(events)
                continue
            import pygame
            for e in events:
                if getattr(e, "type", None) == pygame.KEYDOWN:
                    self.key(pygame.key.name(e.key))

    def status(self):
        """A dict describing the state (what the status command reports)."""
        marker = None
        here = self.word_index()
        for n, w in self.doc.markers:
            if w <= here:
                marker = n
        return {
            "word": here, "words": len(self.doc.words), "line": self.pos, "lines": len(self.lines),
            "speed": self.step, "playing": self.playing, "elapsed": self.elapsed,
            "remaining": self.remaining_seconds(), "marker": marker, "font": self.font_size,
            "mirror": (self.mirror_x, self.mirror_y), "at_end": self.at_end,
            "progress": self.progress(),
        }

    def progress(self):
        """How far through the script the reading line is, 0.0 .. 1.0."""
        last = self.last_line()
        return min(1.0, self.pos / last) if last else 1.0

    def status_band(self):
        """Height in pixels of the status band at the bottom (0 when it is not shown)."""
        if not self.show_status:
            return 0
        return self.canvas.line_height(self._status_size()) + 4

    def _status_size(self):
        return max(8, self.font_size // 3)

    # -- time ------------------------------------------------------------------------------
    def advance(self, dt):
        """Move the script on by ``dt`` seconds at the current speed (also used by tests)."""
        if self.countdown_end is not None:
            return
        v = self.velocity()
        if v == 0.0 or not self.lines:
            return
        self.elapsed += dt
        if self._follow_rate is not None:
            # following a leader: move at its pace in words, whatever our layout
            end = float(len(self.doc.words))
            self.goto_word(min(end, self._word + self._follow_rate * dt))
            return
        last = float(self.last_line())
        pos = self.pos + v * dt
        if pos >= last and v > 0:
            if self.at_end == "loop":
                pos = 0.0
            else:
                pos = last
                self.playing = False
                if self.at_end == "exit":
                    self._exit = producerFinished(self)
        elif pos <= 0.0 and v < 0:
            pos = 0.0
            self.playing = False
        self.pos = pos
        self._word = self.word_position()
        self._dirty = True

    # -- drawing ---------------------------------------------------------------------------
    def render(self):
        """Draw the current frame and present it."""
        c = self.canvas
        c.fill(self.background_colour)
        if self.blackout:
            c.present()
            return
        size = self.font_size
        step = self.line_step()
        band = self.status_band()
        H = c.height - band                    # the script's area; the status band is below
        ry = int(self.reading_line * H)
        margin = self._margin()
        text_h = c.line_height(size)
        first = max(0, int(self.pos - (ry + step) / step) - 1)
        words = self.doc.words
        lines = self.lines
        for i in range(first, len(lines)):
            top = int(ry - text_h / 2 + (i - self.pos) * step)
            if top >= H:
                break
            if top + step < 0:
                continue
            start, end, kind = lines[i]
            if start == end:
                continue
            if kind == HEADING:
                colour = self.heading_look()
                w = c.text(" ".join(words[start:end]), margin, top, colour, size)
                thick = max(1, size // 16)
                c.fill_rect(margin, top + text_h - thick, w, thick, colour)   # underline
            else:
                c.text(" ".join(words[start:end]), margin, top, self.text_colour, size)
        if band:
            c.fill_rect(0, H, c.width, band, self.background_colour)      # keep the band clear
        if self.show_reading_line:
            mw = max(2, margin // 2)
            c.fill_rect(0, ry - 1, mw, 3, self.marker_colour)
            c.fill_rect(c.width - mw, ry - 1, mw, 3, self.marker_colour)
        if self.countdown_end is not None:
            left = self.countdown_end - now()
            n = str(max(1, int(left) + 1))
            big = max(size * 2, H // 3)
            w = c.text_width(n, big)
            c.text(n, (c.width - w) // 2, (H - c.line_height(big)) // 2, self.marker_colour, big)
        if band:
            small = self._status_size()
            left = self.remaining_seconds()
            done = self.progress()
            bar = "%s  %s  speed %+d  %d%%%s" % (format_clock(self.elapsed),
                                                 "--:--" if left is None else "-" + format_clock(left),
                                                 self.step, int(done * 100), "" if self.playing else "  paused")
            full = c.height
            c.text(bar, margin, full - c.line_height(small) - 2, self.status_colour, small)
            c.fill_rect(0, full - 2, int(c.width * done + 0.5), 2, self.progress_colour)
        c.present()
        self.frames += 1
        self._dirty = False

    def _report_position(self):
        state = (self.word_index(), self.step, self.playing)
        if state == self._last_reported:
            return
        self._last_reported = state
        if self.hasSpace("position") <= 0:      # (no BoxFull to catch: on a device, catching
            self.position_drops += 1            # it would load microaxon.errors, 0.8 KB)
            return
        self.send({"word": state[0], "at": round(self.word_position(), 3), "speed": state[1],
                   "playing": state[2], "rate": round(self.word_rate(), 3), "line": self.pos},
                  "position")

    # -- component -------------------------------------------------------------------------
    def _make_canvas(self):
        if self.canvas is not None:
            return self.canvas
        from kamaelia_lite.displays.display import PygameDisplay
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        self._service = PygameDisplay.getDisplayService(self._sched)
        listen = ()
        if self.keys:
            import pygame
            listen = (pygame.KEYDOWN,)
        self._surface = self._service.request_surface(self, self.size, position=self.position,
                                                      events=(self, "events"), listen=listen)
        return PygameCanvas(self._surface, font=self.font, default_size=self.font_size,
                            on_present=self._service.redraw)

    def main(self):
        self.canvas = self._make_canvas()
        self.canvas.set_mirror(self.mirror_x, self.mirror_y)
        self.relayout()
        for cmd in self._pending:
            self.do(cmd)
        self._pending = []
        frame = 1.0 / self.fps
        last = now()
        ending = None
        try:
            while True:
                while self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    if isinstance(msg, tuple) and len(msg) == 2 and msg[0] == "append":
                        self.set_script(self._raw + "\n\n" + msg[1])
                    elif isinstance(msg, (bytes, bytearray)):
                        self.set_script(bytes(msg).decode("utf-8", "replace"))
                    else:
                        self.set_script(str(msg))
                while self.dataReady("commands"):
                    self.do(self.recv("commands"))
                if self.dataReady("events"):
                    self._key_events()
                ending = take_ending(self, ending)
                if ending is not None or self._exit is not None:
                    break
                t = now()
                if self.countdown_end is not None and t >= self.countdown_end:
                    self.countdown_end = None
                    self.do(("play",))
                    last = t
                moving = self.velocity() != 0.0
                if moving:
                    self.advance(min(t - last, 0.25))
                last = t
                if self._exit is not None:
                    self.render()
                    break
                if self._dirty or self.countdown_end is not None:
                    self.render()
                self._report_position()
                if self.velocity() != 0.0:
                    self.pause(frame)
                elif self.countdown_end is not None:
                    self.pause(min(frame * 6, max(0.0, self.countdown_end - now())))
                else:
                    self.pause()
                yield 1
            self.send(ending if ending is not None else self._exit, "signal")
        finally:
            if self._service is not None and self._surface is not None:
                self._service.release(self._surface)
                self._surface = None
