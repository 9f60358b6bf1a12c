"""A text size past what fonts can take (an operator's ``font +100000`` on a subtitle display,
a cue style, a program's bug) is drawn at ``MAX_TEXT_SIZE`` (2048 px): at about 100 000
pygame handed back a font that crashed the process (segmentation fault) when asked its line
height, and from about 16 000 raised pygame.error. Sizes below 1 draw at 1. The bitmap
font's scale stops at the same height. Each check runs in a child process, since the old
code killed the process it ran in."""
import subprocess
import sys
import textwrap

import pytest

from kamaelia_lite.draw.canvas import MAX_TEXT_SIZE, bitmap_scale


def run_child(code):
    env = {"SDL_VIDEODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1", "PATH": "/usr/bin:/bin"}
    import os
    env["PYTHONPATH"] = os.getcwd()
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                       timeout=120, env=env)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    return p.stdout


@pytest.mark.parametrize("size", [16384, 65536, 100032, 10 ** 9])
def test_a_huge_size_measures_and_draws_as_the_largest(size):
    out = run_child("""
        from kamaelia_lite.draw.canvas import MAX_TEXT_SIZE
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        c = PygameCanvas(size=(200, 100))
        text = "H\\u6f22\\u05d0"
        got = (c.line_height(%d), c.text_width(text, %d), c.text(text, -10, -500, (255, 255, 255), %d))
        assert got == (c.line_height(MAX_TEXT_SIZE), c.text_width(text, MAX_TEXT_SIZE),
                       c.text_width(text, MAX_TEXT_SIZE)), got
        print("ok")
    """ % (size, size, size))
    assert out.strip() == "ok"


def test_the_subtitle_display_takes_font_plus_100000():
    out = run_child("""
        from kamaelia_lite.displays.subtitle_display import SubtitleDisplay
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        d = SubtitleDisplay(canvas=PygameCanvas(size=(320, 120)))
        d.state = {"cue": "1", "texts": {"en": "Hello there"}, "blackout": False}
        for _ in range(3):
            d._command(("font_by", 100000))
        d.draw()
        print(d.layout[0][3], d.style.size)
    """)
    drawn, style = out.split()
    assert 1 <= int(drawn) <= MAX_TEXT_SIZE and int(style) == MAX_TEXT_SIZE


def test_sizes_below_one_draw_at_one():
    out = run_child("""
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        c = PygameCanvas(size=(200, 100))
        assert c.line_height(-5) == c.line_height(1), (c.line_height(-5), c.line_height(1))
        assert c.text_width("abc", -5) == c.text_width("abc", 1)
        print("ok")
    """)
    assert out.strip() == "ok"


def test_the_bitmap_scale_stops_at_the_largest_size():
    assert bitmap_scale(10 ** 9) == bitmap_scale(MAX_TEXT_SIZE) == MAX_TEXT_SIZE // 8
    assert bitmap_scale(-100) == bitmap_scale(0) == 1
