"""MicroPython ``framebuf`` backend of the canvas (RGB565 or 1-bit mono).

Text uses the built-in 5x8 bitmap font (``font5x8``), scaled by whole numbers; each
glyph is turned once into a small mono FrameBuffer and blitted with a two-entry palette,
so drawing a character is one C call. Mirroring is applied while drawing (coordinates
and glyphs are flipped), so the buffer always holds what the glass shows and a device
driver can push it unchanged.

    import framebuf
    from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas
    c = FramebufCanvas(240, 135)                    # own RGB565 buffer
    c = FramebufCanvas(128, 64, mono=True, fb=oled, show=oled.show)   # e.g. an SSD1306 driver

Portable code: no typing, no f-strings; runs on MicroPython and on CPython when a
``framebuf`` module exists. See ``kamaelia_lite.draw.canvas`` for the API.
"""
import framebuf

from kamaelia_lite.draw import font5x8
from kamaelia_lite.draw.canvas import Canvas, bitmap_fold, bitmap_scale, glyph_index


def rgb565(colour):
    """(r, g, b) -> a 16-bit RGB565 value."""
    r, g, b = colour[0], colour[1], colour[2]
    return ((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3)


def rgb_from565(v):
    """16-bit RGB565 value -> (r, g, b), low bits filled so white stays 255."""
    r = (v >> 11) & 0x1F
    g = (v >> 5) & 0x3F
    b = v & 0x1F
    return ((r << 3) | (r >> 2), (g << 2) | (g >> 4), (b << 3) | (b >> 2))


def mono_value(colour):
    """(r, g, b) -> 1 (ink) if its luminance is at least half, else 0."""
    return 1 if (colour[0] * 299 + colour[1] * 587 + colour[2] * 114) >= 127500 else 0


class FramebufCanvas(Canvas):
    """A canvas on a ``framebuf.FrameBuffer``.

    width, height: pixels. mono: 1-bit (MONO_HLSB unless ``fb`` is given) instead of RGB565.
    fb: an existing FrameBuffer (e.g. a display driver that subclasses it); else one is made
    over ``buffer`` (or a new bytearray). show: called by ``present()`` to push to a device.
    """

    default_size = 8

    def __init__(self, width, height, mono=False, fb=None, buffer=None, show=None, default_size=8):
        Canvas.__init__(self, width, height)
        self.mono = bool(mono)
        if fb is None:
            if self.mono:
                size = ((self.width + 7) // 8) * self.height
                fmt = framebuf.MONO_HLSB
            else:
                size = self.width * self.height * 2
                fmt = framebuf.RGB565
            if buffer is None:
                buffer = bytearray(size)
            fb = framebuf.FrameBuffer(buffer, self.width, self.height, fmt)
        self.buffer = buffer
        self.fb = fb
        self.show = show
        self.default_size = default_size
        self._glyphs = {}
        self._palettes = {}
        self._scratch = None

    # -- colours -----------------------------------------------------------------------
    def native(self, colour):
        """The pixel value the buffer stores for (r, g, b)."""
        return mono_value(colour) if self.mono else rgb565(colour)

    def _palette(self, value):
        p = self._palettes.get(value)
        if p is None:
            if self.mono:
                p = framebuf.FrameBuffer(bytearray(1), 2, 1, framebuf.MONO_HLSB)
            else:
                p = framebuf.FrameBuffer(bytearray(4), 2, 1, framebuf.RGB565)
            p.pixel(0, 0, 0)
            p.pixel(1, 0, value)
            if len(self._palettes) > 32:
                self._palettes = {}
            self._palettes[value] = p
        return p

    # -- shapes (mirroring applied here) ------------------------------------------------
    def fill(self, colour):
        self.fb.fill(self.native(colour))

    def fill_rect(self, x, y, w, h, colour):
        if w <= 0 or h <= 0:
            return
        x = int(x)
        y = int(y)
        w = int(w)
        h = int(h)
        if self.mirror[0]:
            x = self.width - x - w
        if self.mirror[1]:
            y = self.height - y - h
        self.fb.fill_rect(x, y, w, h, self.native(colour))

    def line(self, x0, y0, x1, y1, colour):
        """A 1-pixel line between two points."""
        if self.mirror[0]:
            x0 = self.width - 1 - x0
            x1 = self.width - 1 - x1
        if self.mirror[1]:
            y0 = self.height - 1 - y0
            y1 = self.height - 1 - y1
        self.fb.line(int(x0), int(y0), int(x1), int(y1), self.native(colour))

    def set_mirror(self, x=False, y=False):
        Canvas.set_mirror(self, x, y)

    # -- text ------------------------------------------------------------------------
    def text_width(self, text, size=None):
        return self._bitmap_width(text, size or self.default_size)

    def line_height(self, size=None):
        return self._bitmap_line_height(size or self.default_size)

    def _glyph(self, index, scale):
        mx, my = self.mirror
        key = (index, scale, mx, my)
        g = self._glyphs.get(key)
        if g is not None:
            return g
        w = font5x8.WIDTH * scale
        h = font5x8.HEIGHT * scale
        stride = (w + 7) // 8
        g = framebuf.FrameBuffer(bytearray(stride * h), w, h, framebuf.MONO_HLSB)
        data = font5x8.DATA
        base = index * 8
        for row in range(8):
            bits = data[base + row]
            if not bits:
                continue
            for col in range(font5x8.WIDTH):
                if bits & (0x80 >> col):
                    gx = (font5x8.WIDTH - 1 - col) if mx else col
                    gy = (7 - row) if my else row
                    g.fill_rect(gx * scale, gy * scale, scale, scale, 1)
        if len(self._glyphs) > 400:
            self._glyphs = {}
        self._glyphs[key] = g
        return g

    def text(self, text, x, y, colour, size=None):
        size = size or self.default_size
        text = bitmap_fold(text)
        if not text:
            return 0
        scale = bitmap_scale(size)
        palette = self._palette(self.native(colour))
        advance = font5x8.ADVANCE * scale
        gw = font5x8.WIDTH * scale
        gh = font5x8.HEIGHT * scale
        mx, my = self.mirror
        x = int(x)
        y = int(y)
        gy = (self.height - y - gh) if my else y
        blit = self.fb.blit
        right = self.width
        for ch in text:
            if x >= right:
                break               # the rest is beyond the canvas edge
            index = glyph_index(ch)
            if index:
                gx = (self.width - x - gw) if mx else x
                blit(self._glyph(index, scale), gx, gy, 0, palette)
            x += advance
        return len(text) * advance - scale

    # -- pixels ------------------------------------------------------------------------
    def scroll(self, dx, dy, x=0, y=0, w=None, h=None):
        w = self.width - x if w is None else w
        h = self.height - y if h is None else h
        dx = int(dx)
        dy = int(dy)
        if self.mirror[0]:
            x = self.width - x - w
            dx = -dx
        if self.mirror[1]:
            y = self.height - y - h
            dy = -dy
        if x == 0 and y == 0 and w == self.width and h == self.height:
            self.fb.scroll(dx, dy)
            return
        # region: copy the part that stays visible into a scratch buffer of exactly its
        # size, then blit it back at the offset (framebuf clips only to the whole buffer)
        sx0 = max(0, -dx)
        sy0 = max(0, -dy)
        cw = w - abs(dx)
        ch = h - abs(dy)
        if cw <= 0 or ch <= 0:
            return
        scratch = self._scratch_fb(cw, ch)
        scratch.blit(self.fb, -(x + sx0), -(y + sy0))
        self.fb.blit(scratch, x + sx0 + dx, y + sy0 + dy)

    def _scratch_fb(self, w, h):
        if self.mono:
            need = ((w + 7) // 8) * h
            fmt = framebuf.MONO_HLSB
        else:
            need = w * h * 2
            fmt = framebuf.RGB565
        if self._scratch is None or len(self._scratch) < need:
            self._scratch = bytearray(need)
        return framebuf.FrameBuffer(self._scratch, w, h, fmt)

    def blit(self, image, x, y):
        if isinstance(image, FramebufCanvas):
            iw, ih = image.width, image.height
            image = image.fb
        else:
            iw = ih = 0
        x = int(x)
        y = int(y)
        if self.mirror[0] and iw:
            x = self.width - x - iw
        if self.mirror[1] and ih:
            y = self.height - y - ih
        self.fb.blit(image, x, y)

    def present(self):
        if self.show is not None:
            self.show()

    def get_pixel(self, x, y):
        v = self.fb.pixel(int(x), int(y))
        if self.mono:
            return (255, 255, 255) if v else (0, 0, 0)
        return rgb_from565(v)
