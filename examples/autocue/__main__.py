"""Autocue: a teleprompter fed over TCP, remote-controlled over a second TCP port.

    python3 -m examples.autocue --script-port 7700 --control-port 7701
    printf '# Hello\n\nGood evening.\n.\n' | nc 127.0.0.1 7700      # push a script
    printf 'speed 4\nplay\n' | nc 127.0.0.1 7701                    # drive it

Headless (SDL_VIDEODRIVER=dummy) it can write PNG frames: --frames DIR [--frame-every N].
--fullscreen fills the screen at its own size (unless --size WxH says otherwise).
Ports listen on 127.0.0.1; --host 0.0.0.0 exposes them, and then --token is required: clients of
both ports send 'auth <token>' first (it travels in clear text: use a trusted network).
Ctrl-C stops it (exit status 130).
Commands: see docs/displays.md (play, pause, speed N, jump NAME, mirror x, font 64, countdown 3, ...).
Each control line is done at once and answered ``ok`` or, when the teleprompter cannot do it
(``jump nowhere``, ``next`` after the last marker, a surtitle-only command), ``error: <why>``;
errors from elsewhere (e.g. a key on the window) reach every control client as
``# error: ...`` lines.
"""
import argparse
import os
import sys

from examples.autocue.script_port import ScriptPort
from examples.surtitles.common import size_arg
from kamaelia_lite.chassis import Graphline
from kamaelia_lite.displays.display import PygameDisplay, screen_size
from kamaelia_lite.displays.teleprompter import Teleprompter
from kamaelia_lite.surtitles.control import TCPControlPort
from kamaelia_lite.util import PureTransformer

DEMO = """# Autocue

[[start]] Good evening. This script was pushed to the autocue over TCP,
and a second TCP port steers it: speed, pause, jump to markers, mirror for the glass.

## The news

[[news]] Everything you see scrolls by word position, so every display agrees where it is.

## Goodbye

[[end]] Thank you, and good night.
"""


def build(args):
    """The autocue graph (returned, not run) and its parts, from parsed arguments."""
    w, h = args.size
    PygameDisplay.setDisplayService(PygameDisplay(
        width=w, height=h, background_colour=(0, 0, 0), caption="autocue", fullscreen=args.fullscreen,
        frames_dir=args.frames, frame_every=args.frame_every))
    tp = Teleprompter(script=args.initial, size=(w, h), position=(0, 0), font_size=args.font,
                      mirror_x=args.mirror_x, mirror_y=args.mirror_y, speed=args.speed,
                      playing=args.play, at_end=args.at_end, fps=args.fps)
    scripts = ScriptPort(host=args.host, port=args.script_port, token=args.token)
    control = TCPControlPort(host=args.host, port=args.control_port, token=args.token,
                             handler=tp.command_now)
    errors = PureTransformer(lambda e: "error: %s" % (e[2],))
    graph = Graphline(
        TP=tp, SCRIPTS=scripts, CONTROL=control, ERRORS=errors,
        linkages={("SCRIPTS", "outbox"): ("TP", "inbox"),
                  ("CONTROL", "outbox"): ("TP", "commands"),
                  ("TP", "outbox"): ("CONTROL", "inbox"),
                  ("TP", "errors"): ("ERRORS", "inbox"),
                  ("ERRORS", "outbox"): ("CONTROL", "inbox"),
                  ("TP", "signal"): ("CONTROL", "control"),
                  ("CONTROL", "signal"): ("SCRIPTS", "control"),
                  ("SCRIPTS", "signal"): ("ERRORS", "control")})
    return graph, tp, scripts, control


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m examples.autocue", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--script-port", type=int, default=7700)
    p.add_argument("--control-port", type=int, default=7701)
    p.add_argument("--token", default=None, help="shared token for both ports (needed off loopback)")
    p.add_argument("--size", type=size_arg, metavar="WxH",
                   help="WxH (default 800x600; with --fullscreen the screen's size)")
    p.add_argument("--fullscreen", action="store_true", help="the teleprompter fills the screen")
    p.add_argument("--font", type=int, default=48)
    p.add_argument("--speed", type=int, default=3)
    p.add_argument("--play", action="store_true", help="start scrolling at once")
    p.add_argument("--at-end", default="stop", choices=("stop", "loop", "exit"))
    p.add_argument("--mirror-x", action="store_true")
    p.add_argument("--mirror-y", action="store_true")
    p.add_argument("--fps", type=int, default=60)
    p.add_argument("--frames", default=None, help="write PNG frames here (headless viewing)")
    p.add_argument("--frame-every", type=int, default=30)
    p.add_argument("--script", default=None, help="a script file to start with (default: a demo)")
    args = p.parse_args(argv)
    args.size = screen_size(args.size, args.fullscreen, (800, 600))
    args.initial = DEMO
    if args.script:
        with open(args.script, encoding="utf-8", errors="replace") as f:
            args.initial = f.read()
    return args


def main(argv=None):
    try:
        args = parse_args(argv)
        if args.frames:
            os.makedirs(args.frames, exist_ok=True)
        try:
            graph, tp, scripts, control = build(args)
        except (OSError, ValueError) as e:
            sys.stderr.write("autocue: %s\n" % e)
            return 2
        sys.stderr.write("autocue: script port %s:%d, control port %s:%d, %dx%d%s\n"
                         % (args.host, scripts.port, args.host, control.port, args.size[0], args.size[1],
                            " fullscreen" if args.fullscreen else ""))
        sys.stderr.flush()
        graph.run()
    except KeyboardInterrupt:
        sys.stderr.write("autocue: interrupted\n")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
