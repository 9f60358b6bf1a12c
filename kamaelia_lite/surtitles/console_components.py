"""``OperatorConsole``: the operator's console component — prints the operator view on stdout
and, given a canvas, draws it (the full cue list, current and next cue in every language, the
state, live displays, phones, search and a wrap preview of the next cue). The view model is
``kamaelia_lite.surtitles.console.ConsoleModel`` (pure, tested without pygame)."""
import sys

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.console import STATE_COLOURS, ConsoleModel
from kamaelia_lite.surtitles.control import CUE_KEYS, key_to_command
from microaxon import component

__all__ = ["OperatorConsole", "CONSOLE_KEYS"]

CONSOLE_KEYS = dict(CUE_KEYS)
CONSOLE_KEYS.update({"t": ("toggle",)})     # timed playback on/off

BG = (14, 14, 18)
PANEL = (32, 32, 40)
DIM = (150, 150, 160)
WHITE = (255, 255, 255)


def clip(canvas, text, width, size):
    """``text`` cut (with "...") to fit ``width`` pixels."""
    if canvas.text_width(text, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if canvas.text_width(text[:mid] + "...", size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "..."


def cue_lines(canvas, text, width, size, most=3):
    """``text`` wrapped to ``width`` pixels, at most ``most`` lines; when there is more, the
    last line shown ends in "..." (the console never cuts a cue without saying so)."""
    lines = canvas.wrap(text, width, size)
    if len(lines) <= most:
        return lines
    shown = lines[:most]
    shown[-1] = clip(canvas, shown[-1] + " " + lines[most] + "...", width, size)
    if not shown[-1].endswith("..."):
        shown[-1] = clip(canvas, shown[-1] + "...", width, size)
    return shown


class OperatorConsole(component):
    """The operator console.

    ``cues``: the CueList (for the full list and search). ``screen``: a canvas to draw on (None:
    stdout only). ``preview_size``: (width, height, text size) of the display the preview
    imitates. ``out``: where the text view goes (default stdout).

    inbox: ``{"view", "text"}`` from ``CuePlayer``'s "operator" outbox. errors: rejected commands.
    health: display-health status ``{"displays": {lang: live count}, "silent": [...]}``.
    phones: audience phone counts ``{lang: n}`` (``AudienceServer``'s "counts").
    commands: typed lines (stdin): ``find TEXT`` lists matching cues, ``jump TEXT`` goes to the
    next match; everything else passes on to ``outbox``. keys: pygame KEYDOWN events (lists, as
    the display service sends): ``/`` starts a search (type, Return jumps, Escape cancels), ``t``
    toggles timed playback, the rest as ``CUE_KEYS``.
    outbox: commands for the ``CuePlayer``.
    """

    Inboxes = {"inbox": "operator views", "errors": "rejected commands", "control": "shutdown",
               "phones": "audience phones per language", "health": "display health status",
               "commands": "typed command lines", "keys": "pygame key events"}
    Outboxes = {"outbox": "commands for the cue player", "signal": "shutdown signals"}

    cues = None
    screen = None
    release = None
    preview_size = (800, 200, 40)
    out = None

    def __init__(self, cues=None, **argd):
        super().__init__(**argd)
        if cues is not None:
            self.cues = cues
        if self.cues is None:
            from kamaelia_lite.surtitles.cues import CueList
            self.cues = CueList()
        self.model = ConsoleModel(self.cues, preview_size=self.preview_size)
        self.searching = None         # the search being typed in the window, or None
        self.frames = 0

    # -- inputs
    def _command_line(self, line):
        words = line.split(None, 1) if isinstance(line, str) else []
        if words and words[0].lower() in ("find", "search"):
            hits = self.model.search(words[1] if len(words) > 1 else "")
            self._write("FOUND %s\n" % (" ".join(self.cues[i].ident for i in hits) or "nothing"))
            for i in hits[:20]:
                self._write("  %s\n" % self.model.row_text(self.cues[i]))
            return True
        if words and words[0].lower() == "jump" and len(words) > 1:
            self._jump(words[1])
            return True
        self.send(line, "outbox")
        return False

    def _jump(self, text):
        try:
            ident = self.model.jump_target(text)
        except KeyError as exc:
            self.model.message = str(exc.args[0])
            self._write("ERROR %s\n" % self.model.message)
            return
        self.model.message = "jump to %s (%s)" % (ident, self.model.message)
        self.send(("cue", ident), "outbox")

    def _key(self, event):
        import pygame
        if getattr(event, "type", None) != pygame.KEYDOWN:
            return
        name = pygame.key.name(event.key)
        if self.searching is not None:
            if name in ("return", "enter"):
                text, self.searching = self.searching, None
                if text.strip():
                    self._jump(text)
            elif name == "escape":
                self.searching = None
                self.model.message = ""
            elif name == "backspace":
                self.searching = self.searching[:-1]
            elif getattr(event, "unicode", "") and event.unicode.isprintable():
                self.searching += event.unicode
            if self.searching:
                self.model.search(self.searching)
            return
        if name == "/" or (name == "f" and event.mod & pygame.KMOD_CTRL):
            self.searching = ""
            return
        cmd = key_to_command(name, CONSOLE_KEYS, bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT))
        if cmd is not None:
            self.send(cmd, "outbox")

    def _write(self, text):
        (self.out or sys.stdout).write(text)

    # -- drawing
    def draw(self):
        """Draw the whole console on ``screen`` and present it."""
        c = self.screen
        m = self.model
        W, H = c.width, c.height
        c.fill(BG)
        # header: the state badge, position, scene, displays, phones
        state = m.state()
        c.fill_rect(0, 0, W, 56, PANEL)
        c.fill_rect(8, 8, 160, 40, STATE_COLOURS[state])
        tw = c.text_width(state, 26)
        c.text(state, 8 + (160 - tw) // 2, 8 + (40 - c.line_height(26)) // 2, (0, 0, 0), 26)
        p = m.position()
        e = self.cues[p] if 0 <= p < len(self.cues) else None
        head = "cue %s  (%d/%d)" % (e.ident if e else "-", p + 1, len(self.cues))
        if e is not None and e.scene:
            head += "   scene: " + e.scene
        if state == "FROZEN":
            live = m.view["live"] if m.view else None
            head += "   audience on " + (live.ident if live else "nothing")
        c.text(clip(c, head, W - 190, 20), 180, 8, WHITE, 20)
        health = m.display_summary() + (("   PHONES " + m.phones) if m.phones else "")
        colour = (255, 120, 120) if m.silent or m.behind else (160, 230, 160) if m.displays else DIM
        c.text(clip(c, health, W - 190, 18), 180, 32, colour, 18)
        # left: the cue list
        left_w = W * 45 // 100
        size = 16
        rh = c.line_height(size) + 4
        top = 64
        bottom = H - 34
        for _i, marks, entry in m.rows(max(1, (bottom - top) // rh)):
            y = top
            top += rh
            if ">" in marks:
                c.fill_rect(4, y, left_w - 4, rh, (60, 60, 100))
            if "*" in marks:
                c.fill_rect(4, y, 5, rh, STATE_COLOURS["LIVE"])
            fg = (255, 230, 90) if "?" in marks else WHITE if ">" in marks else DIM
            c.text(clip(c, m.row_text(entry), left_w - 20, size), 14, y + 2, fg, size)
        # right: current and next in every language, then the preview
        x = left_w + 12
        colw = W - x - 10
        y = 64
        from kamaelia_lite.displays.subtitle_display import SubtitleStyle
        style = SubtitleStyle()
        for label, off, tsize in (("CURRENT", 0, 20), ("NEXT", 1, 18)):
            ent = self.cues[p + off] if 0 <= p + off < len(self.cues) else None
            c.text("%s %s" % (label, ent.ident if ent else "-"), x, y, DIM, 16)
            y += c.line_height(16) + 2
            blocks = m.texts(off)
            if ent is not None and not any(t for _, t in blocks):
                c.text("(blank: the displays show nothing)", x + 34, y, DIM, tsize)
                y += c.line_height(tsize) + 4
                blocks = []
            for k, (lang, text) in enumerate(blocks):
                c.text(lang, x, y, DIM, 14)
                from kamaelia_lite.surtitles.subtitle_text import strip_markup
                lines = cue_lines(c, strip_markup(text) or "(none)", colw - 34, tsize)
                for line in lines:
                    c.text(line, x + 34, y, style.colour(k), tsize)
                    y += c.line_height(tsize)
                y += 4
            y += 8
        self._draw_preview(x, y, colw, bottom - y)
        # bottom line: search being typed, or the last message
        if self.searching is not None:
            msg = "find: %s_   (Return jumps, Escape cancels)  %d match(es)" % (self.searching, len(m.hits))
        else:
            msg = m.message or "keys: PageDown/Space next  PageUp prev  b blackout  f freeze  t timed  / find  q quit"
        c.fill_rect(0, H - 28, W, 28, PANEL)
        c.text(clip(c, msg, W - 16, 16), 8, H - 24, WHITE if self.searching is not None else DIM, 16)
        c.present()
        self.frames += 1

    def _draw_preview(self, x, y, w, h):
        """The next cue drawn as a display of ``preview_size`` would, scaled into (x, y, w, h)."""
        c = self.screen
        pw, ph, psize = self.model.preview_size
        if h < 40 or not hasattr(c, "surface"):
            return
        import pygame

        from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        off = PygameCanvas(size=(pw, ph), font=getattr(c, "font_name", None))
        blocks = [(lang, t) for lang, t in self.model.texts(1) if t]
        layout = render_subtitles(off, blocks, SubtitleStyle(size=psize))
        c.text("PREVIEW next on %dx%d (%d px text)" % (pw, ph, layout[0][3] if layout else psize), x, y, DIM, 14)
        y += c.line_height(14) + 2
        scale = min(1.0, float(w) / pw, float(h - 20) / ph)
        sw, sh = max(1, int(pw * scale)), max(1, int(ph * scale))
        c.blit(pygame.transform.smoothscale(off.surface, (sw, sh)), x, y)
        c.rect(x - 1, y - 1, sw + 2, sh + 2, DIM)

    # -- the loop
    def main(self):
        m = self.model
        try:
            while True:
                changed = False
                while self.dataReady("inbox"):
                    v = self.recv("inbox")
                    view = v["view"]
                    m.update(view)
                    live = view["live"].ident if view["live"] else "-"
                    flags = "".join(" " + f for f, on in (("BLACKOUT", view["blackout"]),
                                    ("FROZEN", view["freeze"]), ("TIMED", view.get("timed"))) if on)
                    self._write("%s\nLIVE cue=%s version=%d%s\n%s\n\n" % (
                        v["text"], live, view["version"], flags, m.text()))
                    changed = True
                while self.dataReady("phones"):
                    from kamaelia_lite.surtitles.web import format_counts
                    m.phones = format_counts(self.recv("phones"))
                    self._write("PHONES %s\n" % m.phones)
                    changed = True
                while self.dataReady("health"):
                    m.set_health(self.recv("health"))
                    self._write("%s\n" % m.display_summary())
                    changed = True
                while self.dataReady("errors"):
                    e = self.recv("errors")
                    m.message = "ERROR %s" % (e[2] if isinstance(e, tuple) else e)
                    self._write(m.message + "\n")
                    changed = True
                while self.dataReady("commands"):
                    self._command_line(self.recv("commands"))
                    changed = True
                while self.dataReady("keys"):
                    msg = self.recv("keys")
                    for event in (msg if isinstance(msg, list) else (msg,)):
                        self._key(event)
                    changed = True
                (self.out or sys.stdout).flush()
                if changed and self.screen is not None:
                    self.draw()
                if passed_shutdown_on(self):
                    return
                if not self.anyReady():
                    self.pause()
                yield 1
        finally:
            if self.release is not None:
                self.release()
