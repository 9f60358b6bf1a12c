"""examples/slideshow.py runs headless: the demo clicks through every slide by posting real
pygame events, closes the window, exits 0, and the frames it wrote show each slide."""
import os
import subprocess
import sys

import pygame

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_clicks_through_all_slides(tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=str(tmp_path / "audio.raw"))
    r = subprocess.run([sys.executable, "-m", "examples.slideshow", "--demo", "--interval", "0.05",
                        "--frames", str(tmp_path / "frames")], cwd=ROOT, env=env, timeout=30,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    from examples.slideshow import demo_slides
    slides = demo_slides(str(tmp_path), count=4)
    colours = {tuple(pygame.image.load(p).get_at((5, 5))[:3]) for p in slides}
    frames = sorted((tmp_path / "frames").glob("frame_*.png"))
    shown = {tuple(pygame.image.load(str(f)).get_at((8 + 5, 48 + 5))[:3]) for f in frames}
    assert colours <= shown
