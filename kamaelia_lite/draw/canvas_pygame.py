"""pygame backend of the canvas (desktop; pygame 2 and pygame-ce; headless with
``SDL_VIDEODRIVER=dummy``). See ``kamaelia_lite.draw.canvas`` for the API.

Drawing goes to a back buffer; ``present()`` copies it (flipped when mirrored) to the
target surface — a window, a surface handed out by the display service, or an offscreen
surface — then calls ``on_present`` (e.g. ``pygame.display.flip``).
"""
from __future__ import annotations

from typing import Callable, Optional, Tuple

import pygame

from kamaelia_lite.draw.canvas import Canvas

Colour = Tuple[int, int, int]

_TEXT_CACHE_LIMIT = 512


def _ensure_font() -> None:
    if not pygame.font.get_init():
        pygame.font.init()


class PygameCanvas(Canvas):
    """A canvas drawing on a pygame surface.

    target:      surface that ``present()`` shows into (None: an offscreen surface of ``size``).
    size:        (w, h) when there is no target.
    font:        a font file name, None for pygame's default font, or "bitmap" for the
                 built-in 5x8 font (pixel-identical layout to the framebuf backend).
    on_present:  called after each present (e.g. ``pygame.display.flip``).
    """

    def __init__(self, target: Optional[pygame.Surface] = None, size: Optional[Tuple[int, int]] = None,
                 font: Optional[str] = None, on_present: Optional[Callable[[], None]] = None,
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
        if font != "bitmap":
            _ensure_font()

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
    def _font(self, size: int) -> pygame.font.Font:
        f = self._fonts.get(size)
        if f is None:
            f = pygame.font.Font(self.font_name, int(size))
            self._fonts[size] = f
        return f

    def text_width(self, text: str, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if self.font_name == "bitmap":
            return self._bitmap_width(text, size)
        return self._font(size).size(text)[0]

    def line_height(self, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if self.font_name == "bitmap":
            return self._bitmap_line_height(size)
        return self._font(size).get_linesize()

    def text(self, text: str, x: int, y: int, colour: Colour, size: Optional[int] = None) -> int:
        size = size or self.default_size
        if not text:
            return 0
        if self.font_name == "bitmap":
            return self._bitmap_text(text, x, y, colour, size)
        key = (text, size, tuple(colour))
        rendered = self._text_cache.get(key)
        if rendered is None:
            if len(self._text_cache) >= _TEXT_CACHE_LIMIT:
                # forget the oldest half (dicts keep insertion order), not everything at once
                for k in list(self._text_cache)[:_TEXT_CACHE_LIMIT // 2]:
                    del self._text_cache[k]
            rendered = self._font(size).render(text, True, colour)
            self._text_cache[key] = rendered
        self.surface.blit(rendered, (int(x), int(y)))
        return rendered.get_width()

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
