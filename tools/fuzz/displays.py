"""Fuzz targets for what the displays do with the text they are given (the drawing side).

    SDL_VIDEODRIVER=dummy python3 -m tools.fuzz.displays --list
    SDL_VIDEODRIVER=dummy python3 -m tools.fuzz.displays TARGET -max_total_time=180 -timeout=2 -rss_limit_mb=1024

A surtitle, teleprompter or ticker display must never blank, hang or crash because of the
text it shows: cue files, typed lines and network messages reach ``canvas.text`` as they came.
Each target feeds any unicode (lone surrogates, NUL and controls, bidi controls, combining
marks, joiners, emoji, CJK, words that cannot wrap, piles of newlines) with any width and
size, and checks what the module promises besides not raising:

* ``layout``: ``wrap_text`` / ``wrap_words`` with a width-of-each-character measure (zero-width
  marks included): every line fits or is one character, and no character is lost.
* ``rtl``: ``visual_order`` on any line: a string back, left alone when it has no RTL.
* ``bitmap``: the 5x8 font drawn through the base canvas: ``text`` returns ``text_width``,
  draws inside that width, and ``wrap`` / ``text_box`` keep every line within the column.
* ``pygame``: the same through ``PygameCanvas`` with the system font chain (Noto, Noto CJK,
  DejaVu where installed), any size.
* ``script``: any text as a teleprompter script: its words, blocks and markers agree, and
  its layout covers every word once, in order.
* ``cmap``: any bytes as a font file's character map: a coverage, or the ValueError /
  OSError the canvas expects from an unreadable font.
* ``subtitles``: cue blocks (italics marks included) through ``render_subtitles``.
* ``strips``: text sent to a Ticker, a Crawl and a Teleprompter, drawn on a small canvas.
"""
from __future__ import annotations

import os
import struct
import sys
import tempfile
import unicodedata
from typing import Dict, List, Tuple

from tools.fuzz import runner

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

_MODULES = (
    "kamaelia_lite.draw.layout",
    "kamaelia_lite.draw.rtl",
    "kamaelia_lite.draw.canvas",
    "kamaelia_lite.draw.fontfiles",
    "kamaelia_lite.draw.canvas_pygame",
    "kamaelia_lite.displays.script",
    "kamaelia_lite.displays.subtitle_display",
    "kamaelia_lite.displays.strip",
    "kamaelia_lite.displays.ticker",
    "kamaelia_lite.displays.crawl",
    "kamaelia_lite.displays.teleprompter",
)

if __name__ == "__main__":
    runner.instrumented(*_MODULES)

import atheris  # noqa: E402

from kamaelia_lite.displays.crawl import Crawl  # noqa: E402
from kamaelia_lite.displays.script import HEADING, PARAGRAPH, Script, layout_lines  # noqa: E402
from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles  # noqa: E402
from kamaelia_lite.displays.teleprompter import Teleprompter  # noqa: E402
from kamaelia_lite.displays.ticker import Ticker  # noqa: E402
from kamaelia_lite.draw import fontfiles  # noqa: E402
from kamaelia_lite.draw.canvas import Canvas  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.draw.layout import wrap_text, wrap_words  # noqa: E402
from kamaelia_lite.draw.rtl import has_rtl, visual_order  # noqa: E402

# pieces a hostile or unlucky text is made of; the fuzzer mixes them with its own characters
PIECES = ("\u0000", "\ud800", "\udfff", "\ud83d\ude00", "\u200b", "\u200c", "\u200d", "\u202e", "\u202c",
          "\u2066", "\u2069", "\u061c", "\u0301", "\u0644\u0627", "\u05d0\u05d1", "\u0627\u0644\u0639",
          "\u6f22\u5b57", "\U0001f469\u200d\U0001f4bb", "\ufeff", "\ufffd", "\n", "\r", "\t", " ",
          "\u00a0", "\u2028", "\x85", "\x1b[31m", "\x7f", "<i>", "</i>", "[[m]]", "# ", "**", "[a](b)",
          "wwwwwwwwwwww", "a", "1", "\u0e01\u0e34", "\u0915\u094d\u0937")


def _text(fdp: atheris.FuzzedDataProvider, limit: int = 200) -> str:
    """Text built from the hostile pieces above and the fuzzer's own characters."""
    parts: List[str] = []
    for _ in range(fdp.ConsumeIntInRange(0, 24)):
        if fdp.ConsumeBool():
            parts.append(fdp.PickValueInList(list(PIECES)) * fdp.ConsumeIntInRange(1, 3))
        else:
            parts.append(fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 16)))
    return "".join(parts)[:limit]


