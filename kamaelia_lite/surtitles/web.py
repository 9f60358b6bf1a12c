"""The audience-phone bridge's pure logic (CPython): what phones are sent, who follows which
language, and the join links and QR codes. The components are in ``web_components.py``.

- ``PhoneView``: turns audience states (``CueDeck.shown()``, ``SubtitlePlayer`` states, what a
  ``SyncFollowerComponent`` outputs) into the JSON text every phone gets. Only what a page
  shows goes out: cue id, texts per language (plain text), the italic runs of the texts that
  have italics, blackout, the languages on offer, a sequence number. Equal states make no new
  message.
- ``LanguageCounts``: how many phones follow each language (the operator console shows it).
  A phone's language comes from ``?lang=`` on its WebSocket URL or a ``{"lang": CODE}``
  message (``language_choice`` reads one); codes are checked and bounded, so a phone can
  only ever move its own count.
- ``join_url``, ``qr_terminal``, ``qr_png``: links per language and their QR codes (segno).
"""
import io
import json
import re

from kamaelia_lite.surtitles.subtitle_text import ITALIC_OFF, ITALIC_ON, strip_markup, styled_runs

__all__ = ["PhoneView", "LanguageCounts", "valid_language", "language_choice", "format_counts",
           "join_url", "qr_terminal", "qr_png"]

# (\Z, not $: $ also matches before a final line end, and "en\n" is no language)
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}\Z")


def valid_language(code):
    """True when ``code`` looks like a language tag (en, ja, pt-BR, zh-Hant-TW)."""
    return isinstance(code, str) and len(code) <= 20 and _LANG.match(code) is not None


def language_choice(text):
    """The code a phone's message ``{"lang": CODE}`` names (a str, not yet checked: see
    ``LanguageCounts``), or None for any other message, whatever it holds (bad JSON, JSON
    nested deeper than Python's reader goes, another shape)."""
    try:
        msg = json.loads(text)
    except (ValueError, RecursionError):
        return None
    lang = msg.get("lang") if isinstance(msg, dict) else None
    return lang if isinstance(lang, str) else None


class PhoneView:
    """Audience states in, phone messages (JSON text) out.

    ``languages``: the languages on offer, in order (more are added as states bring them).
    ``update(state)`` returns the new message text, or None when nothing a phone shows changed.
    ``message`` is the current one (None before the first state).

    Message: ``{"seq", "cue", "texts": {lang: plain text}, "blackout", "langs"}`` and, when a
    text has italics (``<i>`` marks, as SubtitleDisplay draws them slanted), ``"italic":
    {lang: [[1, "slanted"], [0, "upright"], ...]}``: the text in runs, which the page puts in
    the DOM as text nodes and ``<i>`` elements (never as HTML), so any other markup in a cue
    is shown as the characters it is."""

    max_languages = 32

    def __init__(self, languages=()):
        self.languages = [x for x in languages if valid_language(x)]
        self.seq = 0
        self.message = None
        self._shown = None

    def update(self, state):
        """Take one audience state (a dict); the message to send, or None."""
        if not isinstance(state, dict):
            return None
        texts = state.get("texts")
        if not isinstance(texts, dict):
            texts = {}
        clean = {}
        italic = {}
        for lang in sorted(texts):
            text = texts[lang]
            if valid_language(lang) and isinstance(text, str):
                clean[lang] = strip_markup(text)
                if ITALIC_ON in text or ITALIC_OFF in text:
                    runs = [[1 if it else 0, t] for it, t in styled_runs(text)]
                    if any(r[0] for r in runs):
                        italic[lang] = runs
                if lang not in self.languages and len(self.languages) < self.max_languages:
                    self.languages.append(lang)
        blackout = bool(state.get("blackout"))
        cue = state.get("cue")
        shown = (cue if isinstance(cue, (str, int)) or cue is None else str(cue), clean, blackout,
                 tuple(self.languages), italic)
        if shown == self._shown:
            return None
        self._shown = shown
        self.seq += 1
        body = {"seq": self.seq, "cue": shown[0], "texts": {} if blackout else clean,
                "blackout": blackout, "langs": self.languages}
        if italic and not blackout:
            body["italic"] = italic
        self.message = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return self.message


class LanguageCounts:
    """Phones per language. ``join(who, code)``, ``change(who, code)``, ``leave(who)``;
    ``counts()`` -> {"total": n, "languages": {code: n}}. A code that is not a valid tag, or
    not among ``known()`` when that is given, counts as "other"."""

    def __init__(self, known=None):
        self.known = known           # a callable returning the languages on offer, or None
        self.of = {}                 # who -> code
        self.by = {}                 # code -> count

    def _norm(self, code):
        if not valid_language(code):
            return "other" if code else "none"
        if self.known is not None:
            offered = self.known()
            if offered and code not in offered:
                return "other"
        return code

    def join(self, who, code=None):
        """A phone arrived (following ``code``, or none yet)."""
        self.leave(who)
        code = self._norm(code)
        self.of[who] = code
        self.by[code] = self.by.get(code, 0) + 1

    def change(self, who, code):
        """A phone picked another language. Returns True when its count moved."""
        if who not in self.of:
            return False
        new = self._norm(code)
        if new == self.of[who]:
            return False
        self.join(who, code)
        return True

    def leave(self, who):
        """A phone left."""
        code = self.of.pop(who, None)
        if code is not None:
            n = self.by[code] - 1
            if n:
                self.by[code] = n
            else:
                del self.by[code]

    def counts(self):
        """{"total": phones, "languages": {code: phones}}."""
        return {"total": len(self.of), "languages": dict(sorted(self.by.items()))}


def format_counts(counts):
    """"3 phones (en 2, ja 1)" for a console."""
    parts = ", ".join("%s %d" % kv for kv in counts["languages"].items())
    n = counts["total"]
    return "%d phone%s%s" % (n, "" if n == 1 else "s", " (%s)" % parts if parts else "")


def join_url(base, language=None):
    """The page's URL for phones, with ``?lang=`` preselecting ``language``."""
    if not base.endswith("/"):
        base += "/"
    return base + ("?lang=%s" % language if language else "")


def qr_terminal(url):
    """The QR code of ``url`` drawn with block characters, for a terminal."""
    import segno
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_png(url, scale=8):
    """The QR code of ``url`` as PNG bytes (dark on white, with its quiet zone)."""
    import segno
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
