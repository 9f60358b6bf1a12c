"""The ticker example (a program for a venue): typed lines crawl right to left along the strip
(or come a word at a time in the box), '!' lines are commands, a command that cannot be done is
an error on stderr and exit status 1, '!quit' ends it while the input is still open, and the
end of the input ends it once the text has been shown. Headless: the frames are read back."""
import glob
import os
import subprocess
import sys
import time

import pygame

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=ROOT)


def run(args, text, timeout=30):
    return subprocess.run([sys.executable, "-m", "examples.ticker"] + args, input=text.encode(), cwd=ROOT,
                          env=ENV, capture_output=True, timeout=timeout)


def ink_columns(path):
    """(leftmost, rightmost) x of the lit pixels of a frame, or None when it is blank."""
    s = pygame.image.load(path)
    w, h = s.get_size()
    cols = [x for x in range(w) if any(sum(s.get_at((x, y))[:3]) > 300 for y in range(0, h, 2))]
    return (cols[0], cols[-1]) if cols else None


def test_a_line_crawls_right_to_left_and_the_program_ends_after_it(tmp_path):
    frames = str(tmp_path / "frames")
    p = run(["--crawl", "--size", "320x40", "--speed", "10", "--frames", frames, "--frame-every", "3"],
            "Bar closes at eleven\n")
    assert p.returncode == 0, p.stderr.decode()
    ink = [ink_columns(f) for f in sorted(glob.glob(os.path.join(frames, "*.png")))]
    lit = [c for c in ink if c is not None]
    assert len(lit) >= 5, ink
    lefts = [c[0] for c in lit]
    # it enters at the right edge, moves left frame after frame, and leaves at the left
    assert lefts[0] > 160 and min(lefts) == 0
    moving = lefts[:lefts.index(0) + 1]
    assert all(b <= a for a, b in zip(moving, moving[1:])) and len(set(moving)) >= 4, moving
    assert lit[-1][1] < 40, lit[-3:]                # nearly gone at the left when the program ended


def test_a_bad_command_is_an_error_and_exit_status_1_and_the_text_still_shows(tmp_path):
    frames = str(tmp_path / "frames")
    p = run(["--crawl", "--size", "320x40", "--speed", "10", "--frames", frames], "!speed 99\nHello\n")
    err = p.stderr.decode()
    assert p.returncode == 1 and "error: ticker: speed 99:" in err and "Traceback" not in err, err
    assert any(ink_columns(f) for f in glob.glob(os.path.join(frames, "*.png")))


def test_the_box_shows_the_words_and_quit_ends_it_while_input_is_open(tmp_path):
    frames = str(tmp_path / "frames")
    p = subprocess.Popen([sys.executable, "-m", "examples.ticker", "--size", "300x200", "--speed", "10",
                          "--frames", frames, "--frame-every", "1"], cwd=ROOT, env=ENV,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        p.stdin.write(b"one two three\n")
        p.stdin.flush()
        end = time.monotonic() + 15
        while time.monotonic() < end and len(glob.glob(os.path.join(frames, "*.png"))) < 3:
            time.sleep(0.05)
        time.sleep(0.5)                             # the three words take 0.15 s at 20 a second
        p.stdin.write(b"!quit\n")
        p.stdin.flush()                             # (stdin stays open)
        assert p.wait(10) == 0, p.stderr.read().decode()
    finally:
        if p.poll() is None:
            p.kill()
        p.wait(5)
        for f in (p.stdin, p.stdout, p.stderr):
            f.close()
    spans = [ink_columns(f) for f in sorted(glob.glob(os.path.join(frames, "*.png")))]
    assert max(c[1] - c[0] for c in spans if c) > 150, spans       # all three words on the line


def test_fullscreen_draws_at_the_screens_size():
    from examples import ticker
    pygame.display.init()
    assert ticker.parse_args(["--crawl", "--fullscreen"]).size == pygame.display.get_desktop_sizes()[0]
    assert ticker.parse_args(["--crawl"]).size == (800, 60)
