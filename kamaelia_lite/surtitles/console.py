"""The operator console's view model: what the console shows, search, and the wrap preview.

Pure logic (no pygame, no scheduler), so it is tested on its own and drawn by
``console_components.ConsoleWindow`` (or printed as text):

* the whole cue list, each row with its id, scene and first-language text, the operator's
  cue and the audience's (live) cue marked;
* the current and next cue in every language;
* the state: ``LIVE``, ``BLACKOUT``, ``FROZEN``, ``TIMED`` (or ``STANDBY`` before the first
  cue), the live displays per language and the silent ones (from a display-health status
  ``{"displays": {lang: live count}, "silent": [names]}``), the audience phones;
* ``search(text)``: cues whose id, scene or text in any language holds ``text`` (case and
  accents ignored); ``jump_target(text)`` the first hit after the operator's cue;
* ``preview(metrics, size)``: how the next cue wraps on a display of that size, with the
  display's own shrink-to-fit (``metrics`` is any canvas: its ``wrap`` and ``line_height``).
"""
try:
    import unicodedata
except ImportError:  # pragma: no cover - MicroPython
    unicodedata = None

from kamaelia_lite.surtitles.subtitle_text import strip_markup

STATE_COLOURS = {
    "LIVE": (40, 200, 80), "BLACKOUT": (220, 50, 50), "FROZEN": (70, 140, 255),
    "TIMED": (240, 170, 30), "STANDBY": (120, 120, 120),
}


def fold(text):
    """``text`` lower-cased without accents, for searching ("Où" finds "ou")."""
    text = text.lower()
    if unicodedata is None or text.isascii():
        return text
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out)


