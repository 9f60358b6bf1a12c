"""Slideshow: Kamaelia's Graphline demo — Buttons drive a Chooser that feeds an Image.

    python3 -m examples.slideshow [DIR]           # the .png/.gif/.jpg/.bmp files in DIR, sorted
    SDL_VIDEODRIVER=dummy python3 -m examples.slideshow --demo --frames /tmp/slides

Without DIR it makes a few demo slides. --demo clicks Next through the slides by itself (posting
real pygame mouse events) and closes the window at the end; --frames writes each window frame
as a PNG, so a headless run can be looked at. Right/Left arrow keys also work.
"""
import argparse
import os
import sys
import tempfile

import pygame

from kamaelia_lite.chassis import Graphline
from kamaelia_lite.displays.display import PygameDisplay
from kamaelia_lite.displays.widgets import Button, Image
from kamaelia_lite.util import Chooser
from microaxon import component

EXTENSIONS = (".png", ".gif", ".jpg", ".jpeg", ".bmp")


def demo_slides(directory, count=4, size=(800, 600)):
    """Write ``count`` simple slides (a colour and a big number) and return their paths."""
    pygame.font.init()
    font = pygame.font.Font(None, 200)
    paths = []
    for i in range(count):
        s = pygame.Surface(size)
        s.fill(((60 * i + 40) % 256, (120 + 50 * i) % 256, (200 - 40 * i) % 256))
        label = font.render("Slide %d" % (i + 1), True, (255, 255, 255))
        s.blit(label, ((size[0] - label.get_width()) // 2, (size[1] - label.get_height()) // 2))
        path = os.path.join(directory, "slide%02d.png" % i)
        pygame.image.save(s, path)
        paths.append(path)
    return paths


class DemoClicker(component):
    """Clicks a button every ``interval`` seconds by posting pygame events, then closes the window."""

    def __init__(self, clicks, interval=0.5, **argd):
        super().__init__(**argd)
        self.clicks = clicks
        self.interval = interval

    def main(self):
        for pos in self.clicks:
            self.pause(self.interval)
            yield 1
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        self.pause(self.interval)
        yield 1
        pygame.event.post(pygame.event.Event(pygame.QUIT))


def slideshow(files):
    """The Graphline, as in Kamaelia's example (plus closing: the image's signal stops the chooser)."""
    return Graphline(
        CHOOSER=Chooser(items=files),
        IMAGE=Image(size=(800, 600), position=(8, 48)),
        NEXT=Button(caption="Next", msg="NEXT", position=(72, 8), key=pygame.K_RIGHT),
        PREVIOUS=Button(caption="Previous", msg="PREV", position=(8, 8), key=pygame.K_LEFT),
        FIRST=Button(caption="First", msg="FIRST", position=(256, 8)),
        LAST=Button(caption="Last", msg="LAST", position=(320, 8)),
        linkages={
            ("NEXT", "outbox"): ("CHOOSER", "inbox"),
            ("PREVIOUS", "outbox"): ("CHOOSER", "inbox"),
            ("FIRST", "outbox"): ("CHOOSER", "inbox"),
            ("LAST", "outbox"): ("CHOOSER", "inbox"),
            ("CHOOSER", "outbox"): ("IMAGE", "inbox"),
            ("IMAGE", "signal"): ("CHOOSER", "control"),
        })


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m examples.slideshow", description=__doc__.split("\n")[0])
    p.add_argument("directory", nargs="?", help="folder of images (default: demo slides)")
    p.add_argument("--frames", help="write each window frame as a PNG here")
    p.add_argument("--demo", action="store_true", help="click through by itself, then close")
    p.add_argument("--interval", type=float, default=0.5)
    args = p.parse_args(argv)
    if args.directory:
        try:
            names = os.listdir(args.directory)
        except OSError as exc:
            sys.stderr.write("slideshow: error: %s\n" % exc)
            return 2
        files = sorted(os.path.join(args.directory, f) for f in names if f.lower().endswith(EXTENSIONS))
        if not files:
            sys.stderr.write("slideshow: no images (%s) in %s\n" % (", ".join(EXTENSIONS), args.directory))
            return 2
    else:
        files = demo_slides(tempfile.mkdtemp(prefix="slides-"))
    PygameDisplay.setDisplayService(PygameDisplay(frames_dir=args.frames, caption="slideshow"))
    parts = [slideshow(files)]
    if args.demo:
        parts.append(DemoClicker([(72 + 5, 8 + 5)] * (len(files) - 1) + [(8 + 5, 8 + 5)], args.interval))
    from examples.checked import run_checked
    from microaxon import defaultScheduler
    for c in parts[1:]:
        c.activate()
    return run_checked(parts[0], "slideshow", defaultScheduler())


if __name__ == "__main__":
    sys.exit(main())
