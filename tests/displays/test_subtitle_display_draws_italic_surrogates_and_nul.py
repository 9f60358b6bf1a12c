"""A lone surrogate or a NUL inside ``<i>`` marks (a cue file decoded with
``surrogateescape``, a pair cut in two) is drawn as U+FFFD, slanted, instead of failing the
subtitle display: the italic runs go through the canvas's runs, which mend them."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402


def _pixels(c):
    return [c.get_pixel(x, y) for y in range(c.height) for x in range(c.width)]


def test_an_italic_lone_surrogate_or_nul_draws_as_a_replacement_character():
    for bad in ("\ud800", "\x00", "x\udcff\u200d"):
        c = PygameCanvas(size=(300, 60))
        mended = PygameCanvas(size=(300, 60))
        render_subtitles(c, [("en", "a <i>%s</i> b" % bad)], SubtitleStyle(size=24))
        render_subtitles(mended, [("en", "a <i>%s</i> b" % bad.replace("\ud800", "\ufffd").replace(
            "\x00", "\ufffd").replace("\udcff", "\ufffd"))], SubtitleStyle(size=24))
        assert _pixels(c) == _pixels(mended), repr(bad)
