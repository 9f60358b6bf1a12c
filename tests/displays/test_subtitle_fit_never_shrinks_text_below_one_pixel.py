"""Shrinking cue text to fit stops at size 1 whatever ``min_size`` says: with a ``min_size``
below 1 (0 meaning "as small as it takes", or a negative value from a config) a cue too long
for the screen shrank to size 0 and then looped there for ever, freezing the display (and
size 0 would have drawn at the canvas's default size, the largest text, not the smallest)."""
import os
import threading

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.displays.subtitle_display import SubtitleStyle, fit_subtitles, render_subtitles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402

LONG = "a cue far too long for a small screen " * 40


def fit_within(canvas, style, seconds=20.0):
    got = []
    t = threading.Thread(target=lambda: got.append(fit_subtitles(canvas, [("en", LONG)], style, 120, 40)),
                         daemon=True)
    t.start()
    t.join(seconds)
    assert got, "fit_subtitles still shrinking after %.0f s" % seconds
    return got[0]


@pytest.mark.parametrize("min_size", [0, -1, -50])
def test_a_min_size_below_one_stops_at_one(min_size):
    canvas = PygameCanvas(size=(120, 40), font="bitmap")
    wrapped, size, total = fit_within(canvas, SubtitleStyle(size=32, min_size=min_size))
    assert size == 1
    layout = render_subtitles(PygameCanvas(size=(400, 200), font="bitmap"), [("en", "short")],
                              SubtitleStyle(size=32, min_size=min_size))
    assert layout[0][3] == 32


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-40, max_value=64), st.integers(min_value=-40, max_value=64),
       st.integers(min_value=0, max_value=400))
def test_the_size_chosen_is_between_one_and_the_style_size(size, min_size, words):
    canvas = _canvas()
    _wrapped, got, _total = fit_subtitles(canvas, [("en", "word " * words)],
                                          SubtitleStyle(size=size, min_size=min_size), 100, 50)
    assert 1 <= got <= max(1, size)


_made = []


def _canvas():
    if not _made:
        _made.append(PygameCanvas(size=(100, 50), font="bitmap"))
    return _made[0]
