"""Under the real micropython binary (also in a 64k heap, micropython-heap: 64k): the framebuf
canvas draws Latin-1 letters as their own glyphs (not the missing box, not the bare letter),
its wrap of many pseudo-random lines is exact to the pixel, and text running past the right
edge neither wraps round nor raises. Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas  # noqa: E402

BG = (0, 0, 0)
FG = (255, 255, 255)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def shape(c, ch):
    c.fill(BG)
    c.text(ch, 0, 0, FG)
    bits = 0
    for y in range(8):
        for x in range(5):
            if c.get_pixel(x, y) == FG:
                bits |= 1 << (y * 5 + x)
    return bits


c = FramebufCanvas(8, 8, mono=True)
box = shape(c, "\u4e2d")
seen = {}
for code in range(0xC0, 0x100):
    if code in (0xD7, 0xF7):
        continue
    s = shape(c, chr(code))
    check(s != 0 and s != box, "U+%04X drawn as a glyph" % code)
    check(s not in seen, "U+%04X differs from %s" % (code, seen.get(s)))
    seen[s] = chr(code)
for accented, base in (("\u00e9", "e"), ("\u00df", "s"), ("\u00e7", "c"), ("\u00f1", "n"), ("\u00fc", "u")):
    check(shape(c, accented) != shape(c, base), "%s is not %s" % (accented, base))

# exact wrap: a tiny linear congruential generator makes the lines (no random module needed)
seed = 12345


def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
    return seed % n


c = FramebufCanvas(240, 16)
letters = "abcdefghij\u00e9\u00e0\u00df\u00fc"
for _trial in range(60):
    width = 40 + rnd(200)
    words = []
    for _i in range(1 + rnd(20)):
        words.append("".join([letters[rnd(len(letters))] for j in range(1 + rnd(8))]))
    size = 8 * (1 + rnd(2))
    lines = c.wrap(" ".join(words), width, size)
    for i in range(len(lines)):
        check(c.text_width(lines[i], size) <= width, "fits %d: %r" % (width, lines[i]))
        if i + 1 < len(lines):
            nxt = lines[i + 1].split(" ")[0]
            check(c.text_width(lines[i] + " " + nxt, size) > width, "greedy %r + %r" % (lines[i], nxt))

# text running off the right edge (and mirrored, off the left) is cut, nothing wraps round
for mirror in (False, True):
    c = FramebufCanvas(30, 10)
    c.set_mirror(mirror, False)
    c.fill(BG)
    w = c.text("WWWWWWWWWW", 0, 1, FG)
    check(w == 59, "width counts every glyph")
    for x in range(30):
        check(c.get_pixel(x, 0) == BG and c.get_pixel(x, 9) == BG, "nothing wraps round (x=%d)" % x)
    check(c.get_pixel(0 if not mirror else 29, 1) == FG, "the first W is drawn")
print("ok")
