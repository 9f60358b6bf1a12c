"""pygame backend of the canvas (desktop; pygame 2 and pygame-ce; headless with
``SDL_VIDEODRIVER=dummy``). See ``kamaelia_lite.draw.canvas`` for the API.

Drawing goes to a back buffer; ``present()`` copies it (flipped when mirrored) to the
target surface — a window, a surface handed out by the display service, or an offscreen
surface — then calls ``on_present`` (e.g. ``pygame.display.flip``).

Text is drawn through a **font chain**: each run of characters uses the first font of the
chain that has glyphs for them (``kamaelia_lite.draw.fontfiles`` reads each font's character
map), so Japanese, Chinese, Arabic and Hebrew are drawn rather than empty boxes. The default
chain is pygame's own font (so Latin text keeps the look and metrics Kamaelia programs
expect), then Noto Sans, Noto Sans Arabic, Noto Sans Hebrew, Noto Sans CJK and DejaVu Sans,
where installed (``font="NotoSans-Regular.ttf"`` puts Noto Sans first). Right-to-left lines are shaped and reordered for display
(``kamaelia_lite.draw.rtl``). Runs from different fonts share the first font's baseline, and
``line_height`` is the first font's. Any str draws: a NUL or a lone surrogate is drawn as
U+FFFD, and zero-width text draws nothing (``kamaelia_lite.draw.rtl.drawable``).
"""
from __future__ import annotations

import unicodedata
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import pygame

from kamaelia_lite.draw import fontfiles
from kamaelia_lite.draw.canvas import MAX_TEXT_SIZE, Canvas
from kamaelia_lite.draw.rtl import drawable, visual_order

Colour = Tuple[int, int, int]
FontSpec = Union[None, str, Sequence[Optional[str]]]

_TEXT_CACHE_LIMIT = 512
_RUN_CACHE_LIMIT = 1024
RUNS_KEPT_UP_TO = 4000          # characters: the runs of longer lines are worked out again


def _pygame_default_font() -> str:
    import os
    return os.path.join(os.path.dirname(pygame.__file__), pygame.font.get_default_font())


def font_chain(font: FontSpec = None) -> List[str]:
    """The font files a canvas draws with, best first.

    None: pygame's own font, then the system chain (``fontfiles.default_chain()``). A font
    file (a path, or a file name found in the font directories): that font, then the system
    chain, then pygame's font. A list: exactly those files (None in it stands for pygame's
    own font).
    """
    if isinstance(font, (list, tuple)):
        chain = [_pygame_default_font() if f is None else f for f in font]
    elif font:
        chain = (fontfiles.find_fonts([font]) or [font]) + fontfiles.default_chain() + [_pygame_default_font()]
    else:
        chain = [_pygame_default_font()] + fontfiles.default_chain()
    out: List[str] = []
    for f in chain:
        if f not in out:
            out.append(f)
    return out


def _shown_slice(f: pygame.font.Font, run: str, lo: int, hi: int) -> Tuple[int, int]:
    """(a, b): ``run[a:b]`` covers the pixels ``lo``..``hi`` of the run as drawn with ``f``
    (a: the longest prefix ending at or before ``lo``; b: the shortest reaching ``hi``)."""
    def first_reaching(edge: int, at_least: int) -> int:
        low, high = at_least, len(run)       # run[:high] reaches edge (or is the whole run)
        while low < high:
            mid = (low + high) // 2
            if f.size(run[:mid])[0] >= edge:
                high = mid
            else:
                low = mid + 1
        return low
    a = max(0, first_reaching(lo, 0) - 1) if lo > 0 else 0
    return a, first_reaching(hi, a)


def _ensure_font() -> None:
    if not pygame.font.get_init():
        pygame.font.init()


