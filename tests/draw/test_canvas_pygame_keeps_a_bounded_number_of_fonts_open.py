"""A canvas drawn at many text sizes keeps at most ``fonts_kept`` fonts open: it opened one
font per (font of the chain, size) and never closed any, so a subtitle display shrinking
text to fit, or a teleprompter stepped through its font sizes, grew by megabytes per size
(Noto Sans CJK: about 2.7 MB each). Text is still measured and drawn the same at every size."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402

LINE = "Hello \u6f22\u5b57 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"


def test_every_size_from_6_to_400_keeps_a_bounded_number_of_fonts():
    c = PygameCanvas(size=(300, 60))
    for size in range(6, 401):
        c.text_width(LINE, size)
        c.line_height(size)
        assert len(c._fonts) <= c.fonts_kept
    assert c.fonts_kept <= 32


def test_sizes_measure_the_same_after_their_fonts_were_closed():
    c = PygameCanvas(size=(300, 60))
    first = [(c.text_width(LINE, s), c.line_height(s)) for s in range(8, 80)]
    fresh = PygameCanvas(size=(300, 60))
    assert first == [(fresh.text_width(LINE, s), fresh.line_height(s)) for s in range(8, 80)]
    assert first == [(c.text_width(LINE, s), c.line_height(s)) for s in range(8, 80)]
