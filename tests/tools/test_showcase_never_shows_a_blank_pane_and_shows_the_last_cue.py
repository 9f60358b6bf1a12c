"""The showcase, the project's first impression: once the first cue is up, no frame has both
surtitle panes blank; the final cue is in a frame (pixel for pixel what the display draws for
it, accents included); StreamRestart lines on stderr say what they mean."""
import os
import subprocess
import sys

import pytest
from tools_helpers import ROOT, repo_env

PANE = (640, 110)
PANES = {"en": (10, 76), "fr": (660, 76)}


def _ink(img, x0, y0):
    return sum(1 for x in range(x0, x0 + PANE[0], 2) for y in range(y0, y0 + PANE[1], 2)
               if img.get_at((x, y))[:3] != (0, 0, 0))


@pytest.mark.slow
def test_showcase_frames_never_blank_both_panes_and_end_on_the_last_cue(tmp_path):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    from kamaelia_lite.surtitles.cues import load_cue_list

    out = tmp_path / "sc"
    env = repo_env(SDL_VIDEODRIVER="dummy")
    env.pop("DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "examples.showcase", "--seconds", "6", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frames = [pygame.image.load(str(p)) for p in sorted(out.glob("frame-*.png"))]
    inks = [(_ink(f, *PANES["en"]), _ink(f, *PANES["fr"])) for f in frames]
    first = next(i for i, (a, b) in enumerate(inks) if a or b)
    blank = [i for i, (a, b) in enumerate(inks) if i > first and not (a or b)]
    assert not blank, "frames with both panes blank: %s of %d" % (blank, len(frames))
    # the final cue, drawn as the showcase's displays draw it, is what a frame shows
    cues = load_cue_list(os.path.join(ROOT, "examples", "surtitles", "show.cues"))
    last = cues[len(cues) - 1]
    assert "\u00e0" in last.texts["fr"]                    # an accent the bitmap font must draw
    found = []
    for lang, (x0, y0) in PANES.items():
        ref = PygameCanvas(size=PANE, font="bitmap")
        render_subtitles(ref, [(lang, last.texts[lang])], SubtitleStyle(size=16))
        want = [(x, y) for x in range(PANE[0]) for y in range(PANE[1]) if ref.get_pixel(x, y) != (0, 0, 0)]
        assert want
        found.append(any(all(f.get_at((x0 + x, y0 + y))[:3] == ref.get_pixel(x, y) for x, y in want)
                         for f in frames))
    assert found == [True, True]
    for line in proc.stderr.splitlines():
        if "StreamRestart" in line or "new stream" in line:
            assert "the broadcast started a new stream" in line and "decoding it from its headers" in line
