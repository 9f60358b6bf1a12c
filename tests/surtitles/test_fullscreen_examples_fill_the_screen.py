"""--fullscreen draws at the screen's own size (the picture fills the screen, not an 800x200
corner of it) in the surtitles display, the operator console and the autocue; --size still
chooses a size, and a size that is not WxH is a clear error. (SDL's dummy video driver stands
in for the screen.)"""
import re
import subprocess
import sys
import time

import pygame
from surtitles_helpers import ENV, ROOT, Proc, free_tcp_port, wait_until


def desktop():
    pygame.display.init()
    return pygame.display.get_desktop_sizes()[0]


def ready_line(args):
    port = free_tcp_port()
    op = Proc(["examples.surtitles.operator", "--key", "fs-key", "--tcp", "127.0.0.1:%d" % port, "--fresh",
               "--no-stdin"])
    disp = Proc(["examples.surtitles.display", "--key", "fs-key", "--tcp", "127.0.0.1:%d" % port,
                 "--print", "--font", "bitmap"] + args)
    try:
        assert wait_until([disp, op], lambda: disp.ready_at() is not None and disp.shows(), 20), (
            disp.lines, disp.stderr_text())
        return [ln for ln in disp.lines if ln.startswith("READY ")][0]
    finally:
        disp.stop()
        op.stop()


def test_a_fullscreen_display_draws_at_the_screens_size():
    w, h = desktop()
    assert (w, h) != (800, 200)
    assert ready_line(["--fullscreen"]).split()[2:] == ["%dx%d" % (w, h), "fullscreen"]
    assert ready_line(["--fullscreen", "--size", "640x480"]).split()[2:] == ["640x480", "fullscreen"]
    assert ready_line([]).split()[2:] == ["800x200"]


def test_a_size_that_is_not_wxh_is_a_clear_error():
    p = subprocess.run([sys.executable, "-m", "examples.surtitles.display", "--key", "k", "--size", "big"],
                       cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "expected WxH" in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_the_operator_console_window_fills_the_screen_when_fullscreen():
    from examples.surtitles import operator
    assert operator.parse_args(["--key", "k", "--window", "--fullscreen"]).console_size == desktop()
    assert operator.parse_args(["--key", "k", "--window"]).console_size == (1000, 640)
    assert operator.parse_args(["--key", "k", "--window", "--fullscreen", "--console-size",
                                "1280x720"]).console_size == (1280, 720)


def test_a_fullscreen_autocue_draws_at_the_screens_size():
    w, h = desktop()
    p = subprocess.Popen([sys.executable, "-m", "examples.autocue", "--script-port", "0", "--control-port", "0",
                          "--fullscreen"], cwd=ROOT, env=dict(ENV, SDL_AUDIODRIVER="dummy"),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 20
        line = ""
        while time.monotonic() < end:
            line = p.stderr.readline().decode()
            if not line or "script port" in line:
                break
        assert re.search(r"control port [^,]+, %dx%d fullscreen$" % (w, h), line.strip()), line
    finally:
        p.kill()
        p.wait(5)
        p.stderr.close()
