"""The surtitles operator console: a cue list, driven by keys or typed commands, sent to every display.

    python3 -m examples.surtitles.operator --key demo                       # stdin commands
    python3 -m examples.surtitles.operator --key demo --window              # + keys / presenter remote
    python3 -m examples.surtitles.operator --key demo --control-port 7711   # + TCP control (localhost)
    python3 -m examples.surtitles.operator --key demo --srt en=act1.en.srt --srt fr=act1.fr.srt
    python3 -m examples.surtitles.operator --key demo --tcp 0.0.0.0:5406    # displays connect by TCP
    python3 -m examples.surtitles.operator --key demo --web 8080 --qr-dir qr  # + audience phones
    python3 -m examples.surtitles.operator --key demo --mqtt broker:1883    # via an MQTT broker

Commands (stdin, TCP port, serial: the shared vocabulary): next, prev, cue ID, scene NAME,
goto N, rewind, end, blackout [on|off], freeze [on|off], status, quit. Keys: PageDown/Right/Space
next, PageUp/Left previous, b or . blackout, f freeze, F5 show, Escape black out.
The console shows the previous / current / next cue after every command, and with --web how
many phones follow each language (``PHONES 3 (en 2, ja 1)``).
Displays: ``python3 -m examples.surtitles.display --key demo --language fr``.
"""
import argparse
import os
import sys

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from examples.surtitles.common import (  # noqa: E402
    StdinLines,
    StopAll,
    add_mqtt_options,
    add_network_options,
    add_web_option,
    host_port,
    read_key,
    web_server,
)
from kamaelia_lite.chassis import Graphline  # noqa: E402
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.cues import CueList, load_cue_list  # noqa: E402
from kamaelia_lite.surtitles.cues_components import CuePlayer  # noqa: E402
from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent  # noqa: E402
from microaxon import Scheduler, component  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class OperatorConsole(component):
    """Prints the operator view (inbox) and rejected commands ("errors") on stdout; with a
    ``screen`` canvas (the --window) also draws the view there, releasing it when done."""

    Inboxes = {"inbox": "operator views", "errors": "rejected commands", "control": "shutdown",
               "phones": "audience phones per language (--web)"}

    screen = None
    release = None
    phones = ""

    def draw(self, text, live, blackout):
        c = self.screen
        c.fill((0, 0, 0))
        y = 6
        for line in text.split("\n")[:3]:
            colour = (255, 255, 255) if line.startswith("CURRENT") else (150, 150, 150)
            c.text(line[:90], 6, y, colour, 18)
            y += c.line_height(18) + 4
        status = "LIVE: %s%s%s" % (live, "   BLACKOUT" if blackout else "",
                                   "   " + self.phones if self.phones else "")
        c.text(status, 6, y + 4, (255, 80, 80) if blackout else (80, 255, 80), 18)
        c.present()

    def main(self):
        out = sys.stdout
        last = None
        try:
            while True:
                while self.dataReady("inbox"):
                    v = self.recv("inbox")
                    view = v["view"]
                    live = view["live"].ident if view["live"] else "-"
                    out.write("%s\nLIVE cue=%s version=%d%s\n\n" % (
                        v["text"], live, view["version"], " BLACKOUT" if view["blackout"] else ""))
                    last = (v["text"], live, view["blackout"])
                    if self.screen is not None:
                        self.draw(*last)
                while self.dataReady("phones"):
                    from kamaelia_lite.surtitles.web import format_counts
                    self.phones = format_counts(self.recv("phones"))
                    out.write("PHONES %s\n" % self.phones)
                    if self.screen is not None and last is not None:
                        self.draw(*last)
                while self.dataReady("errors"):
                    e = self.recv("errors")
                    out.write("ERROR %s\n" % (e[2] if isinstance(e, tuple) else e))
                out.flush()
                if passed_shutdown_on(self):
                    return
                self.pause()
                yield 1
        finally:
            if self.release is not None:
                self.release()


def load_cues(args):
    """The CueList from --cues or --srt LANG=FILE (problems reported on stderr)."""
    if args.srt:
        from kamaelia_lite.surtitles.subtitles import load_subtitles
        tracks = {}
        for spec in args.srt:
            lang, sep, path = spec.partition("=")
            if not sep:
                sys.exit("error: --srt wants LANG=FILE, got %r" % spec)
            track = load_subtitles(path, language=lang)
            for line in track.report().splitlines():
                sys.stderr.write("%s: %s\n" % (path, line))
            tracks[lang] = track
        cues = CueList.from_tracks(tracks, primary=args.srt[0].partition("=")[0])
    else:
        cues = load_cue_list(args.cues)
    for p in cues.problems:
        sys.stderr.write("cue list: %s\n" % p)
    return cues


