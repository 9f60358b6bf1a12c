"""The surtitles example end to end on loopback: operator console (stdin) -> multicast -> a
headless display writing PNG frames; the frames show the cue centred, in the chosen language,
and blackout is black."""
import glob
import os
import random

import pygame
from surtitles_helpers import Proc, free_udp_port, wait_until

KEY = "png-key-%d" % random.randrange(1 << 30)


def last_frame(d):
    files = sorted(glob.glob(os.path.join(d, "frame_*.png")))
    return pygame.image.load(files[-1])


def lit(surface):
    w, h = surface.get_size()
    return [(x, y) for y in range(0, h, 2) for x in range(0, w, 2) if surface.get_at((x, y))[:3] != (0, 0, 0)]


def test_operator_to_headless_display_frames(tmp_path):
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    net = ["--multicast", "%s:%d" % (group, free_udp_port()), "--interface", "127.0.0.1"]
    frames = str(tmp_path / "frames")
    display = Proc(["examples.surtitles.display", "--key", KEY, "--headless", "--print", "--png-dir", frames,
                    "--size", "400x100", "--font-size", "24", "--language", "fr"] + net)
    operator = Proc(["examples.surtitles.operator", "--key", KEY] + net, stdin=True)
    try:
        assert wait_until([display], lambda: (display.last_show() or {}).get("version") == 0, 30), \
            display.lines + [display.stderr_text(), operator.stderr_text()]
        assert lit(last_frame(frames)) == []                     # standby: nothing shown
        operator.send("next")
        assert wait_until([display], lambda: display.last_show()["version"] == 1, 5)
        assert display.last_show()["text"] == "Le port \u00e0 l'aube. Le brouillard couvre l'eau."
        pts = lit(last_frame(frames))
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        assert pts and abs((min(xs) + max(xs)) / 2 - 200) <= 6 and abs((min(ys) + max(ys)) / 2 - 50) <= 6
        operator.send("blackout")
        assert wait_until([display], lambda: display.last_show()["version"] == 2, 5)
        assert display.last_show()["blackout"] and lit(last_frame(frames)) == []
    finally:
        operator.stop()
        display.stop()