class ConsoleModel:
    """What the operator console shows, updated from the cue player's operator views.

    ``cues``: the CueList. ``languages``: the order to show languages in (default the list's).
    ``preview_size``: (width, height, text size) of the display the preview imitates.
    """

    def __init__(self, cues, languages=None, preview_size=(800, 200, 40)):
        self.cues = cues
        self.languages = list(languages) if languages else list(cues.languages)
        self.preview_size = preview_size
        self.view = None
        self.displays = None        # {lang: live count} from display health, or None (unknown)
        self.silent = []
        self.behind = []            # displays heard but stuck on an older state
        self.phones = ""
        self.query = ""
        self.hits = []
        self.message = ""

    # -- inputs
    def update(self, view):
        """Take an operator view (``CueDeck.operator_view()``)."""
        self.view = view

    def set_health(self, status):
        """Take a display-health status: ``{"displays": {lang: live}, "silent": [...]}``, or the
        sync leader's own summary ``{"live": n, "languages": {lang: live}, "silent": [...]}``."""
        d = status.get("displays", status.get("languages"))
        self.displays = dict(d) if d is not None else None
        self.silent = list(status.get("silent") or ())
        self.behind = list(status.get("behind") or ())

    # -- what to show
    def position(self):
        return self.view["position"] if self.view else -1

    def live_position(self):
        live = self.view["live"] if self.view else None
        return self.cues.index_of(live.ident) if live is not None else -1

    def state(self):
        """"BLACKOUT", "FROZEN", "TIMED", "LIVE" or "STANDBY" (in that order of precedence)."""
        v = self.view
        if v is None:
            return "STANDBY"
        if v["blackout"]:
            return "BLACKOUT"
        if v["freeze"]:
            return "FROZEN"
        if v.get("timed"):
            return "TIMED"
        if v["live"] is None:
            return "STANDBY"
        return "LIVE"

    def display_summary(self):
        """"DISPLAYS 5 (en 3, fr 2)  SILENT fr-2  BEHIND de-1" or "DISPLAYS ?" before any health status."""
        if self.displays is None:
            return "DISPLAYS ?"
        total = 0
        parts = []
        for lang in sorted(self.displays):
            total += self.displays[lang]
            parts.append("%s %d" % (lang, self.displays[lang]))
        out = "DISPLAYS %d" % total
        if parts:
            out += " (" + ", ".join(parts) + ")"
        if self.silent:
            out += "  SILENT " + ", ".join(str(s) for s in self.silent)
        if self.behind:
            out += "  BEHIND " + ", ".join(str(s) for s in self.behind)
        return out

    def status_line(self):
        """State, position, scene, displays and phones on one line."""
        p = self.position()
        e = self.cues[p] if 0 <= p < len(self.cues) else None
        out = "%s  cue %s (%d/%d)" % (self.state(), e.ident if e else "-", p + 1, len(self.cues))
        if self.state() == "FROZEN":
            live = self.view["live"]
            out += "  audience on %s" % (live.ident if live else "nothing")
        if e is not None and e.scene:
            out += "  scene " + e.scene
        if self.displays is not None:
            out += "  " + self.display_summary()
        if self.phones:
            out += "  PHONES " + self.phones
        return out

    def texts(self, offset):
        """[(language, text)] of the cue ``offset`` after the operator's (0 current, 1 next),
        every language in order ("" where the cue has none)."""
        p = self.position() + offset
        if not 0 <= p < len(self.cues):
            return []
        e = self.cues[p]
        return [(lang, e.texts.get(lang, "")) for lang in self.languages]

    def rows(self, count):
        """``count`` rows of the cue list around the operator's cue: (position, marks, entry),
        ``marks`` holding ">" for the operator's cue, "*" for the audience's, "?" for a search hit."""
        n = len(self.cues)
        p = self.position()
        first = max(0, min(p - count // 3, n - count))
        out = []
        live = self.live_position()
        for i in range(first, min(n, first + count)):
            marks = (">" if i == p else "") + ("*" if i == live else "") + ("?" if i in self.hits else "")
            out.append((i, marks, self.cues[i]))
        return out

    def row_text(self, entry, language=None):
        """One cue as a list row: id, scene (when it has one) and its text on one line (without
        the italics marks)."""
        lang = language or (self.languages[0] if self.languages else None)
        t = entry.texts.get(lang, "") if lang else ""
        t = strip_markup(t).replace("\n", " / ") or "(blank)"
        if entry.scene:
            return "%-5s %s | %s" % (entry.ident, entry.scene, t)
        return "%-5s %s" % (entry.ident, t)

    # -- search
    def search(self, text):
        """Positions of the cues whose id, scene or text (any language, italics marks aside)
        holds ``text``, case and accents ignored; remembered as the hits shown in the list."""
        want = fold(text.strip())
        self.query = text.strip()
        self.hits = []
        if not want:
            return self.hits
        for i in range(len(self.cues)):
            e = self.cues[i]
            hay = [e.ident, e.scene]
            for lang in e.texts:
                hay.append(strip_markup(e.texts[lang]))     # the words, not the italics marks
            for h in hay:
                if want in fold(h):
                    self.hits.append(i)
                    break
        self.message = "%d cue(s) match %r" % (len(self.hits), self.query)
        return self.hits

    def jump_target(self, text):
        """The id of the first cue matching ``text`` after the operator's cue (wrapping round);
        KeyError when nothing matches."""
        hits = self.search(text)
        if not hits:
            raise KeyError("no cue matches %r" % (text,))
        p = self.position()
        for i in hits:
            if i > p:
                return self.cues[i].ident
        return self.cues[hits[0]].ident

    # -- preview
    def preview(self, metrics, size=None, style=None, offset=1):
        """How the cue ``offset`` after the operator's (default: the next) wraps on a display of
        ``size`` (width, height, text size; default ``preview_size``) drawn by ``metrics`` (a
        canvas). Returns (text size after shrinking, [(language, [lines])])."""
        from kamaelia_lite.displays.subtitle_display import SubtitleStyle, fit_subtitles
        w, h, text_size = size or self.preview_size
        if style is None:
            style = SubtitleStyle(size=text_size)
        blocks = [(lang, t) for lang, t in self.texts(offset) if t]
        wrapped, got, _total = fit_subtitles(metrics, blocks, style, w, h)
        return got, wrapped

    def text(self, metrics=None):
        """The console as text lines (for stdout): status, current and next in every language,
        and the wrap preview when ``metrics`` is given."""
        out = [self.status_line()]
        for label, off in (("CURRENT", 0), ("next", 1)):
            blocks = self.texts(off)
            if not blocks:
                out.append("%-8s -" % label)
                continue
            e = self.cues[self.position() + off]
            out.append("%-8s %s%s" % (label, e.ident, (" [%s]" % e.scene) if e.scene else ""))
            for lang, t in blocks:
                out.append("   %s: %s" % (lang, t.replace("\n", " / ") if t else "(none)"))
        if metrics is not None and self.texts(1):
            got, wrapped = self.preview(metrics)
            w, h, _ = self.preview_size
            out.append("preview next on %dx%d at %d px: %s" % (
                w, h, got, " | ".join("/".join(lines) for _, lines in wrapped)))
        return "\n".join(out)
