"""Subtitles on a canvas: ``SubtitleStyle``, ``render_subtitles`` (centred, wrapped, shrunk to fit,
one or several languages) and the ``SubtitleDisplay`` component that shows subtitle/cue states."""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import CommandError, is_command, parse_command
from microaxon import component, producerFinished

__all__ = ["SubtitleStyle", "render_subtitles", "SubtitleDisplay"]


class SubtitleStyle:
    """How SubtitleDisplay draws: ``fg`` colour of the first language, ``alt`` colours of the
    others, ``bg``, ``size`` (text height, shrunk down to ``min_size`` to fit), ``margin``,
    ``gap`` between languages, ``valign`` "top" | "centre" | "bottom"."""

    def __init__(self, fg=(255, 255, 255), bg=(0, 0, 0), alt=((255, 220, 0), (0, 220, 255), (160, 255, 160)),
                 size=32, min_size=8, margin=8, gap=None, valign="centre"):
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


def render_subtitles(canvas, blocks, style, blackout=False):
    """Draw ``blocks`` [(language, text)] centred and wrapped on ``canvas``, then present.

    Shrinks the text until everything fits (down to ``style.min_size``). Blackout draws
    nothing but black. Returns the layout: a list of (language, [lines], y, size).
    """
    if blackout:
        canvas.fill((0, 0, 0))
        canvas.present()
        return []
    canvas.fill(style.bg)
    w = canvas.width - 2 * style.margin
    avail = canvas.height - 2 * style.margin
    size = style.size
    while True:
        lh = canvas.line_height(size)
        gap = style.gap if style.gap is not None else lh // 2
        wrapped = [(lang, canvas.wrap(text, w, size)) for lang, text in blocks if text]
        total = sum(len(lines) for _, lines in wrapped) * lh + gap * max(0, len(wrapped) - 1)
        if total <= avail or size <= style.min_size:
            break
        size = max(style.min_size, (size * 17) // 20)
    if style.valign == "top":
        y = style.margin
    elif style.valign == "bottom":
        y = canvas.height - style.margin - total
    else:
        y = (canvas.height - total) // 2
    layout = []
    for i, (lang, lines) in enumerate(wrapped):
        colour = style.colour(i)
        layout.append((lang, lines, y, size))
        for line in lines:
            tw = canvas.text_width(line, size)
            canvas.text(line, (canvas.width - tw) // 2, y, colour, size)
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
        style_keys = ("fg", "bg", "alt", "size", "min_size", "margin", "gap", "valign")
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
            self.style.size = cmd[1]
        elif name == "font_by":
            self.style.size = max(self.style.min_size, self.style.size + cmd[1])
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
                   "text": "" if blackout else "\n".join(t for _, t in blocks),
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
