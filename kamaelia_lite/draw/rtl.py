"""Right-to-left text for the pygame canvas: Arabic shaping and bidi reordering (desktop).

pygame draws a string left to right, glyph by glyph. Arabic and Hebrew lines are therefore
turned into the string as it is seen: ``visual_order`` first replaces each Arabic letter by
its joined form (initial, medial, final, isolated and the lam-alef ligatures, with
``arabic-reshaper``), then reorders the line with the Unicode bidirectional algorithm
(``python-bidi``), so right-to-left runs read from the right and numbers and Latin words
inside them keep their own order. Lines without right-to-left characters are returned as
they are, at the cost of one scan.

Chosen by measuring against HarfBuzz through uharfbuzz (``tools/bench/rtl_bench.py``):
uharfbuzz shapes to glyph ids, which pygame cannot draw, and reorders nothing between runs,
so it would still need the bidi step; see docs/displays.md for the figures.

Wrap a line in logical order (as typed) and call ``visual_order`` on each wrapped line.
"""
from __future__ import annotations

from typing import Callable, Optional

_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFC))

_visual: Optional[Callable[[str], str]] = None


def has_rtl(text: str) -> bool:
    """True if ``text`` holds a Hebrew, Arabic, Syriac or Thaana character."""
    for ch in text:
        o = ord(ch)
        if o >= 0x0590:
            for lo, hi in _RTL_RANGES:
                if lo <= o <= hi:
                    return True
    return False


def _load() -> Callable[[str], str]:
    global _visual
    if _visual is None:
        try:
            from arabic_reshaper import ArabicReshaper
            from bidi import get_display
        except ImportError as e:      # pragma: no cover - both are installed by the project
            # a show goes on: say once what is missing and draw the line as typed
            import sys
            sys.stderr.write("kamaelia_lite: right-to-left text is drawn unshaped in logical order: "
                             "pip install python-bidi arabic-reshaper (%s)\n" % e)
            _visual = str
            return _visual
        reshaper = ArabicReshaper({"delete_harakat": False, "support_ligatures": True})
        unligated = ArabicReshaper({"delete_harakat": False, "support_ligatures": False})

        def visual(text: str) -> str:
            # arabic-reshaper 3.1 misplaces its ligatures after a zero-width joiner: letters
            # vanish ("\u200d" + beh lam alef beh loses the last beh) or it raises IndexError.
            # Joiners draw nothing on the pygame canvas: the line is shaped without them. Should
            # the library still fail, the line is shaped without ligatures, else drawn
            # unshaped (still reordered): a library's bug never fails the display.
            text = text.replace("\u200d", "")
            for r in (reshaper, unligated):
                try:
                    shaped = r.reshape(text)
                    break
                except Exception:
                    pass
            else:
                shaped = text
            return get_display(shaped)
        _visual = visual
    return _visual


def drawable(text: str) -> str:
    """``text`` as a font library takes it: a surrogate pair left in a str (text that went
    through UTF-16, or ``surrogatepass``) becomes the character it encodes, and a lone
    surrogate (``surrogateescape``, a pair cut in two) or a NUL becomes U+FFFD, the
    replacement character. pygame and python-bidi raise on either."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


def visual_order(text: str) -> str:
    """One line as drawn left to right: Arabic joined, right-to-left runs reversed (any str:
    lone surrogates come back as U+FFFD, see ``drawable``)."""
    if not has_rtl(text):
        return text
    return _load()(drawable(text))
