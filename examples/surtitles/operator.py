"""The surtitles operator console: a cue list, driven by keys or typed commands, sent to every display.

    python3 -m examples.surtitles.operator --key demo                       # stdin commands
    python3 -m examples.surtitles.operator --key demo --window              # + keys / presenter remote
    python3 -m examples.surtitles.operator --key demo --control-port 7711   # + TCP control (localhost)
    python3 -m examples.surtitles.operator --key demo --srt en=act1.en.srt --srt fr=act1.fr.srt
    python3 -m examples.surtitles.operator --key demo --tcp 0.0.0.0:5406    # displays connect by TCP
    python3 -m examples.surtitles.operator --key demo --web 8080 --qr-dir qr  # + audience phones
    python3 -m examples.surtitles.operator --key demo --mqtt broker:1883    # via an MQTT broker
    python3 -m examples.surtitles.operator --key demo --srt en=a.srt --timed --window --fullscreen

Commands (stdin, TCP port, serial: the shared vocabulary): next, prev, cue ID, scene NAME,
goto N, rewind, end, blackout [on|off], freeze [on|off], play/go, pause, status, quit; on stdin
also ``find TEXT`` (list matching cues) and ``jump TEXT`` (go to the next match). Keys:
PageDown/Right/Space next, PageUp/Left previous, b or . blackout, f freeze, F5 show, Escape
black out, t timed playback on/off, / search (type, Return jumps), q ends the show.
The console (``kamaelia_lite.surtitles.console_components``) shows the state (LIVE, BLACKOUT,
FROZEN, TIMED), the current and next cue in every language, the whole cue list, the live
displays and, with --web, how many phones follow each language (``PHONES 3 (en 2, ja 1)``);
the window adds a preview of how the next cue wraps on a display (--preview WxHxSIZE).
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
    run_to_exit_status,
    size_arg,
    web_server,
)
from kamaelia_lite.chassis import Graphline  # noqa: E402
from kamaelia_lite.flow import passed_shutdown_on  # noqa: E402
from kamaelia_lite.surtitles.console_components import OperatorConsole  # noqa: E402
from kamaelia_lite.surtitles.cues import CueDeck, CueList, load_cue_list  # noqa: E402
from kamaelia_lite.surtitles.cues_components import CuePlayer  # noqa: E402
from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent  # noqa: E402
from microaxon import Scheduler, component  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


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


class ShowStatus(component):
    """Prints the leader's role (``ROLE leading``), where a restarted show resumed
    (``RESUMED from the displays cue=4: why``) and the displays' health (``DISPLAYS 3 live
    (en 2, fr 1); silent: d-7``) on stdout, passing each message on (to the show log) and the
    health on ``health`` (to the console)."""

    Outboxes = {"outbox": "every message (to the show log)", "health": "display health (console)",
                "signal": "shutdown"}

    def main(self):
        from kamaelia_lite.surtitles.sync import format_health
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                if isinstance(msg, tuple) and msg[:1] == ("role",):
                    sys.stdout.write("ROLE %s epoch=%s\n" % (msg[1], msg[2]))
                elif isinstance(msg, tuple) and msg[:1] == ("resumed",):
                    sys.stdout.write("RESUMED from the %s cue=%s: %s\n" % (msg[1], msg[3], msg[2]))
                elif isinstance(msg, dict):
                    sys.stdout.write("DISPLAYS %s\n" % format_health(msg))
                    if self.hasSpace("health") > 0:
                        self.send(msg, "health")
                sys.stdout.flush()
                self.send(msg, "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def state_file_for(args, key):
    """--state-file, or one per show (cue files, key, where it publishes) under
    $XDG_STATE_HOME (~/.local/state)/surtitles."""
    if args.state_file:
        return args.state_file
    import hashlib
    sources = [os.path.abspath(spec.partition("=")[2]) for spec in args.srt] if args.srt else [
        os.path.abspath(args.cues)]
    sources.append(args.tcp or args.multicast)
    k = key if isinstance(key, bytes) else str(key).encode()
    name = hashlib.sha256(k + b"\0" + "\0".join(sources).encode()).hexdigest()[:16]
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    folder = os.path.join(base, "surtitles")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name + ".position")


def resume_player(player, path, fresh):
    """Put the cue player back where the saved position says (unless ``fresh``): the cue,
    blackout, freeze and the timing mode (a timed show's clock carries on; the saved mode
    wins over --timed, as the operator left it). Returns what to tell the operator (None when
    there was nothing to resume) and the record."""
    import time

    from kamaelia_lite.surtitles.resume import restore_deck
    from kamaelia_lite.surtitles.resume_components import load_position
    from microaxon import now
    if fresh:
        return None, None
    try:
        rec = load_position(path)
    except (OSError, ValueError) as exc:
        sys.stderr.write("saved position %s not used: %s\n" % (path, exc))
        return None, None
    if rec is None:
        return None, None
    problems = restore_deck(player.deck, rec, int(now() * 1000), time.time() * 1000.0)
    for problem in problems:
        sys.stderr.write("resume: %s\n" % problem)
    if rec.get("mode") is not None and not (problems and player.deck.position == -1):
        player.timed = False          # the deck is in the saved mode already
    flags = "%s%s %s" % (" BLACKOUT" if rec.get("blackout") else "", " FROZEN" if rec.get("freeze") else "",
                         "TIMED" if player.deck.timed else "MANUAL")
    sys.stdout.write("RESUME cue=%s position=%s%s (from %s; --fresh starts from standby)\n" % (
        rec.get("cue"), rec.get("pos"), flags, path))
    sys.stdout.flush()
    return "resumed at cue %s%s%s" % (rec.get("cue"), flags, "".join("; " + p for p in problems)), rec


def add_show_options(links, comps, args, key):
    """Resume, show log, backup leader and display health: components and links (see docs)."""
    from kamaelia_lite.surtitles.resume_components import PositionSaver
    comps["SAVER"] = PositionSaver(state_file_for(args, key))
    links[("PLAYER", "operator")] = ("SAVER", "inbox")
    links[("SAVER", "outbox")] = ("CONSOLE", "inbox")
    links[("SAVER", "errors")] = ("CONSOLE", "errors")      # a position that cannot be saved: shown
    comps["STATUS"] = ShowStatus()
    links[("LEADER", "role")] = ("STATUS", "inbox")
    links[("LEADER", "health")] = ("STATUS", "inbox")
    if args.window:                # the console window draws it (stdout has the DISPLAYS line)
        links[("STATUS", "health")] = ("CONSOLE", "health")
    links[("LEADER", "adopt")] = ("PLAYER", "inbox")
    if args.show_log:
        from kamaelia_lite.surtitles.showlog_components import ShowLog
        try:
            comps["LOG"] = ShowLog(args.show_log)
        except OSError as exc:
            sys.exit("error: cannot open the show log %s: %s" % (args.show_log, exc))
        for src, dst in list(links.items()):
            if dst == ("PLAYER", "inbox") and src != ("LEADER", "adopt"):
                links[src] = ("LOG", "inbox")            # every operator command passes the log
            elif dst == ("LEADER", "inbox"):
                links[src] = ("LOG", "states")           # every audience state too
            elif dst == ("LEADER", "control"):
                links[src] = ("LOG", "control")
        links[("LOG", "outbox")] = ("PLAYER", "inbox")
        links[("LOG", "errors")] = ("CONSOLE", "errors")   # a log that cannot be written: shown
        links[("LOG", "states_out")] = ("LEADER", "inbox")
        links[("LOG", "signal")] = ("LEADER", "control")
        links[("STATUS", "outbox")] = ("LOG", "events")
    hear = []
    if not args.tcp and not args.reliable and not args.mqtt:
        from kamaelia_lite.net.multicast import MulticastReceiver
        group, port = host_port(args.multicast, "--multicast")
        comps["HEAR"] = MulticastReceiver(group, port, args.interface)            # other leaders
        comps["HEALTH_RX"] = MulticastReceiver(group, args.health_port or port + 1, args.interface)
        hear = ["HEAR", "HEALTH_RX"]
    elif args.tcp:
        links[("NET", "outbox")] = ("LEADER", "heard")   # heartbeats come back over the hub
    for name in hear:
        links[(name, "outbox")] = ("LEADER", "heard")
    return hear


def build(args):
    """The operator graph (not yet activated)."""
    key = read_key(args)
    cues = load_cues(args)
    if args.timed and not CueDeck(cues).has_times():
        sys.exit("error: --timed needs cues with times: build the list with --srt LANG=FILE")
    election = not args.tcp and not args.reliable and not args.mqtt
    if args.backup and not election:
        sys.exit("error: --backup needs plain multicast (not --tcp, --reliable or --mqtt): the "
                 "operators hear each other on the multicast group")
    hold = (args.hold if args.hold is not None else (1.5 if args.backup else 1.0)) if election else 0.0
    leader_opts = {"repeats": ()} if args.mqtt else {}   # over MQTT the broker retains the state
    comps = {
        "PLAYER": CuePlayer(cues, timed=args.timed),
        "LEADER": SyncLeaderComponent(key=key, snapshot_period=args.snapshot_period,
                                      priority=0 if args.backup else args.priority, hold=hold,
                                      first_hold=max(hold, 3.0) if args.backup and election else None,
                                      **leader_opts),
        "CONSOLE": OperatorConsole(cues, preview_size=args.preview),
    }
    resumed, record = resume_player(comps["PLAYER"], state_file_for(args, key), args.fresh)
    if resumed:
        comps["CONSOLE"].model.message = resumed      # the console window says so too
        # the record may lag behind the last cue (written after it went out): hear the
        # displays first, resume from what they show when it is newer (docs/surtitles.md)
        comps["LEADER"].resume_listen = args.resume_listen
        saved = record.get("saved")
        if isinstance(saved, (int, float)) and not isinstance(saved, bool):
            comps["LEADER"].resume_saved_ms = saved
    links = {
        ("PLAYER", "outbox"): ("LEADER", "inbox"),
        ("PLAYER", "signal"): ("LEADER", "control"),
        ("PLAYER", "operator"): ("CONSOLE", "inbox"),
        ("PLAYER", "errors"): ("CONSOLE", "errors"),
        ("LEADER", "errors"): ("CONSOLE", "errors"),     # e.g. a cue too large to publish
        ("CONSOLE", "outbox"): ("PLAYER", "inbox"),       # typed lines and window keys
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
        links[("STDIN", "outbox")] = ("CONSOLE", "commands")   # find / jump, the rest to the player
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
    hear = add_show_options(links, comps, args, key)
    if "SRM" in comps:
        links[("LEADER", "signal")] = ("SRM", "control")
        links[("SRM", "signal")] = ("NET", "control")
    else:
        links[("LEADER", "signal")] = ("NET", "control")
    # the listeners, taps and stdin end with the leader ('quit')
    comps["STOP_RX"] = StopAll([comps[name] for name in hear + ["SAVER", "STATUS", "STDIN"] if name in comps])
    links[("STOP_RX", "signal")] = links[("LEADER", "signal")]
    links[("LEADER", "signal")] = ("STOP_RX", "control")
    links[("NET", "signal")] = ("CONSOLE", "control")
    if "REMOTE" in comps and not args.window:     # (with --window: after the keyboard)
        links[("CONSOLE", "signal")] = ("REMOTE", "control")
    return Graphline(linkages=links, **comps), comps


def attach_keyboard(comps, sched, args):
    """A window drawing the operator console whose keys (and a presentation remote, which sends
    keys) drive the cue player; 'q' ends the show. Returns the console component."""
    import pygame

    from kamaelia_lite.displays.display import PygameDisplay
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    w, h = args.console_size
    PygameDisplay.setDisplayService(PygameDisplay(width=w, height=h, background_colour=(0, 0, 0),
                                                  caption="surtitles operator", fullscreen=args.fullscreen))
    svc = PygameDisplay.getDisplayService(sched)
    console = comps["CONSOLE"]
    surface = svc.request_surface(console, (w, h), position=(0, 0), events=(console, "keys"),
                                  listen=(pygame.KEYDOWN,))
    console.screen = PygameCanvas(target=surface, on_present=svc.redraw)
    console.release = lambda: svc.release(surface)
    # when the show ends ('q', end of input), everything else ends too
    stop = StopAll([comps[name] for name in ("PLAYER", "REMOTE", "STDIN") if name in comps])
    console.link((console, "signal"), (stop, "control"))
    stop.activate(scheduler=sched)
    return console


def preview_arg(text):
    """"WxH" or "WxHxSIZE" -> (w, h, text size)."""
    try:
        parts = [int(x) for x in text.lower().split("x")]
    except ValueError:
        parts = []
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError("expected WxH or WxHxSIZE, e.g. 800x200x40, got %r" % text)
    return tuple(parts) if len(parts) == 3 else (parts[0], parts[1], 40)


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
    p.add_argument("--window", action="store_true", help="open the console window (keys / presenter remote)")
    p.add_argument("--fullscreen", action="store_true", help="the console window fills the screen")
    p.add_argument("--console-size", type=size_arg, metavar="WxH",
                   help="console window size (default 1000x640; with --fullscreen the screen's size)")
    p.add_argument("--preview", type=preview_arg, default=(800, 200, 40), metavar="WxH[xSIZE]",
                   help="the display the console previews the next cue on (default 800x200x40)")
    p.add_argument("--timed", action="store_true",
                   help="with --srt: play the cues at their times (GO / next still steps; 'pause' stops the clock)")
    p.add_argument("--no-stdin", action="store_true", help="do not read commands from stdin")
    p.add_argument("--state-file", help="where the show position is saved on every change "
                   "(default: one per show and key under ~/.local/state/surtitles)")
    p.add_argument("--fresh", action="store_true", help="start from standby, not from the saved position")
    p.add_argument("--resume-listen", type=float, default=1.5, metavar="SECONDS",
                   help="resuming: hear the displays this long first, and resume from the cue they show "
                   "when it is newer than the saved one (0: the saved position only)")
    p.add_argument("--show-log", metavar="PATH", help="append every action and cue change, timed, to this file")
    p.add_argument("--backup", action="store_true",
                   help="stand by as a backup operator: follow the live show, lead when the primary stops")
    p.add_argument("--priority", type=int, default=1, help="rank among operators sharing the key (higher leads)")
    p.add_argument("--hold", type=float, help="seconds without a higher-ranked operator before leading "
                   "(default 1.0; a backup 1.5, and 3 at start)")
    p.add_argument("--health-port", type=int, help="port displays send heartbeats to (multicast; default PORT+1)")
    args = p.parse_args(argv)
    if args.window:
        from kamaelia_lite.displays.display import screen_size
        args.console_size = screen_size(args.console_size, args.fullscreen, (1000, 640))
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        graph, comps = build(args)
    except OSError as exc:           # e.g. the sync or control port is taken, no such interface
        sys.exit("error: operator: %s" % exc)
    sched = Scheduler()
    if args.window:
        attach_keyboard(comps, sched, args)
    graph.activate(scheduler=sched)
    status = run_to_exit_status(sched, "operator")
    if status:
        sys.exit(status)


if __name__ == "__main__":
    main()
