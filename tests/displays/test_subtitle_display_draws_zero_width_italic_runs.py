"""An italic run that is all zero-width characters (``<i>`` followed by a joiner, as emoji
sequences and cue files carry) draws nothing instead of failing the subtitle display:
SDL_ttf refuses to render text of zero width ("Text has zero width"), which a run of
joiners is at the smallest sizes (the slant gives it a pixel or more above them)."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402


def _pixels(c):
    return [c.get_pixel(x, y) for y in range(c.height) for x in range(c.width)]


@pytest.mark.parametrize("size", [1, 2, 24])
@pytest.mark.parametrize("text", ["<i>\u200d", "<i>\u200d</i>", "a <i>\u2060\ufeff</i> b", "<i>\u200b</i>"])
def test_a_zero_width_italic_run_draws_nothing(text, size):
    c = PygameCanvas(size=(240, 60))
    layout = render_subtitles(c, [("en", text)], SubtitleStyle(size=size, min_size=1))
    assert layout and layout[0][3] == size
    if text.startswith("<i>"):                   # nothing else on the line: nothing drawn
        assert set(_pixels(c)) == {(0, 0, 0)}


PIECES = st.sampled_from(["<i>", "</i>", "\u200d", "\u200b", "\u0301", "\ufeff", "a", " ", "\u05d0", "\u0644\u0627",
                          "\x00", "\ud800", "\n", "\U0001f469", "\u6f22"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join), st.sampled_from(["none", "outline", "box"]))
def test_any_cue_text_with_italics_renders(text, backdrop):
    c = _canvas()
    layout = render_subtitles(c, [("en", text), ("fr", text)], SubtitleStyle(size=3, min_size=1, backdrop=backdrop))
    assert all(size >= 1 for _lang, _lines, _y, size in layout)


_made = []


def _canvas():
    if not _made:
        _made.append(PygameCanvas(size=(160, 80)))
    return _made[0]
