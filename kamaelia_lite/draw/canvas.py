"""The canvas: the tiny drawing interface every display component draws through.

Backends
--------
- ``kamaelia_lite.draw.canvas_pygame.PygameCanvas`` — desktop (pygame / pygame-ce, also
  Android via pygame-ce); ``SDL_VIDEODRIVER=dummy`` runs it headless.
- ``kamaelia_lite.draw.canvas_framebuf.FramebufCanvas`` — MicroPython ``framebuf``
  (RGB565 or 1-bit mono), with the built-in 5x8 bitmap font (``font5x8``) scaled by whole
  numbers. Also runs on CPython if a ``framebuf`` module is importable.

So the ticker/teleprompter/subtitle logic is written once against this API.

API (all coordinates in pixels, origin top-left, colours ``(r, g, b)`` 0..255)
---------------------------------------------------------------------------
``c.width``, ``c.height``              size of the canvas
``c.fill(colour)``                     whole canvas
``c.fill_rect(x, y, w, h, colour)``    filled rectangle (clipped)
``c.rect(x, y, w, h, colour)``         1-pixel outline
``c.hline(x, y, w, colour)``, ``c.vline(x, y, h, colour)``  e.g. the reading-line marker
``c.text(s, x, y, colour, size=None) -> width``   one line, top-left at (x, y); no wrapping
``c.text_width(s, size=None) -> int``  width ``text`` would take
``c.line_height(size=None) -> int``    distance between wrapped lines
``c.wrap(text, width, size=None) -> [str]``     word wrap (newlines kept, long words broken)
``c.text_box(text, x, y, w, colour, size=None, align="left"|"centre"|"right") -> height``
``c.scroll(dx, dy, x=0, y=0, w=None, h=None)``  move a region's pixels by (dx, dy); the
                                       uncovered strip keeps old pixels (fill it yourself)
``c.blit(image, x, y)``                draw a backend-native image (pygame Surface /
                                       framebuf FrameBuffer) or another canvas of the backend
``c.set_mirror(x=False, y=False)``     mirror the output (beam-splitter glass); redraw after
                                       changing it. ``c.mirror`` is the current (x, y).
``c.present()``                        show what was drawn (flip / push to the device)
``c.get_pixel(x, y) -> (r, g, b)``     the pixel as shown after ``present()`` (for tests)

``size`` is the text height in pixels (default ``c.default_size``), at most ``MAX_TEXT_SIZE``
(2048; larger sizes draw at it, sizes below 1 at 1). The framebuf backend
rounds it to a multiple of 8 (its glyph scale is ``max(1, (size + 4) // 8)``).
The bitmap font draws ASCII and Latin-1 (accents, ß, ç, ñ, «», ¿, £, ...) as glyphs; outside
Latin-1, curly quotes and dashes are straightened and Latin Extended-A letters lose their
accent (``bitmap_fold``); anything else shows as a box. Its widths are exact: a line of n
glyphs is ``n * 6 * scale - scale`` wide and its ink never passes that width.

This module itself is portable (no pygame, no typing): it holds the shared base class.
"""
from kamaelia_lite.draw import font5x8
from kamaelia_lite.draw.layout import MAX_TEXT_SIZE, wrap_text  # noqa: F401  (MAX_TEXT_SIZE: re-exported)

# Characters outside Latin-1 that the bitmap font shows as look-alikes: typographic
# punctuation, and Latin Extended-A letters (U+0100..U+017F, one base letter each in
# _EXT_A; "\0" marks the ligatures in _FOLD). Latin-1 itself has glyphs and is never folded.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u2033": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-",
    "\u2026": "...", "\u2022": "\u00b7", "\u2039": "<", "\u203a": ">", "\u20ac": "EUR",
    "\u0132": "IJ", "\u0133": "ij", "\u0152": "OE", "\u0153": "oe", "\t": " ",
}
_EXT_A = ("AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi\0\0JjKkkLlLlLlLlLlNnNnNnnNn"
          "OoOo\u00d6\u00f6\0\0RrRrRrSsSsSsSsTtTtTtUuUuUuUu\u00dc\u00fcUuWwYyYZzZzZzs")


def bitmap_fold(text):
    """Map text onto the bitmap font's repertoire (ASCII + Latin-1): characters outside it
    become look-alikes where there is one (curly quotes, dashes, Latin Extended-A letters);
    anything else is kept and drawn as the 'missing' box."""
    for ch in text:
        o = ord(ch)
        if o > 255 or o < 32 or 126 < o < 160:
            break
    else:
        return text
    out = []
    for ch in text:
        o = ord(ch)
        if 0x100 <= o <= 0x17F and _EXT_A[o - 0x100] != "\0":
            out.append(_EXT_A[o - 0x100])
        else:
            out.append(_FOLD.get(ch, ch))
    return "".join(out)