class PygameCanvas(Canvas):
    """A canvas drawing on a pygame surface.

    target:      surface that ``present()`` shows into (None: an offscreen surface of ``size``).
    size:        (w, h) when there is no target.
    font:        None for the system font chain (see the module docstring), a font file
                 (tried first, the chain after it), a list of font files (exactly that chain),
                 or "bitmap" for the built-in 5x8 font (pixel-identical layout to the framebuf
                 backend).
    on_present:  called after each present (e.g. ``pygame.display.flip``).
    """

    text_cache_limit = 32 * 1024 * 1024     # bytes of rendered lines kept for reuse
    fonts_kept = 24                         # fonts (chain font x size) kept open

    def __init__(self, target: Optional[pygame.Surface] = None, size: Optional[Tuple[int, int]] = None,
                 font: FontSpec = None, on_present: Optional[Callable[[], None]] = None,
                 default_size: int = 24) -> None:
        if target is None:
            if size is None:
                raise ValueError("PygameCanvas needs a target surface or a size")
            target = pygame.Surface((int(size[0]), int(size[1])))
        w, h = target.get_size()
        super().__init__(w, h)
        self.target = target
        self.surface = pygame.Surface((w, h))
        self.font_name = font
        self.on_present = on_present
        self.default_size = default_size
        self._fonts: dict = {}
        self._text_cache: dict = {}
        self._text_cost: Dict[tuple, int] = {}
        self.text_cache_bytes = 0       # bytes of rendered lines kept for reuse
        self._runs_cache: Dict[str, list] = {}
        self._font_of: Dict[str, int] = {}
        self.chain: List[str] = []
        self._covers: list = []
        if font != "bitmap":
            _ensure_font()
            self.chain = font_chain(font)
            for path in self.chain:
                try:
                    self._covers.append(fontfiles.coverage(path))
                except (OSError, ValueError, IndexError):
                    self._covers.append(None)       # unreadable map: use it only as the first font

    # -- shapes ------------------------------------------------------------------------
    def fill(self, colour: Colour) -> None:
        self.surface.fill(colour)

    def fill_rect(self, x: int, y: int, w: int, h: int, colour: Colour) -> None:
        if w > 0 and h > 0:
            self.surface.fill(colour, (int(x), int(y), int(w), int(h)))

    def line(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        """A 1-pixel line between two points."""
        pygame.draw.line(self.surface, colour, (x0, y0), (x1, y1))

    # -- text --------------------------------------------------------------------------
    def _font(self, size: int, index: int = 0) -> pygame.font.Font:
        size = max(1, min(MAX_TEXT_SIZE, int(size)))    # pygame crashes on fonts of ~100 000 px
        key = (index, size)
        f = self._fonts.get(key)
        if f is None:
            if len(self._fonts) >= self.fonts_kept:
                del self._fonts[next(iter(self._fonts))]     # close the oldest opened
            f = pygame.font.Font(self.chain[index], size)
            self._fonts[key] = f
        return f

    def font_for(self, ch: str) -> int:
        """Index in ``chain`` of the first font with a glyph for ``ch`` (0 if none has one)."""
        i = self._font_of.get(ch)
        if i is None:
            i = 0
            o = ord(ch)
            for n, cov in enumerate(self._covers):
                if cov is not None and cov.has(o):
                    i = n
                    break
            if len(self._font_of) < 8192:
                self._font_of[ch] = i
        return i

    def runs(self, text: str) -> List[Tuple[int, str]]:
        """The line as drawn: ``(font index, characters)`` runs, left to right (visual order)."""
        got = self._runs_cache.get(text)
        if got is not None:
            return got
        if text.isascii():
            shown = text.replace("\0", "\ufffd") if "\0" in text else text
        else:
            shown = visual_order(unicodedata.normalize("NFC", drawable(text)))
        out: List[Tuple[int, str]] = []
        cur = -1
        start = 0
        for k, ch in enumerate(shown):
            if ch == " " and cur >= 0:
                continue                        # a space stays in the run it is in
            i = self.font_for(ch)
            if i != cur:
                if k > start:
                    out.append((cur if cur >= 0 else i, shown[start:k]))
                    start = k
                cur = i
        if start < len(shown):
            out.append((max(cur, 0), shown[start:]))
        if len(text) <= RUNS_KEPT_UP_TO:
            if len(self._runs_cache) >= _RUN_CACHE_LIMIT:
                self._runs_cache.clear()
            self._runs_cache[text] = out
        return out

    def text_width(self, text: str, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if self.font_name == "bitmap":
            return self._bitmap_width(text, size)
        return sum(self._font(size, i).size(run)[0] for i, run in self.runs(text))

    def line_height(self, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if self.font_name == "bitmap":
            return self._bitmap_line_height(size)
        return self._font(size).get_linesize()

    def _render(self, text: str, size: int, colour: Colour, left: Optional[int] = None,
                right: Optional[int] = None) -> list:
        """[(surface, dx, dy)] for one line: each run on the first font's baseline. With
        ``left``/``right`` (offsets from the line's x), only what falls between them (and a
        margin of one ``size``) is rendered: a run that reaches past them is cut to its
        characters that show."""
        ascent = self._font(size).get_ascent()
        parts = []
        dx = 0
        for i, run in self.runs(text):
            f = self._font(size, i)
            w = f.size(run)[0]
            if w and (left is None or (dx + w > left and dx < right)):
                at = dx
                if left is not None and w > right - left + 4 * size:
                    a, b = _shown_slice(f, run, left - dx - size, right - dx + size)
                    at = dx + f.size(run[:a])[0]
                    run = run[a:b]
                if run and f.size(run)[0]:      # SDL_ttf refuses to render zero-width text
                    parts.append((f.render(run, True, colour), at, ascent - f.get_ascent()))
            dx += w
        return parts

    def text(self, text: str, x: int, y: int, colour: Colour, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if not text:
            return 0
        if self.font_name == "bitmap":
            return self._bitmap_text(text, x, y, colour, size)
        x = int(x)
        y = int(y)
        key = (text, size, tuple(colour))
        got = self._text_cache.get(key)
        if got is None:
            width = self.text_width(text, size)
            if width > 2 * self.width + 8 * min(size, MAX_TEXT_SIZE):
                # far wider than the canvas: render only what shows, and keep nothing
                for surf, dx, dy in self._render(text, size, colour, -x, self.width - x):
                    self.surface.blit(surf, (x + dx, y + dy))
                return width
            got = (self._render(text, size, colour), width)
            self._keep(key, got)
        for surf, dx, dy in got[0]:
            self.surface.blit(surf, (x + dx, y + dy))
        return got[1]

    def _keep(self, key: tuple, got: Tuple[list, int]) -> None:
        """Keep a rendered line for reuse, forgetting the oldest while over ``text_cache_limit``
        bytes or ``_TEXT_CACHE_LIMIT`` lines."""
        cost = 64 + sum(4 * surf.get_width() * surf.get_height() for surf, _dx, _dy in got[0])
        if cost > self.text_cache_limit // 4:
            return                  # a line that big is drawn again rather than kept
        cache = self._text_cache
        while cache and (len(cache) >= _TEXT_CACHE_LIMIT or self.text_cache_bytes + cost > self.text_cache_limit):
            old = next(iter(cache))          # dicts keep insertion order: the oldest first
            self.text_cache_bytes -= self._text_cost.pop(old)
            del cache[old]
        cache[key] = got
        self._text_cost[key] = cost
        self.text_cache_bytes += cost

    # -- pixels ------------------------------------------------------------------------
    def scroll(self, dx: int, dy: int, x: int = 0, y: int = 0, w: Optional[int] = None,
               h: Optional[int] = None) -> None:
        w = self.width - x if w is None else w
        h = self.height - y if h is None else h
        region = self.surface.subsurface(pygame.Rect(x, y, w, h).clip(self.surface.get_rect()))
        region.scroll(int(dx), int(dy))

    def blit(self, image, x: int, y: int) -> None:
        if isinstance(image, PygameCanvas):
            image = image.surface
        self.surface.blit(image, (int(x), int(y)))

    def present(self) -> None:
        mx, my = self.mirror
        if mx or my:
            self.target.blit(pygame.transform.flip(self.surface, mx, my), (0, 0))
        else:
            self.target.blit(self.surface, (0, 0))
        if self.on_present is not None:
            self.on_present()

    def get_pixel(self, x: int, y: int) -> Colour:
        c = self.target.get_at((int(x), int(y)))
        return (c[0], c[1], c[2])


def window_canvas(size: Tuple[int, int], caption: str = "kamaelia_lite", **kw) -> PygameCanvas:
    """Open a pygame window of ``size`` and return a canvas presenting into it."""
    pygame.display.init()
    screen = pygame.display.set_mode((int(size[0]), int(size[1])))
    pygame.display.set_caption(caption)
    return PygameCanvas(screen, on_present=pygame.display.flip, **kw)
