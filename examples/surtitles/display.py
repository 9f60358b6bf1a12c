"""A surtitles display: follows the operator over multicast (or TCP) and shows the cue.

    python3 -m examples.surtitles.display --key demo --language fr            # window
    python3 -m examples.surtitles.display --key demo --headless --png-dir out  # PNG per frame
    python3 -m examples.surtitles.display --key demo --tcp 192.168.1.10:5406   # no multicast
    python3 -m examples.surtitles.display --key demo --headless --web 8080     # a bridge for phones
    python3 -m examples.surtitles.display --key demo --mqtt broker:1883       # via an MQTT broker

Each display chooses its languages (``--language fr`` or ``--language en,fr``; all when
omitted); ``--commands`` takes display commands on stdin while it runs (``language en``,
``font 48``, ``colour fg yellow``: a display's language can change mid-show); ``--backdrop
outline|box`` keeps text readable over scenery; ``--fullscreen`` (at the screen's own size
unless ``--size WxH`` says otherwise). With ``--print`` it writes one line per frame to stdout, for scripts and tests::

    READY <monotonic time> <W>x<H> [fullscreen]  listening, drawing at that size
    SHOW <monotonic time> {"version": .., "cue": .., "text": .., "blackout": ..}
    REJECTED <reason> {"forged": .., ...}        a datagram without the key (or replayed) was dropped
    LOST <monotonic time>                        no leader heard for --lost-after s (text kept, mark shown)
    FOUND <monotonic time>                       the leader is heard again
    PHONES <n> phones (<lang> <n>, ...)          with --web: audience phones following

A display that starts late shows the current cue within the leader's snapshot period (0.5 s).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from examples.surtitles.common import (
    StopAll,
    add_mqtt_options,
    add_network_options,
    add_web_option,
    host_port,
    read_key,
    run_to_exit_status,
    size_arg,
    web_server,
)
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.signal_lost_components import MarkedSubtitleDisplay, SignalLostMarker
from kamaelia_lite.surtitles.sync_components import FollowerPulse
from microaxon import Scheduler, component


class Printer(component):
    """Prints what the display showed (inbox) and rejected datagrams ("rejected")."""

    Inboxes = {"inbox": "frames shown", "rejected": "rejected datagrams", "control": "shutdown",
               "phones": "audience phones per language", "leader": "signal lost / found"}
    size = (0, 0)           # the display's size and window mode, said in the READY line
    fullscreen = False

    def main(self):
        out = sys.stdout
        out.write("READY %.6f %dx%d%s\n" % (time.monotonic(), self.size[0], self.size[1],
                                            " fullscreen" if self.fullscreen else ""))
        out.flush()
        while True:
            while self.dataReady("inbox"):
                f = self.recv("inbox")
                if isinstance(f, dict):
                    out.write("SHOW %.6f %s\n" % (time.monotonic(), json.dumps(
                        {"version": f.get("version"), "cue": f.get("cue"), "text": f.get("text"),
                         "blackout": f.get("blackout")})))
            while self.dataReady("phones"):
                from kamaelia_lite.surtitles.web import format_counts
                out.write("PHONES %s\n" % format_counts(self.recv("phones")))
            while self.dataReady("leader"):
                sig = self.recv("leader")
                out.write("%s %.6f\n" % ("LOST" if sig[1] == "lost" else "FOUND", time.monotonic()))
            while self.dataReady("rejected"):
                _, reason, stats = self.recv("rejected")
                out.write("REJECTED %s %s\n" % (reason, json.dumps(stats)))
            out.flush()
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def make_canvas(args):
    """An offscreen canvas; headless it may save each frame as a PNG (a window is attached by
    ``attach_window`` once the scheduler exists)."""
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    w, h = args.size
    canvas = PygameCanvas(size=(w, h), font=args.font)
    if args.headless:
        if args.png_dir:
            os.makedirs(args.png_dir, exist_ok=True)
            count = [0]

            def save():
                import pygame
                pygame.image.save(canvas.target, os.path.join(args.png_dir, "frame_%05d.png" % count[0]))
                count[0] += 1
            canvas.on_present = save
    return canvas


def attach_window(display, args, sched):
    """Show ``display``'s canvas in a window of the pygame display service; returns the function
    that gives the window surface back (the service, and the program, end with it)."""
    from kamaelia_lite.displays.display import PygameDisplay
    w, h = args.size
    PygameDisplay.setDisplayService(PygameDisplay(width=w, height=h, background_colour=(0, 0, 0),
                                                  caption="surtitles", fullscreen=args.fullscreen))
    svc = PygameDisplay.getDisplayService(sched)
    surface = svc.request_surface(display, (w, h), position=(0, 0))
    display.canvas.target = surface
    display.canvas.on_present = svc.redraw
    return lambda: svc.release(surface)


def add_follower_options(follower, marker, args, key):
    """Signal-lost watch and heartbeats to the leader (display health); returns the extra
    components to stop at the end."""
    follower.lost_after = args.lost_after
    follower.pulse = FollowerPulse(args.lost_after, args.heartbeat or None, args.name,
                                   [x for x in (args.language or "").replace(",", " ").split()])
    follower.link((follower, "leader"), (marker, "leader"))
    if args.tcp or not args.heartbeat:
        return []                       # over TCP the heartbeats go back on the connection
    from kamaelia_lite.net.multicast import MulticastSender
    group, port = host_port(args.multicast, "--multicast")
    sender = MulticastSender(group, args.health_port or port + 1, args.interface)
    follower.link((follower, "heartbeat"), (sender, "inbox"))
    return [sender]


def build(args):
    """The display graph (not yet activated), its follower component (for its counters), the
    SubtitleDisplay, and the component that stops the network side when the display ends."""
    from kamaelia_lite.surtitles.sync_components import SyncFollowerComponent
    key = read_key(args)
    if args.mqtt:
        from kamaelia_lite.net.mqtt import MQTTSubscriber
        host, port = host_port(args.mqtt, "--mqtt")
        follower = SyncFollowerComponent(key=key)
        source = Pipeline(MQTTSubscriber(host=host, port=port, topic=args.mqtt_topic, qos=1,
                                         username=args.mqtt_user, password=args.mqtt_password), follower)
    elif args.tcp:
        from kamaelia_lite.surtitles.sync_net import SyncTCPFollower
        host, port = host_port(args.tcp, "--tcp")
        source = SyncTCPFollower(key=key, host=host, port=port)
        follower = source
    else:
        group, port = host_port(args.multicast, "--multicast")
        from kamaelia_lite.net.multicast import MulticastReceiver
        receiver = MulticastReceiver(group, port, args.interface)
        follower = SyncFollowerComponent(key=key)
        if args.reliable:
            from kamaelia_lite.net.srm_components import SRMReceiver
            source = Pipeline(receiver, SRMReceiver(log_gaps=False), follower)
        else:
            source = Pipeline(receiver, follower)
    display = MarkedSubtitleDisplay(make_canvas(args), languages=args.language, size=args.font_size,
                                    valign=args.valign, backdrop=args.backdrop)
    marker = SignalLostMarker()
    parts = [source, marker, display]
    stop_too = add_follower_options(follower, marker, args, key)
    web = None
    if args.web:
        langs = [x for x in (args.language or "").replace(",", " ").split()]
        web = web_server(args, langs)
        parts.insert(2, web)       # the states pass through the web bridge to the display
    printer = None
    if args.print:
        printer = Printer(size=args.size, fullscreen=bool(args.fullscreen and not args.headless))
        parts.append(printer)
    graph = Pipeline(*parts)
    if web is not None and printer is not None:
        web.link((web, "counts"), (printer, "phones"))
    if printer is not None and isinstance(follower, SyncFollowerComponent):
        follower.link((follower, "rejected"), (printer, "rejected"))
    if printer is not None:
        marker.link((marker, "signals"), (printer, "leader"))
    # a failure on the display reaches the user (stderr) and the exit status
    errors = ErrorReport("display")
    display.link((display, "errors"), (errors, "inbox"))
    extra = [errors] + stop_too         # activated beside the graph
    if args.commands:       # commands typed while it runs: language fr, font 48, colour fg yellow...
        from examples.surtitles.common import StdinLines
        lines = StdinLines()
        lines.link((lines, "outbox"), (display, "inbox"))
        lines.link((lines, "signal"), (source, "control"))     # end of input ends the display
        extra.append(lines)
    # when the display ends (its window closed), stop the network side as well
    stop = StopAll([source] + extra)
    graph.link((graph, "signal"), (stop, "control"))
    graph.extra = extra
    return graph, follower, display, stop


class ErrorReport(component):
    """Writes each ``("error", what, why)`` it gets on stderr and remembers that one came (the
    program then exits with status 1)."""

    Inboxes = {"inbox": "error tuples", "control": "shutdown"}
    count = 0

    def __init__(self, who, **argd):
        super().__init__(**argd)
        self.who = who

    def main(self):
        while True:
            while self.dataReady("inbox"):
                e = self.recv("inbox")
                ErrorReport.count += 1
                sys.stderr.write("error: %s: %s\n" % (self.who, e[2] if isinstance(e, tuple) and len(e) > 2 else e))
                sys.stderr.flush()
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_network_options(p)
    add_web_option(p)
    add_mqtt_options(p)
    p.add_argument("--language", help="language(s) to show, e.g. fr or en,fr (default: all)")
    p.add_argument("--size", type=size_arg, metavar="WxH",
                   help="display size (default 800x200; with --fullscreen the screen's size)")
    p.add_argument("--font", default=None, help='font file, or "bitmap" for the built-in 5x8 font')
    p.add_argument("--font-size", type=int, default=40)
    p.add_argument("--valign", default="centre", choices=("top", "centre", "bottom"))
    p.add_argument("--backdrop", default="none", choices=("none", "outline", "box"),
                   help="for text over scenery: an outline round the glyphs or a box behind each line")
    p.add_argument("--fullscreen", action="store_true", help="the window fills the screen")
    p.add_argument("--commands", action="store_true",
                   help="take display commands on stdin while running: language fr, font 48, colour fg yellow...")
    p.add_argument("--headless", action="store_true", help="no window (offscreen canvas)")
    p.add_argument("--png-dir", help="headless: write every frame as a PNG here")
    p.add_argument("--print", action="store_true", help="print READY/SHOW/REJECTED lines on stdout")
    p.add_argument("--lost-after", type=float, default=5.0,
                   help="seconds without the leader before the discreet signal-lost mark (default 5)")
    p.add_argument("--heartbeat", type=float, default=1.0,
                   help="seconds between heartbeats to the leader (display health; 0: none)")
    p.add_argument("--name", help="this display's name in the operator's health report (default: random)")
    p.add_argument("--health-port", type=int, help="port the heartbeats go to (multicast; default PORT+1)")
    args = p.parse_args(argv)
    if args.headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from kamaelia_lite.displays.display import screen_size
    args.size = screen_size(args.size, args.fullscreen and not args.headless, (800, 200))
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        graph, _, display, stop = build(args)
    except OSError as exc:           # e.g. no such interface, the web port is taken
        sys.exit("error: display: %s" % exc)
    sched = Scheduler()
    if not args.headless:
        stop.on_stop = attach_window(display, args, sched)
    graph.activate(scheduler=sched)
    stop.activate(scheduler=sched)
    for c in graph.extra:
        c.activate(scheduler=sched)
    status = run_to_exit_status(sched, "display")
    if status or ErrorReport.count:
        sys.exit(1)


if __name__ == "__main__":
    main()
