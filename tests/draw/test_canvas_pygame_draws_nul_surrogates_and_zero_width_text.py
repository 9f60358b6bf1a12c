"""Text the pygame canvas cannot hand to SDL_ttf as it is still draws, measures and wraps:
a NUL, a lone surrogate (a str decoded with ``surrogateescape``, or cut in half on the way)
and text that is all zero-width (joiners, marks) made pygame raise, which failed the display
for one bad cue. A lone surrogate and a NUL are drawn as U+FFFD; a surrogate pair in a str
is drawn as the character it encodes; zero-width text draws nothing."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.draw.rtl import visual_order  # noqa: E402

FG = (255, 255, 255)
BG = (0, 0, 0)


@pytest.fixture(scope="module")
def canvas():
    return PygameCanvas(size=(300, 40))


def ink(c, text):
    c.fill(BG)
    w = c.text(text, 2, 2, FG, 24)
    c.present()
    return w, frozenset((x, y) for y in range(c.height) for x in range(c.width) if sum(c.get_pixel(x, y)) > 384)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "\u05d0\x00\u05d1", "a\ud800b", "\udfff", "\u05d0\udc80",
                                  "\u0627\ud83d", "\ud800\u6f22"])
def test_nul_and_lone_surrogates_draw_as_replacement_characters(canvas, text):
    mended = text.replace("\x00", "\ufffd")
    for ch in "\ud800\udfff\udc80\ud83d":
        mended = mended.replace(ch, "\ufffd")
    w, pixels = ink(canvas, text)
    assert (w, pixels) == ink(canvas, mended)
    assert canvas.text_width(text, 24) == canvas.text_width(mended, 24) == w
    assert canvas.wrap(text, 100, 24) == [text]


def test_a_surrogate_pair_in_a_str_draws_the_character_it_encodes(canvas):
    assert ink(canvas, "x\ud83d\ude00y") == ink(canvas, "x\U0001f600y")


@pytest.mark.parametrize("text", ["\u200d", "\u200b\u200c", "\u2060", "\ufeff"])
def test_zero_width_text_draws_nothing(canvas, text):
    w, pixels = ink(canvas, text)
    assert w == canvas.text_width(text, 24) == 0 and not pixels
    w, pixels = ink(canvas, "ab" + text + "c")
    assert pixels == ink(canvas, "abc")[1]


def test_rtl_visual_order_takes_lone_surrogates():
    assert visual_order("\u05d0\ud800") == "\ufffd\u05d0"
    assert visual_order("\u05d0\ud83d\ude00\u05d1") == "\u05d1\U0001f600\u05d0"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=30),
       st.sampled_from([1, 7, 24, 60]), st.integers(min_value=-5, max_value=200))
def test_any_text_draws_measures_and_wraps(canvas_any, text, size, width):
    w = canvas_any.text_width(text, size)
    assert canvas_any.text(text, 0, 0, FG, size) == w
    lines = canvas_any.wrap(text, width, size)
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())
    canvas_any.text_box(text, 0, 0, width, FG, size, align="centre")


@pytest.fixture(scope="module")
def canvas_any():
    return PygameCanvas(size=(120, 30))
