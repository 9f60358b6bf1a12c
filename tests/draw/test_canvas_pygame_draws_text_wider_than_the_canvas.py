"""A line far wider than the canvas (a crawl item, a teleprompter word that cannot wrap, a
huge size) is drawn by rendering only what shows: pygame rendered the whole line to one
surface, 1 GB for 100 characters at size 2000 and an error ("Surface doesn't have a
colorkey") at 1000, failing the display. What shows is the same pixels as before, the width
returned is the line's whole width, and the rendered lines the canvas keeps are bounded in
bytes (``text_cache_limit``)."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402

FG = (255, 255, 255)
BG = (0, 0, 0)


def pixels(c):
    c.present()
    return [c.get_pixel(x, y) for y in range(c.height) for x in range(c.width)]


def test_a_huge_size_line_draws_its_visible_part():
    c = PygameCanvas(size=(200, 100))
    text = "W" * 1000
    w = c.text(text, -5000, -c.line_height(2000) // 2, FG, 2000)
    assert w == c.text_width(text, 2000) > 1000000
    assert any(p != BG for p in pixels(c))


@pytest.mark.parametrize("x", [0, -20000, -39990, 150, 199, 200, -60000])
def test_the_visible_part_of_a_long_line_is_drawn_as_the_whole_line_would_be(x):
    text = "Crawl: news item " * 200 + "end."
    c = PygameCanvas(size=(200, 40))
    c.fill(BG)
    assert c.text(text, x, 3, FG, 24) == c.text_width(text, 24)
    font = c._font(24)
    assert c.runs(text) == [(0, text)]            # one font: pygame's, drawn whole below
    ref = pygame.Surface((200, 40))
    ref.fill(BG)
    ref.blit(font.render(text, True, FG), (x, 3))
    c.present()
    got = inked(lambda px, py: c.get_pixel(px, py))
    want = inked(lambda px, py: ref.get_at((px, py)))
    assert bool(want) == (-39990 <= x <= 150)
    # glyphs sit where the whole line puts them, to the pixel (subpixel placement may move
    # a glyph's edge by one when the line is cut)
    assert not [p for p in want if 0 < p[0] < 199 and not any((p[0] + d, p[1]) in got for d in (-1, 0, 1))]
    assert not [p for p in got if 0 < p[0] < 199 and not any((p[0] + d, p[1]) in want for d in (-1, 0, 1))]


def inked(get):
    return {(px, py) for py in range(40) for px in range(200) if sum(tuple(get(px, py))[:3]) > 600}


def test_rendered_lines_kept_for_reuse_stay_within_the_byte_limit():
    c = PygameCanvas(size=(400, 60))
    c.text_cache_limit = 2 * 1024 * 1024
    for i in range(200):
        c.text("line %d " % i + "x" * 30, -100, 0, FG, 48)
        assert c.text_cache_bytes <= c.text_cache_limit
    assert c.text_cache_bytes > 0


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="aW \u05d0\u0627\u6f22\u0301.", min_size=1, max_size=400),
       st.integers(min_value=-20000, max_value=300), st.sampled_from([8, 24, 90, 400]))
def test_any_line_at_any_place_returns_its_whole_width(text, x, size):
    c = _canvas()
    assert c.text(text, x, 0, FG, size) == c.text_width(text, size)
    assert c.text_cache_bytes <= c.text_cache_limit


_canvases = []


def _canvas():
    if not _canvases:
        _canvases.append(PygameCanvas(size=(160, 40)))
    return _canvases[0]
