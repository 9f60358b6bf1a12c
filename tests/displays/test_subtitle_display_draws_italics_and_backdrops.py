"""Subtitle text keeps its italics and speaker names on screen: italics are drawn slanted (not
as "<i>" marks), and text over scenery can have an outline or a box behind it."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.surtitles.subtitles import parse_subtitles  # noqa: E402

pygame.font.init()


def _pixels(c):
    return [c.get_pixel(x, y) for y in range(c.height) for x in range(c.width)]


def test_italics_are_drawn_slanted_and_the_marks_never_shown():
    plain = PygameCanvas(size=(400, 80))
    italic = PygameCanvas(size=(400, 80))
    marks = PygameCanvas(size=(400, 80))
    render_subtitles(plain, [("en", "Hello there")], SubtitleStyle(size=32))
    render_subtitles(italic, [("en", "<i>Hello there</i>")], SubtitleStyle(size=32))
    render_subtitles(marks, [("en", "<i>Hello there</i>")], SubtitleStyle(size=32))
    a, b = _pixels(plain), _pixels(italic)
    assert a != b                                          # slanted, not the upright glyphs
    ink_a = sum(1 for p in a if p != (0, 0, 0))
    ink_b = sum(1 for p in b if p != (0, 0, 0))
    assert abs(ink_a - ink_b) < ink_a // 3                 # the same words, not "<i>" drawn too
    # the italic line is no wider than the upright one plus the slant (marks are not drawn)
    def extent(px):
        xs = [i % 400 for i, p in enumerate(px) if p != (0, 0, 0)]
        return max(xs) - min(xs)
    assert extent(b) <= extent(a) + 12


def test_a_long_italic_cue_wraps_with_every_line_italic():
    c = PygameCanvas(size=(300, 200))
    layout = render_subtitles(c, [("en", "<i>a long line of sung words that has to wrap</i>")], SubtitleStyle(size=24))
    lines = layout[0][1]
    assert len(lines) >= 2 and all(ln.startswith("<i>") and ln.endswith("</i>") for ln in lines)


def test_speaker_names_and_italics_from_a_real_file_reach_the_screen_text():
    t = parse_subtitles(b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Where <i>is</i> he?\n")
    assert t.cues[0].text == "Anna: Where <i>is</i> he?"


@pytest.mark.parametrize("backdrop", ["outline", "box"])
def test_backdrops_put_their_colour_round_the_text_over_scenery(backdrop):
    sky = (90, 140, 220)
    c = PygameCanvas(size=(400, 80))
    style = SubtitleStyle(size=32, bg=sky, backdrop=backdrop, backdrop_colour=(0, 0, 0))
    render_subtitles(c, [("en", "Hello")], style)
    px = _pixels(c)
    black = sum(1 for p in px if p == (0, 0, 0))
    white = sum(1 for p in px if p == (255, 255, 255))
    assert white > 50 and black > white // 2               # the text, ringed or boxed in black
    none = PygameCanvas(size=(400, 80))
    render_subtitles(none, [("en", "Hello")], SubtitleStyle(size=32, bg=sky))
    assert sum(1 for p in _pixels(none) if p == (0, 0, 0)) == 0


def test_an_unknown_backdrop_is_refused_clearly():
    with pytest.raises(ValueError, match="backdrop must be one of"):
        SubtitleStyle(backdrop="glow")
