"""Measuring long lines does not keep them: the pygame canvas kept the font runs of the last
1024 lines it measured whatever their length, so a crawl of long items or the wrapping of
long paragraphs held a copy of every one (1024 lines of 20 000 characters: over 40 MB).
Runs are kept only for lines of up to ``RUNS_KEPT_UP_TO`` characters."""
import os
import tracemalloc

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402


def test_long_lines_measured_are_not_kept():
    c = PygameCanvas(size=(200, 40))
    c.text_width("warm up", 24)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for i in range(200):
            c.text_width("item %d " % i + "\u00e9crit " * 2000, 24)
        kept = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert kept < 512 * 1024, kept          # was 200 copies of 12 000 characters


def test_short_lines_still_measure_the_same_when_kept():
    c = PygameCanvas(size=(200, 40))
    line = "Crawl \u05e9\u05dc\u05d5\u05dd \u6f22\u5b57"
    first = c.text_width(line, 24)
    assert c.runs(line) is c.runs(line)
    assert c.text_width(line, 24) == first
