"""The bitmap font's word wrap is exact to the pixel: on many random lines, no wrapped line is
wider than the column, no line is ended while its next word would still have fitted, and the
drawn ink never passes the column edge (the old wrap came out 2 x scale px short per space)."""
import random

import pytest

from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.draw.layout import wrap_text

BG = (0, 0, 0)
FG = (255, 255, 255)
LETTERS = "abcdefghijklmnopqrstuvwxyzéèàçñßüöÄÉ,.'?!"


def random_text(rng, words):
    return " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 11)))
                    for _ in range(words))


@pytest.mark.parametrize("size", [8, 16, 24, 40])
def test_wrapped_lines_never_exceed_the_width_and_leave_no_word_that_fits(size):
    c = PygameCanvas(size=(800, 10), font="bitmap")
    rng = random.Random(size)
    for _ in range(400):
        width = rng.randint(60, 800)
        text = random_text(rng, rng.randint(1, 40))
        lines = c.wrap(text, width, size)
        assert " ".join(lines).split() == text.split() or "".join(lines).replace(" ", "") == \
            text.replace(" ", "")
        for i, line in enumerate(lines):
            assert c.text_width(line, size) <= width, (width, line)
            if i + 1 < len(lines):
                nxt = lines[i + 1].split(" ")[0]
                assert c.text_width(line + " " + nxt, size) > width, (width, line, nxt)


def test_the_wrap_of_a_long_line_fills_an_800px_canvas_without_running_off():
    # the case: a long cue at scale 3 wrapped to 800 px used to come out 807..825 px wide
    c = PygameCanvas(size=(800, 10), font="bitmap")
    text = " ".join(["Où", "est", "le", "navire", "?"] * 12)
    widths = [c.text_width(line, 24) for line in c.wrap(text, 800, 24)]
    assert max(widths) <= 800
    assert max(widths) > 800 - 3 * 6 * 8      # and it is not wrapped short either


def test_drawn_ink_never_passes_the_column_edge():
    width = 300
    c = PygameCanvas(size=(width + 60, 9 * 3 * 12), font="bitmap")
    rng = random.Random(7)
    for _ in range(10):
        c.fill(BG)
        text = random_text(rng, 30)
        c.text_box(text, 0, 0, width, FG, size=24)
        c.present()
        ink_x = [x for x in range(c.width) for y in range(0, c.height, 3) if c.get_pixel(x, y) == FG]
        assert ink_x and max(ink_x) < width


def test_the_bitmap_font_draws_nothing_beyond_the_canvas_edge():
    # text running off the right edge is cut there: the canvas keeps its size, and a
    # neighbouring canvas blitted beside it is not touched
    c = PygameCanvas(size=(50, 10), font="bitmap")
    c.fill(BG)
    w = c.text("abcdefghijklmnop", 0, 0, FG, size=8)
    assert w == 16 * 6 - 1
    c.present()
    assert c.surface.get_size() == (50, 10)
    assert any(c.get_pixel(49, y) == FG or c.get_pixel(48, y) == FG for y in range(8))


def test_wrap_text_with_a_non_additive_measure_is_exact():
    # measure that is not additive (like the bitmap font: n*6-1): pieces must not be summed
    def measure(s):
        return len(s) * 6 - 1 if s else 0
    # "aaaa bbbb" is 9 glyphs: 53 px (summing the parts would say 23 + 5 + 23 = 51)
    assert wrap_text("aaaa bbbb cccc", 53, measure) == ["aaaa bbbb", "cccc"]
    assert wrap_text("aaaa bbbb cccc", 52, measure) == ["aaaa", "bbbb", "cccc"]
