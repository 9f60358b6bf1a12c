"""Under the real micropython binary: the framebuf canvas draws text, rectangles, the
reading-line marker, mirrors, scrolls, and the layout/commands modules work.
Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.draw import font5x8  # noqa: E402
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas, rgb565, rgb_from565  # noqa: E402
from kamaelia_lite.draw.layout import wrap_text  # noqa: E402
from kamaelia_lite.surtitles.commands import CommandError, format_command, parse_command  # noqa: E402

BG = (0, 0, 0)
FG = (255, 255, 255)
RED = (255, 0, 0)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def ink_columns(c, y0, y1, colour):
    """x positions having at least one pixel of colour in rows y0..y1-1."""
    cols = []
    for x in range(c.width):
        for y in range(y0, y1):
            if c.get_pixel(x, y) == colour:
                cols.append(x)
                break
    return cols


def glyph_pixels(ch):
    base = (ord(ch) - 32) * 8
    pts = []
    for row in range(8):
        for col in range(5):
            if font5x8.DATA[base + row] & (0x80 >> col):
                pts.append((col, row))
    return pts


# colour conversion round trip keeps the primaries and white exact
check(rgb_from565(rgb565(FG)) == FG, "white")
check(rgb_from565(rgb565(RED)) == RED, "red")

for mono in (False, True):
    c = FramebufCanvas(64, 32, mono=mono)
    ink = FG
    c.fill(BG)
    w = c.text("A", 2, 3, ink)
    check(w == 5, "width of A at scale 1 is 5, got %d" % w)
    c.present()
    for (px, py) in glyph_pixels("A"):
        check(c.get_pixel(2 + px, 3 + py) == ink, "A pixel %d,%d mono=%s" % (px, py, mono))
    check(c.get_pixel(2, 3) == BG, "A top-left corner is paper")
    # scale 2 (size 16): every font pixel becomes a 2x2 block
    c.fill(BG)
    c.text("H", 0, 0, ink, size=16)
    for (px, py) in glyph_pixels("H"):
        for dy in (0, 1):
            for dx in (0, 1):
                check(c.get_pixel(px * 2 + dx, py * 2 + dy) == ink, "H scaled")
    check(c.text_width("Hi", 16) == 2 * 12 - 2, "scaled width")
    check(c.line_height(16) == 18, "scaled line height")

    # mirror x: the glyph lands at the other edge, flipped left-right
    c.fill(BG)
    c.set_mirror(True, False)
    c.text("L", 0, 0, ink)
    for (px, py) in glyph_pixels("L"):
        check(c.get_pixel(63 - px, py) == ink, "mirrored L at %d,%d" % (px, py))
    check(c.get_pixel(0, 0) == BG, "left edge empty when mirrored")
    # mirror y
    c.fill(BG)
    c.set_mirror(False, True)
    c.text("L", 0, 0, ink)
    for (px, py) in glyph_pixels("L"):
        check(c.get_pixel(px, 31 - py) == ink, "y-mirrored L at %d,%d" % (px, py))
    c.set_mirror(False, False)

    # reading line marker: a horizontal line across, plus an outline rect
    c.fill(BG)
    c.hline(0, 20, 64, ink)
    for x in range(64):
        check(c.get_pixel(x, 20) == ink, "hline")
    check(c.get_pixel(5, 19) == BG and c.get_pixel(5, 21) == BG, "hline is 1 pixel")
    c.fill(BG)
    c.rect(10, 10, 5, 4, ink)
    check(c.get_pixel(10, 10) == ink and c.get_pixel(14, 13) == ink, "rect corners")
    check(c.get_pixel(12, 11) == BG, "rect is an outline")

    # scroll a region up by 4: the bar at y=10 moves to y=6, outside the region untouched
    c.fill(BG)
    c.fill_rect(0, 10, 64, 1, ink)
    c.fill_rect(0, 30, 64, 1, ink)
    c.scroll(0, -4, 0, 0, 64, 20)
    check(c.get_pixel(3, 6) == ink, "scrolled bar")
    check(c.get_pixel(3, 30) == ink, "outside region kept")
    # whole-canvas scroll
    c.fill(BG)
    c.fill_rect(0, 10, 64, 1, ink)
    c.scroll(0, 5)
    check(c.get_pixel(3, 15) == ink, "whole scroll")

    # wrapping at the canvas width
    lines = c.wrap("the quick brown fox jumps", 40)
    for line in lines:
        check(c.text_width(line) <= 40, "wrapped line fits: %r" % line)
    check(" ".join(lines) == "the quick brown fox jumps", "wrap keeps words")
    h = c.text_box("one two three four", 0, 0, 30, ink)
    check(h == len(c.wrap("one two three four", 30)) * 9, "text_box height")

# colour text on RGB565 keeps its colour and leaves the background alone
c = FramebufCanvas(32, 16)
c.fill((0, 0, 255))
c.text("I", 0, 0, RED)
check(c.get_pixel(2, 1) == RED, "red ink")
check(c.get_pixel(0, 0) == (0, 0, 255), "blue paper")

# non-ASCII folds to ASCII; unknown characters draw the missing box
c.fill(BG)
check(c.text_width("\u00e9t\u00e9") == c.text_width("ete"), "accents fold")
c.text("\u4e2d", 0, 0, FG)
check(c.get_pixel(0, 0) == FG and c.get_pixel(4, 6) == FG, "missing glyph box")

# layout and commands are portable
lines = wrap_text("aaaa bb cc\n\nddd", 5 * 6 - 1, lambda s: len(s) * 6 - 1)
check(lines == ["aaaa", "bb cc", "", "ddd"], "wrap_text %r" % (lines,))
check(parse_command("speed +3") == ("speed_by", 3), "speed +3")
check(parse_command("mirror x") == ("mirror", True, False), "mirror x")
check(format_command(parse_command("colour bg #102030")) == "colour bg #102030", "colour round trip")
try:
    parse_command("speed fast")
    raise AssertionError("bad speed accepted")
except CommandError as e:
    check("speed" in str(e), "clear error")

print("ok")