def _char_width(ch: str) -> int:
    """A font-like width: 0 for marks, formats and controls, wide for CJK, else 5..9."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc", "Cs"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 16
    return 5 + ord(ch) % 5


def _measure(s: str) -> int:
    return sum(_char_width(ch) for ch in s)


class _RecordingCanvas(Canvas):
    """The base canvas with the bitmap font, recording the rectangles text draws."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(width, height)
        self.rects: List[Tuple[int, int, int, int]] = []

    def fill_rect(self, x, y, w, h, colour):  # noqa: D102 - the base class documents it
        self.rects.append((x, y, w, h))

    def text_width(self, s, size=None):  # noqa: D102
        return self._bitmap_width(s, size or self.default_size)

    def line_height(self, size=None):  # noqa: D102
        return self._bitmap_line_height(size or self.default_size)

    def text(self, s, x, y, colour, size=None):  # noqa: D102
        return self._bitmap_text(s, x, y, colour, size or self.default_size)


_canvases: Dict[Tuple[int, int, str], PygameCanvas] = {}


def _pygame_canvas(w: int, h: int, font: str = "") -> PygameCanvas:
    key = (w, h, font)
    c = _canvases.get(key)
    if c is None:
        c = _canvases[key] = PygameCanvas(size=(w, h), font=font or None)
        c.text_cache_limit = 2 * 1024 * 1024      # many canvases in one process: keep RSS low
    return c


def _check_wrapped(lines: List[str], text: str, width: int, measure) -> None:
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split()), (lines, text)
    assert len(lines) >= text.count("\n") + 1, (len(lines), text.count("\n"))
    for line in lines:
        assert measure(line) <= width or len(line.split()) <= 1, (line, width)


# ------------------------------------------------------------------------------- targets


def fuzz_layout(data: bytes) -> None:
    """Any text and width: lines fit (or hold one piece of a word), nothing is lost."""
    fdp = atheris.FuzzedDataProvider(data)
    width = fdp.ConsumeIntInRange(-10, 120)
    text = _text(fdp, 400)
    lines = wrap_text(text, width, _measure)
    _check_wrapped(lines, text, width, _measure)
    for line in lines:
        if line and _measure(line) > width:
            assert len(line) == 1 or _measure(line[0]) > width or _measure(line[:-1]) <= width, (line, width)
    words = text.split()
    spans = wrap_words(words, width, _measure)
    at = 0
    for start, end in spans:
        assert start == at and end > start, spans
        at = end
    assert at == len(words), (spans, len(words))


def fuzz_rtl(data: bytes) -> None:
    """Any line: a string back; lines with no RTL character come back unchanged."""
    fdp = atheris.FuzzedDataProvider(data)
    text = _text(fdp)
    shown = visual_order(text)
    assert isinstance(shown, str)
    if not has_rtl(text):
        assert shown == text


def fuzz_bitmap(data: bytes) -> None:
    """The 5x8 font on the base canvas: text() draws inside the width text_width() reports."""
    fdp = atheris.FuzzedDataProvider(data)
    c = _RecordingCanvas(fdp.ConsumeIntInRange(0, 300), fdp.ConsumeIntInRange(0, 100))
    size = fdp.ConsumeIntInRange(-10, 200)
    width = fdp.ConsumeIntInRange(-10, 300)
    x = fdp.ConsumeIntInRange(-50, 50)
    text = _text(fdp)
    w = c.text_width(text, size)
    got = c.text(text, x, 0, (255, 255, 255), size)
    assert got == w, (got, w)
    for rx, _ry, rw, _rh in c.rects:
        assert x <= rx and rx + rw <= x + max(w, 0), (rx, rw, x, w)

    def measure(s: str) -> int:
        return c.text_width(s, size)
    _check_wrapped(c.wrap(text, width, size), text, width, measure)
    c.text_box(text, 0, 0, width, (1, 2, 3), size, align=fdp.PickValueInList(["left", "centre", "right"]))


def fuzz_pygame(data: bytes) -> None:
    """The pygame canvas with the system font chain: any text at any size draws and wraps."""
    fdp = atheris.FuzzedDataProvider(data)
    c = _pygame_canvas(fdp.PickValueInList([1, 64, 320]), fdp.PickValueInList([1, 48]),
                       fdp.PickValueInList(["", "NotoSans-Regular.ttf"]))
    size = fdp.PickValueInList([1, 2, 8, 24, 72, 300])
    width = fdp.ConsumeIntInRange(-10, 400)
    text = _text(fdp)
    w = c.text_width(text, size)
    assert w >= 0
    got = c.text(text, fdp.ConsumeIntInRange(-100, 100), 0, (255, 255, 255), size)
    assert got >= 0
    lines = c.wrap(text, width, size)
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())
    c.text_box(text, 0, 0, width, (1, 2, 3), size, align="centre")
    c.present()


