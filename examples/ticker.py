"""A ticker for a venue: lines typed (or piped) on stdin shown as a horizontal crawl along a
strip (``--crawl``, news-channel style) or in Kamaelia's word-at-a-time box (the default).

    python3 -m examples.ticker --crawl --fullscreen                  # a crawl across the screen
    python3 -m examples.ticker --crawl --size 1280x80 --speed 6 < notices.txt
    python3 -m examples.ticker --size 400x300                        # the word-at-a-time box

Each line is one item of text. A line starting with ``!`` is a command in the shared vocabulary
(``!pause``, ``!play``, ``!speed 8``, ``!clear``, ``!quit``); a command that cannot be done is
reported on stderr (``error: ticker: ...``) and makes the exit status 1. At the end of the
input the text still waiting is shown, then the program ends. ``--fullscreen`` draws at the
screen's own size unless ``--size`` says otherwise. Headless (``SDL_VIDEODRIVER=dummy``)
``--frames DIR`` writes PNG frames for a person to look at.
"""
import argparse
import os
import sys

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from examples.surtitles.common import StdinLines, StopAll, run_to_exit_status, size_arg  # noqa: E402
from kamaelia_lite.chassis import Graphline  # noqa: E402
from kamaelia_lite.flow import passed_shutdown_on  # noqa: E402
from microaxon import Scheduler, component  # noqa: E402


class Lines(component):
    """Typed lines in; text on outbox (with ``ending`` appended), ``!command`` lines on
    ``commands``; the end of input passed on."""

    Outboxes = {"outbox": "text", "commands": "command lines", "signal": "end of input"}
    ending = ""

    def main(self):
        while True:
            while self.dataReady("inbox"):
                line = self.recv("inbox")
                if line.startswith("!"):
                    self.send(line[1:], "commands")
                elif line.strip():
                    self.send(line + self.ending, "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


class Errors(component):
    """Writes each ``("error", line, why)`` on stderr and counts them."""

    count = 0

    def main(self):
        while True:
            while self.dataReady("inbox"):
                e = self.recv("inbox")
                self.count += 1
                why = e[2] if isinstance(e, tuple) and len(e) > 2 else e
                sys.stderr.write("error: ticker: %s%s\n" % (
                    "%s: " % (e[1],) if isinstance(e, tuple) and len(e) > 2 else "", why))
                sys.stderr.flush()
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def build(args):
    """The ticker graph (not yet activated) and its Errors component."""
    from kamaelia_lite.displays.crawl import Crawl
    from kamaelia_lite.displays.display import PygameDisplay
    from kamaelia_lite.displays.ticker import Ticker
    w, h = args.size
    PygameDisplay.setDisplayService(PygameDisplay(
        width=w, height=h, background_colour=(0, 0, 0), caption="ticker", fullscreen=args.fullscreen,
        frames_dir=args.frames, frame_every=args.frame_every))
    if args.crawl:
        tape = Crawl(size=(w, h), position=(0, 0), text_height=args.text_height or max(8, h * 3 // 5),
                     speed=args.speed, font=args.font)
        lines = Lines()
    else:
        tape = Ticker(position=(0, 0), render_right=w, render_bottom=h, text_height=args.text_height or 39,
                      words_per_second=max(1, args.speed * 2), font=args.font,
                      background_colour=(0, 0, 0), text_colour=(240, 240, 240))
        lines = Lines(ending="\n")
    stdin = StdinLines()
    errors = Errors()
    stop = StopAll([stdin, lines])            # the tape ended ('!quit', window closed): stop reading
    graph = Graphline(
        STDIN=stdin, LINES=lines, TAPE=tape, ERRORS=errors, STOP=stop,
        linkages={("STDIN", "outbox"): ("LINES", "inbox"), ("STDIN", "signal"): ("LINES", "control"),
                  ("LINES", "outbox"): ("TAPE", "inbox"), ("LINES", "commands"): ("TAPE", "commands"),
                  ("LINES", "signal"): ("TAPE", "control"),
                  ("TAPE", "errors"): ("ERRORS", "inbox"), ("TAPE", "signal"): ("STOP", "control"),
                  ("STOP", "signal"): ("ERRORS", "control")})
    return graph, errors


def parse_args(argv=None):
    from kamaelia_lite.displays.display import screen_size
    p = argparse.ArgumentParser(prog="python3 -m examples.ticker", description=__doc__.split("\n")[0])
    p.add_argument("--crawl", action="store_true", help="a horizontal crawl (default: the word-at-a-time box)")
    p.add_argument("--size", type=size_arg, metavar="WxH",
                   help="strip or box size (default 800x60 crawl, 400x300 box; with --fullscreen the screen's)")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen")
    p.add_argument("--text-height", type=int, help="text size in pixels (default: to fit the strip)")
    p.add_argument("--speed", type=int, default=4, choices=range(0, 11), metavar="0..10",
                   help="crawl speed step, or box words per second / 2 (default 4)")
    p.add_argument("--font", help='font file, or "bitmap" for the built-in font')
    p.add_argument("--frames", help="write PNG frames here (headless viewing)")
    p.add_argument("--frame-every", type=int, default=10, help="write every Nth frame (default 10)")
    args = p.parse_args(argv)
    args.size = screen_size(args.size, args.fullscreen, (800, 60) if args.crawl else (400, 300))
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.frames:
        os.makedirs(args.frames, exist_ok=True)
    graph, errors = build(args)
    sched = Scheduler()
    graph.activate(scheduler=sched)
    status = run_to_exit_status(sched, "ticker")
    if status or errors.count:
        sys.exit(1)


if __name__ == "__main__":
    main()