def glyph_index(ch):
    """Index of ``ch`` in font5x8.DATA / 8 (the 'missing' box for anything unknown)."""
    o = ord(ch)
    if font5x8.FIRST <= o <= font5x8.LAST:
        return o - font5x8.FIRST
    if font5x8.FIRST2 <= o <= font5x8.LAST2:
        return o - font5x8.FIRST2 + font5x8.GAP
    return font5x8.MISSING


def bitmap_scale(size):
    """Whole-number scale of the 5x8 font for a text size in pixels (1 .. MAX_TEXT_SIZE / 8)."""
    return max(1, min(MAX_TEXT_SIZE // 8, (int(size) + 4) // 8))


class Canvas:
    """Shared behaviour of every backend; subclasses implement the drawing primitives.

    Subclasses provide: ``fill_rect``, ``text`` (or use ``_bitmap_text``), ``text_width``,
    ``line_height``, ``scroll``, ``blit``, ``present``, ``get_pixel``.
    """

    default_size = 24

    def __init__(self, width, height):
        self.width = int(width)
        self.height = int(height)
        self.mirror = (False, False)

    # -- shapes ----------------------------------------------------------------------
    def fill(self, colour):
        """Fill the whole canvas with ``colour``."""
        self.fill_rect(0, 0, self.width, self.height, colour)

    def hline(self, x, y, w, colour):
        """Horizontal 1-pixel line of length ``w`` starting at (x, y)."""
        self.fill_rect(x, y, w, 1, colour)

    def vline(self, x, y, h, colour):
        """Vertical 1-pixel line of height ``h`` starting at (x, y)."""
        self.fill_rect(x, y, 1, h, colour)

    def rect(self, x, y, w, h, colour):
        """1-pixel rectangle outline."""
        if w <= 0 or h <= 0:
            return
        self.fill_rect(x, y, w, 1, colour)
        self.fill_rect(x, y + h - 1, w, 1, colour)
        self.fill_rect(x, y, 1, h, colour)
        self.fill_rect(x + w - 1, y, 1, h, colour)

    def set_mirror(self, x=False, y=False):
        """Mirror the output horizontally (x) and/or vertically (y). Redraw afterwards."""
        self.mirror = (bool(x), bool(y))

    # -- text ------------------------------------------------------------------------
    def measure(self, text, size=None):
        """(width, line height) of one line of text."""
        return (self.text_width(text, size), self.line_height(size))

    def wrap(self, text, width, size=None):
        """Word-wrap ``text`` into lines no wider than ``width`` pixels."""
        def measure(s):
            return self.text_width(s, size)
        return wrap_text(text, width, measure)

    def text_box(self, text, x, y, w, colour, size=None, align="left"):
        """Draw wrapped text in a column ``w`` wide from (x, y); returns the height used."""
        lh = self.line_height(size)
        lines = self.wrap(text, w, size)
        for i, line in enumerate(lines):
            lx = x
            if align != "left":
                tw = self.text_width(line, size)
                lx = x + (w - tw) // 2 if align in ("centre", "center") else x + w - tw
            self.text(line, lx, y + i * lh, colour, size)
        return len(lines) * lh

    # -- the built-in bitmap font drawn with fill_rect (any backend) -----------------
    def _bitmap_width(self, text, size):
        n = len(bitmap_fold(text))
        if n == 0:
            return 0
        s = bitmap_scale(size)
        return n * font5x8.ADVANCE * s - s

    def _bitmap_line_height(self, size):
        return font5x8.LINE * bitmap_scale(size)

    def _bitmap_text(self, text, x, y, colour, size):
        """Draw text with the 5x8 font as runs of rectangles; returns the width."""
        s = bitmap_scale(size)
        data = font5x8.DATA
        text = bitmap_fold(text)
        cx = x
        right = self.width
        fill_rect = self.fill_rect
        for ch in text:
            if cx >= right:
                break               # the rest is beyond the canvas edge
            base = glyph_index(ch) * 8
            if base != 0:  # not a space
                for row in range(8):
                    bits = data[base + row]
                    col = 0
                    while bits and col < 8:
                        if bits & (0x80 >> col):
                            run = col
                            while run < 8 and bits & (0x80 >> run):
                                bits &= ~(0x80 >> run)
                                run += 1
                            fill_rect(cx + col * s, y + row * s, (run - col) * s, s, colour)
                            col = run
                        else:
                            col += 1
            cx += font5x8.ADVANCE * s
        return self._bitmap_width(text, size)
