"""TextDisplayer given one message of very many lines (a million newlines, a huge paragraph)
draws only the lines that end up on screen: it scrolled and drew every wrapped line, so one
such message froze the display for minutes. What shows is the same, to the pixel."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest  # noqa: E402

from kamaelia_lite.displays.widgets import TextDisplayer  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402


def displayer(**kw):
    t = TextDisplayer(**kw)
    t.canvas = PygameCanvas(size=t.size, default_size=t.text_height)
    t.draw()
    return t


def every_line_drawn(t, text):
    """What the old show_line did: scroll and draw each wrapped line."""
    c = t.canvas
    x, y, w, h = t._inner()
    lh = c.line_height()
    for line in c.wrap(str(text), w) or [""]:
        c.scroll(0, -lh, x, y, w, h)
        c.fill_rect(x, y + h - lh, w, lh, t.bgcolour)
        c.text(line, x, y + h - lh, t.fgcolour)
    c.present()


def pixels(c):
    return [c.get_pixel(x, y) for y in range(c.height) for x in range(c.width)]


def test_a_million_newlines_scroll_only_a_screenful():
    t = displayer(size=(200, 100))
    calls = []
    real = t.canvas.scroll
    t.canvas.scroll = lambda *a, **k: (calls.append(a), real(*a, **k))
    t.show_line("\n" * 1000000 + "last line")
    assert len(calls) <= 100 // t.canvas.line_height() + 1
    assert t.lines_shown == 1


@pytest.mark.parametrize("kw", [dict(size=(200, 100)), dict(size=(210, 97), padding=3, border_size=2),
                                dict(size=(150, 20), text_height=30)])
@pytest.mark.parametrize("text", ["one\ntwo\nthree", "\n".join("line %d" % i for i in range(40)),
                                  "a long paragraph of words " * 20, ""])
def test_what_shows_is_what_drawing_every_line_showed(kw, text):
    t = displayer(**kw)
    ref = displayer(**kw)
    for first in ("before", "older text that was on screen"):
        t.show_line(first)
        ref.show_line(first)
    t.show_line(text)
    every_line_drawn(ref, text)
    assert pixels(t.canvas) == pixels(ref.canvas)