def fuzz_script(data: bytes) -> None:
    """Any text as a teleprompter script: blocks cover the words in order, markers point into
    them, and the layout holds every word once."""
    fdp = atheris.FuzzedDataProvider(data)
    markdown = fdp.ConsumeBool()
    text = _text(fdp, 600)
    doc = Script(text, markdown)
    at = 0
    for kind, start, end in doc.blocks:
        assert kind in (HEADING, PARAGRAPH) and start == at and end > start, doc.blocks
        at = end
    assert at == len(doc.words)
    for name, w in doc.markers:
        assert 0 <= w <= len(doc.words) and name, doc.markers
        assert doc.find_marker(name) is not None
    doc.find_marker(_text(fdp, 20))
    width = fdp.ConsumeIntInRange(-10, 200)
    covered = []
    for start, end, _kind in layout_lines(doc, width, _measure):
        covered.extend(range(start, end))
    assert covered == list(range(len(doc.words))), covered


_FONT_PATH = os.path.join(tempfile.mkdtemp(prefix="fuzz-displays-"), "fuzzed.ttf")


def fuzz_cmap(data: bytes) -> None:
    """Any bytes as a font file: a coverage, or ValueError / OSError. Half the inputs are put
    behind a well-formed table directory pointing at a ``cmap`` table, so the fuzzer reaches
    the format 4 / 12 readers and not only the header checks."""
    if data[:1] == b"\x01":
        body = data[1:]
        data = struct.pack(">IHHHH", 0x10000, 1, 0, 0, 0) + b"cmap" + struct.pack(">III", 0, 28, len(body)) + body
    with open(_FONT_PATH, "wb") as f:
        f.write(data)
    cov = fontfiles.read_cmap(_FONT_PATH)
    for cp in (0, 65, 0x10FFFF, 0xFFFF):
        cov.has(cp)
    len(cov)


def fuzz_subtitles(data: bytes) -> None:
    """Cue blocks with any text and italics marks, rendered to fit a small display."""
    fdp = atheris.FuzzedDataProvider(data)
    c = _pygame_canvas(fdp.PickValueInList([1, 64, 320]), fdp.PickValueInList([1, 48, 240]))
    blocks = [(lang, _text(fdp)) for lang in ("en", "fr", "ar")[:fdp.ConsumeIntInRange(0, 3)]]
    style = SubtitleStyle(size=fdp.PickValueInList([1, 8, 32, 200]), min_size=fdp.PickValueInList([1, 8]),
                          margin=fdp.ConsumeIntInRange(-5, 40), valign=fdp.PickValueInList(["top", "centre", "bottom"]),
                          backdrop=fdp.PickValueInList(["none", "outline", "box"]))
    render_subtitles(c, blocks, style)


def fuzz_strips(data: bytes) -> None:
    """Text sent to the ticker, crawl and teleprompter, drawn (no scheduler: their methods)."""
    fdp = atheris.FuzzedDataProvider(data)
    c = _pygame_canvas(fdp.PickValueInList([1, 64, 320]), fdp.PickValueInList([1, 48]))
    size = fdp.PickValueInList([1, 8, 24, 200])
    texts = [_text(fdp) for _ in range(fdp.ConsumeIntInRange(1, 3))]
    t = Ticker(canvas=c, text_height=size, render_right=c.width, render_bottom=c.height)
    t.clear()
    for s in texts:
        t._take_text(s)
    for word in t.pending:
        t.show_word(word)
    cr = Crawl(canvas=c, text_height=size)
    for s in texts:
        cr.add(s)
        cr.advance(fdp.ConsumeIntInRange(0, 100) / 10.0)
        cr.render()
    tp = Teleprompter(canvas=c, font_size=size, margin=fdp.ConsumeIntInRange(-5, 20))
    tp.set_script("\n".join(texts))
    tp.goto_word(fdp.ConsumeIntInRange(-2, 60))
    tp.render()


TARGETS: runner.Targets = {
    "layout": (fuzz_layout, ()),
    "rtl": (fuzz_rtl, ()),
    "bitmap": (fuzz_bitmap, ()),
    "pygame": (fuzz_pygame, ()),
    "script": (fuzz_script, ()),
    "cmap": (fuzz_cmap, (ValueError, OSError)),
    "subtitles": (fuzz_subtitles, ()),
    "strips": (fuzz_strips, ()),
}

if __name__ == "__main__":
    sys.exit(runner.main(TARGETS))
