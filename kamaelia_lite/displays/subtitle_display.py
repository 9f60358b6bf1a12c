"""Subtitles on a canvas: ``SubtitleStyle``, ``render_subtitles`` (centred, wrapped, shrunk to fit,
one or several languages) and the ``SubtitleDisplay`` component that shows subtitle/cue states."""
from kamaelia_lite.draw.layout import MAX_TEXT_SIZE, wrap_text
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import CommandError, is_command, parse_command
from kamaelia_lite.surtitles.markup import ITALIC_OFF, ITALIC_ON, strip_markup, styled_runs
from microaxon import component, producerFinished

__all__ = ["SubtitleStyle", "render_subtitles", "fit_subtitles", "SubtitleDisplay"]

BACKDROPS = ("none", "outline", "box")


def _reopen(lines):
    """Close italics at the end of each line and reopen them on the next."""
    out = []
    on = False
    for line in lines:
        if on and not line.startswith(ITALIC_ON):
            line = ITALIC_ON + line
        on = line.rfind(ITALIC_ON) > line.rfind(ITALIC_OFF)
        out.append(line + ITALIC_OFF if on else line)
    return out


class SubtitleStyle:
    """How SubtitleDisplay draws: ``fg`` colour of the first language, ``alt`` colours of the
    others, ``bg``, ``size`` (text height, shrunk down to ``min_size`` to fit), ``margin``,
    ``gap`` between languages, ``valign`` "top" | "centre" | "bottom". For text over scenery:
    ``backdrop`` "outline" (each glyph ringed in ``backdrop_colour``, ``outline`` px wide) or
    "box" (a ``backdrop_colour`` box behind each line); "none" by default."""

    def __init__(self, fg=(255, 255, 255), bg=(0, 0, 0), alt=((255, 220, 0), (0, 220, 255), (160, 255, 160)),
                 size=32, min_size=8, margin=8, gap=None, valign="centre", backdrop="none",
                 backdrop_colour=(0, 0, 0), outline=2):
        if backdrop not in BACKDROPS:
            raise ValueError("backdrop must be one of %s, not %r" % (", ".join(BACKDROPS), backdrop))
        self.backdrop = backdrop
        self.backdrop_colour = backdrop_colour
        self.outline = outline
        self.fg = fg
        self.bg = bg
        self.alt = alt
        self.size = size
        self.min_size = min_size
        self.margin = margin
        self.gap = gap
        self.valign = valign

    def colour(self, i):
        if i == 0:
            return self.fg
        return self.alt[(i - 1) % len(self.alt)]


def _wrap(canvas, text, width, size):
    """Word-wrap cue text that may hold italics marks (measured without them); each line
    opens and closes its own italics."""
    if ITALIC_ON not in text and ITALIC_OFF not in text:
        return canvas.wrap(text, width, size)

    def measure(s):
        return canvas.text_width(strip_markup(s), size)
    return _reopen(wrap_text(text, width, measure))


