"""The pygame canvas: text appears where drawn, mirroring flips it, shapes and scroll work.
Pixels are read back from the presented target surface (SDL dummy driver)."""
import pygame
import pytest

from kamaelia_lite.draw import font5x8
from kamaelia_lite.draw.canvas_pygame import PygameCanvas

BG = (0, 0, 0)
FG = (255, 255, 255)


def ink_bbox(canvas, colour=FG):
    xs, ys = [], []
    for y in range(canvas.height):
        for x in range(canvas.width):
            if canvas.get_pixel(x, y) == colour:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def glyph_pixels(ch):
    base = (ord(ch) - 32) * 8
    return [(col, row) for row in range(8) for col in range(5)
            if font5x8.DATA[base + row] & (0x80 >> col)]


@pytest.fixture
def canvas():
    c = PygameCanvas(size=(160, 60))
    c.fill(BG)
    return c


def test_text_with_the_default_font_appears_where_drawn(canvas):
    w = canvas.text("Hello", 20, 10, FG, size=24)
    canvas.present()
    box = ink_bbox(canvas)
    assert box is not None
    x0, y0, x1, y1 = box
    assert 20 <= x0 < 26 and x1 <= 20 + w
    assert 10 <= y0 and y1 < 10 + canvas.line_height(24)
    assert w == canvas.text_width("Hello", 24) > 0


def test_nothing_shows_until_present(canvas):
    canvas.text("Hello", 0, 0, FG)
    assert ink_bbox(canvas) is None
    canvas.present()
    assert ink_bbox(canvas) is not None


def test_bitmap_font_matches_the_glyph_data_exactly():
    c = PygameCanvas(size=(40, 20), font="bitmap")
    c.fill(BG)
    c.text("A", 3, 2, FG, size=8)
    c.present()
    for y in range(20):
        for x in range(40):
            want = FG if (x - 3, y - 2) in glyph_pixels("A") else BG
            assert c.get_pixel(x, y) == want, (x, y)


def test_mirror_x_flips_the_text_to_the_other_side(canvas):
    canvas.text("Hello", 0, 0, FG, size=24)
    canvas.present()
    plain = ink_bbox(canvas)
    canvas.set_mirror(True, False)
    canvas.present()
    mirrored = ink_bbox(canvas)
    assert mirrored == (159 - plain[2], plain[1], 159 - plain[0], plain[3])
    # pixel by pixel, the mirrored image is the plain one reflected
    canvas.set_mirror(False, False)
    canvas.present()
    plain_px = {(x, y) for x in range(160) for y in range(60) if canvas.get_pixel(x, y) == FG}
    canvas.set_mirror(True, False)
    canvas.present()
    mirr_px = {(x, y) for x in range(160) for y in range(60) if canvas.get_pixel(x, y) == FG}
    assert mirr_px == {(159 - x, y) for (x, y) in plain_px}


def test_mirror_y_flips_top_to_bottom(canvas):
    canvas.text("Hi", 0, 0, FG, size=24)
    canvas.set_mirror(False, True)
    canvas.present()
    x0, y0, x1, y1 = ink_bbox(canvas)
    assert y1 >= 40 and y0 > 20


def test_reading_line_marker_and_rect(canvas):
    canvas.hline(0, 30, 160, (255, 0, 0))
    canvas.rect(10, 5, 20, 10, FG)
    canvas.present()
    assert all(canvas.get_pixel(x, 30) == (255, 0, 0) for x in range(160))
    assert canvas.get_pixel(5, 29) == BG and canvas.get_pixel(5, 31) == BG
    assert canvas.get_pixel(10, 5) == FG and canvas.get_pixel(29, 14) == FG
    assert canvas.get_pixel(15, 10) == BG


def test_scroll_a_region_moves_pixels_and_leaves_the_rest(canvas):
    canvas.fill_rect(0, 20, 160, 2, FG)
    canvas.fill_rect(0, 55, 160, 1, FG)
    canvas.scroll(0, -10, 0, 0, 160, 40)
    canvas.present()
    assert canvas.get_pixel(50, 10) == FG and canvas.get_pixel(50, 11) == FG
    assert canvas.get_pixel(50, 55) == FG


def test_wrap_keeps_lines_within_width_and_breaks_long_words(canvas):
    text = "a teleprompter shows the script to the presenter supercalifragilisticexpialidocious"
    lines = canvas.wrap(text, 100, 20)
    assert len(lines) > 3
    assert all(canvas.text_width(line, 20) <= 100 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_text_box_centres_lines(canvas):
    h = canvas.text_box("mid", 0, 0, 160, FG, size=20, align="centre")
    canvas.present()
    x0, _, x1, _ = ink_bbox(canvas)
    assert abs((x0 + x1) / 2 - 80) <= 3
    assert h == canvas.line_height(20)


def test_present_into_a_window(monkeypatch):
    from kamaelia_lite.draw.canvas_pygame import window_canvas
    c = window_canvas((64, 32))
    c.fill((0, 0, 255))
    c.present()
    assert pygame.display.get_surface().get_at((10, 10))[:3] == (0, 0, 255)
    pygame.display.quit()