def build(args):
    """The operator graph (not yet activated)."""
    key = read_key(args)
    cues = load_cues(args)
    comps = {
        "PLAYER": CuePlayer(cues),
        # over MQTT (TCP) the quick repeats of a change are not needed: the broker retains the state
        "LEADER": SyncLeaderComponent(key=key, snapshot_period=args.snapshot_period,
                                      **({"repeats": ()} if args.mqtt else {})),
        "CONSOLE": OperatorConsole(),
    }
    links = {
        ("PLAYER", "outbox"): ("LEADER", "inbox"),
        ("PLAYER", "signal"): ("LEADER", "control"),
        ("PLAYER", "operator"): ("CONSOLE", "inbox"),
        ("PLAYER", "errors"): ("CONSOLE", "errors"),
    }
    if args.mqtt:
        from kamaelia_lite.net.mqtt import MQTTPublisher
        host, port = host_port(args.mqtt, "--mqtt")
        comps["NET"] = MQTTPublisher(host=host, port=port, topic=args.mqtt_topic, qos=1, retain=True,
                                     username=args.mqtt_user, password=args.mqtt_password)
    elif args.tcp:
        from kamaelia_lite.surtitles.sync_net import SyncTCPHub
        host, port = host_port(args.tcp, "--tcp")
        comps["NET"] = SyncTCPHub(host=host, port=port)
    else:
        from kamaelia_lite.net.multicast import MulticastSender
        group, port = host_port(args.multicast, "--multicast")
        comps["NET"] = MulticastSender(group, port, args.interface)
    if args.reliable and not (args.tcp or args.mqtt):
        from kamaelia_lite.net.srm_components import SRMSender
        comps["SRM"] = SRMSender(flush_after=0.0)
        links[("LEADER", "outbox")] = ("SRM", "inbox")
        links[("SRM", "outbox")] = ("NET", "inbox")
    else:
        links[("LEADER", "outbox")] = ("NET", "inbox")
    if not args.no_stdin:
        comps["STDIN"] = StdinLines()
        links[("STDIN", "outbox")] = ("PLAYER", "inbox")
        links[("STDIN", "signal")] = ("PLAYER", "control")     # end of input ends the show
    if args.control_port is not None:
        from kamaelia_lite.surtitles.control import TCPControlPort
        comps["REMOTE"] = TCPControlPort(host=args.control_host, port=args.control_port, token=args.token)
        links[("REMOTE", "outbox")] = ("PLAYER", "inbox")
    if args.web:                   # phones: the states pass through the web bridge to the leader
        comps["WEB"] = web_server(args, cues.languages)
        links[("PLAYER", "outbox")] = ("WEB", "inbox")
        links[("WEB", "outbox")] = ("LEADER", "inbox")
        links[("PLAYER", "signal")] = ("WEB", "control")
        links[("WEB", "signal")] = ("LEADER", "control")
        links[("WEB", "counts")] = ("CONSOLE", "phones")
    if "SRM" in comps:
        links[("LEADER", "signal")] = ("SRM", "control")
        links[("SRM", "signal")] = ("NET", "control")
    else:
        links[("LEADER", "signal")] = ("NET", "control")
    links[("NET", "signal")] = ("CONSOLE", "control")
    if "REMOTE" in comps and not args.window:     # (with --window: after the keyboard)
        links[("CONSOLE", "signal")] = ("REMOTE", "control")
    return Graphline(linkages=links, **comps), comps


def attach_keyboard(comps, sched, args):
    """A window showing the operator view whose keys (and a presentation remote, which sends
    keys) drive the cue player; 'q' ends the show."""
    import pygame

    from kamaelia_lite.displays.display import PygameDisplay
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    from kamaelia_lite.surtitles.control import CUE_KEYS, KeyboardControl
    PygameDisplay.setDisplayService(PygameDisplay(width=820, height=120, background_colour=(0, 0, 0),
                                                  caption="surtitles operator"))
    svc = PygameDisplay.getDisplayService(sched)
    keys = KeyboardControl(keymap=CUE_KEYS)
    console = comps["CONSOLE"]
    surface = svc.request_surface(console, (820, 120), position=(0, 0), events=(keys, "inbox"),
                                  listen=(pygame.KEYDOWN,))
    console.screen = PygameCanvas(target=surface, on_present=svc.redraw)
    console.release = lambda: svc.release(surface)
    keys.link((keys, "outbox"), (comps["PLAYER"], "inbox"))
    console.link((console, "signal"), (keys, "control"))
    # when the window closes (or 'q'), everything else ends too
    stop = StopAll([comps[name] for name in ("PLAYER", "REMOTE", "STDIN") if name in comps])
    keys.link((keys, "signal"), (stop, "control"))
    keys.activate(scheduler=sched)
    stop.activate(scheduler=sched)
    return keys


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_network_options(p)
    add_web_option(p)
    add_mqtt_options(p)
    p.add_argument("--cues", default=os.path.join(HERE, "show.cues"), help="cue-list file (default: the demo)")
    p.add_argument("--srt", action="append", metavar="LANG=FILE", help="one subtitle file per language instead")
    p.add_argument("--snapshot-period", type=float, default=0.5, help="seconds between full-state repeats")
    p.add_argument("--control-port", type=int, help="also take commands on this TCP port")
    p.add_argument("--control-host", default="127.0.0.1", help="address of the control port")
    p.add_argument("--token", help="token the control port requires (needed off loopback)")
    p.add_argument("--window", action="store_true", help="open a window that takes keys / presenter remote")
    p.add_argument("--no-stdin", action="store_true", help="do not read commands from stdin")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    graph, comps = build(args)
    sched = Scheduler()
    if args.window:
        attach_keyboard(comps, sched, args)
    graph.activate(scheduler=sched)
    try:
        sched.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