def fit_subtitles(canvas, blocks, style, width, height):
    """Wrap ``blocks`` [(language, text)] for a ``width`` x ``height`` display drawn with
    ``canvas``'s fonts, shrinking the text size until it fits (down to ``style.min_size``,
    never below 1).
    Returns ([(language, [lines])], text size, total height)."""
    w = width - 2 * style.margin
    avail = height - 2 * style.margin
    size = max(1, style.size)
    smallest = max(1, style.min_size)       # size 0 would draw at the canvas's default size
    while True:
        lh = canvas.line_height(size)
        gap = style.gap if style.gap is not None else lh // 2
        wrapped = [(lang, _wrap(canvas, text, w, size)) for lang, text in blocks if text]
        total = sum(len(lines) for _, lines in wrapped) * lh + gap * max(0, len(wrapped) - 1)
        if total <= avail or size <= smallest:
            return wrapped, size, total
        size = max(smallest, (size * 17) // 20)


def _draw_italic(canvas, text, x, y, colour, size):
    """Slanted text where the canvas can (pygame fonts); elsewhere upright."""
    fonts = getattr(canvas, "_font", None)
    if fonts is None or getattr(canvas, "font_name", None) == "bitmap":
        return canvas.text(text, x, y, colour, size)
    ascent = fonts(size).get_ascent()
    dx = 0
    for i, run in canvas.runs(text):
        f = fonts(size, i)
        f.set_italic(True)
        try:        # SDL_ttf refuses a run of zero width (joiners at the smallest sizes)
            surf = f.render(run, True, colour) if f.size(run)[0] else None
        finally:
            f.set_italic(False)
        if surf is not None:
            canvas.blit(surf, x + dx, y + ascent - f.get_ascent())
        dx += f.size(run)[0]
    return dx


def draw_line(canvas, line, x, y, colour, size):
    """One line of cue text at (x, y), its italics runs slanted; returns its width."""
    if ITALIC_ON not in line and ITALIC_OFF not in line:
        return canvas.text(line, x, y, colour, size)
    cx = x
    for italic, run in styled_runs(line):
        if italic:
            _draw_italic(canvas, run, cx, y, colour, size)
        else:
            canvas.text(run, cx, y, colour, size)
        cx += canvas.text_width(run, size)
    return cx - x


def render_subtitles(canvas, blocks, style, blackout=False):
    """Draw ``blocks`` [(language, text)] centred and wrapped on ``canvas``, then present.

    Shrinks the text until everything fits (down to ``style.min_size``). Italics (``<i>``
    marks kept from SRT/WebVTT) are drawn slanted on pygame canvases; ``style.backdrop``
    puts an outline or a box behind the text. Blackout draws nothing but black. Returns the
    layout: a list of (language, [lines], y, size).
    """
    if blackout:
        canvas.fill((0, 0, 0))
        canvas.present()
        return []
    canvas.fill(style.bg)
    wrapped, size, total = fit_subtitles(canvas, blocks, style, canvas.width, canvas.height)
    lh = canvas.line_height(size)
    gap = style.gap if style.gap is not None else lh // 2
    if style.valign == "top":
        y = style.margin
    elif style.valign == "bottom":
        y = canvas.height - style.margin - total
    else:
        y = (canvas.height - total) // 2
    layout = []
    o = max(1, style.outline)
    for i, (lang, lines) in enumerate(wrapped):
        colour = style.colour(i)
        layout.append((lang, lines, y, size))
        for line in lines:
            tw = canvas.text_width(strip_markup(line), size)
            x = (canvas.width - tw) // 2
            if style.backdrop == "box" and tw:
                pad = max(2, size // 6)
                canvas.fill_rect(x - pad, y, tw + 2 * pad, lh, style.backdrop_colour)
            elif style.backdrop == "outline":
                for dx, dy in ((-o, 0), (o, 0), (0, -o), (0, o), (-o, -o), (o, o), (-o, o), (o, -o)):
                    draw_line(canvas, line, x + dx, y + dy, style.backdrop_colour, size)
            draw_line(canvas, line, x, y, colour, size)
            y += lh
        y += gap
    canvas.present()
    return layout


class SubtitleDisplay(component):
    """Shows subtitle/cue states on a canvas: centred, wrapped, one or several languages.

    ``canvas``: any canvas backend (pygame, framebuf). ``languages``: the languages this
    display shows, in order (None: every language of the state, sorted). ``style``: a
    SubtitleStyle (or pass its fields: ``size``, ``fg``, ``bg``, ``valign``...).

    inbox: state dicts (``CueDeck.shown()``, SubtitlePlayer, SyncFollowerComponent), a plain
    str (shown as is), or command tuples / lines: ``language CODE`` (several: ``language
    en,fr``), ``blackout``, ``clear``, ``font N``/``font +N``, ``colour fg|bg ...``.
    outbox: after every frame, a dict ``{"cue", "version", "text", "languages", "blackout",
    "frame"}`` saying what is on the screen now (for tests, logs and followers' reports).
    """

    Inboxes = {"inbox": "states, text or commands", "control": "shutdown signals"}
    Outboxes = {"outbox": "what was shown, after each frame", "signal": "shutdown signals",
                "errors": "messages about rejected commands"}

    canvas = None
    languages = None
    style = None

    def __init__(self, canvas=None, languages=None, style=None, **argd):
        style_keys = ("fg", "bg", "alt", "size", "min_size", "margin", "gap", "valign", "backdrop",
                      "backdrop_colour", "outline")
        style_args = {}
        for k in style_keys:
            if k in argd:
                style_args[k] = argd.pop(k)
        super().__init__(**argd)
        if canvas is not None:
            self.canvas = canvas
        if self.canvas is None:
            raise ValueError("SubtitleDisplay needs a canvas")
        if languages is not None:
            self.languages = languages
        if isinstance(self.languages, str):
            self.languages = [x for x in self.languages.replace(",", " ").split()]
        self.style = style or self.style or SubtitleStyle(**style_args)
        self.state = {"cue": None, "texts": {}, "blackout": False}
        self.frames = 0
        self.layout = []

    def blocks(self, state):
        """[(language, text)] this display shows for ``state``."""
        texts = state.get("texts") or {}
        langs = self.languages if self.languages else sorted(texts)
        return [(lang, texts[lang]) for lang in langs if texts.get(lang)]

    def _command(self, cmd):
        name = cmd[0]
        if name == "language":
            self.languages = [x for x in cmd[1].replace(",", " ").replace("+", " ").split()]
        elif name == "blackout":
            on = not self.state.get("blackout") if cmd[1] is None else cmd[1]
            self.state = dict(self.state, blackout=on)
        elif name == "clear":
            self.state = {"cue": None, "texts": {}, "blackout": False}
        elif name == "font":
            self.style.size = min(MAX_TEXT_SIZE, cmd[1])
        elif name == "font_by":
            self.style.size = max(self.style.min_size, min(MAX_TEXT_SIZE, self.style.size + cmd[1]))
        elif name == "colour" and cmd[1] in ("fg", "bg"):
            setattr(self.style, cmd[1], cmd[2])
        else:
            raise ValueError("the subtitle display does not take %r" % (name,))

    def draw(self):
        """Render the current state and report it on outbox."""
        blocks = self.blocks(self.state)
        blackout = bool(self.state.get("blackout"))
        self.layout = render_subtitles(self.canvas, blocks, self.style, blackout)
        self.frames += 1
        self.send({"cue": self.state.get("cue"), "version": self.state.get("version"),
                   "text": "" if blackout else "\n".join(strip_markup(t) for _, t in blocks),
                   "languages": [lang for lang, _ in blocks], "blackout": blackout,
                   "frame": self.frames}, "outbox")

    def main(self):
        self.draw()
        while True:
            dirty = False
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                try:
                    if isinstance(msg, dict):
                        self.state = msg
                    elif is_command(msg):
                        self._command(msg)
                    elif isinstance(msg, str):
                        try:
                            self._command(parse_command(msg))
                        except CommandError:
                            self.state = {"cue": None, "texts": {"": msg}, "blackout": False}
                    elif isinstance(msg, producerFinished):
                        continue
                    else:
                        raise ValueError("cannot show %r" % (type(msg).__name__,))
                    dirty = True
                except ValueError as exc:
                    self.send(("error", msg, str(exc)), "errors")
            if dirty:
                self.draw()
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1
