"""The pieces the showcase (examples/showcase.py) runs together in one scheduler.

* ``radio_part``: the multicast radio (examples/radio): a server streaming a short Ogg Vorbis
  piece made with sox + oggenc, and a client that tunes in over loopback multicast, decodes and
  records what it hears to a WAV file.
* ``surtitles_part``: the surtitles (examples/surtitles): a cue player stepped by a timer, its
  sync leader sending signed cue states over loopback multicast, and one display per language
  (English and French) following them.
* ``Compositor``: draws the surtitle displays, the radio's status and the live component graph
  into one picture — a window when there is a display, otherwise PNG frames.

Each part returns ``Part(name, components, stop_box_targets, info)``; the showcase activates the
components and, when time is up, sends ``shutdownMicroprocess`` to each target's control.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from typing import Any, Dict, List, Optional, Tuple

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.util import Collector
from microaxon import component, now, shutdown
from microaxon.introspect import snapshot, summary_line

KEY = "showcase"
GROUP = "239.255.42.99"


class Part:
    """A runnable piece of the show: its components, the ones to stop at the end, and status."""

    def __init__(self, name: str, components: List[component], stop: List[component], info: Dict[str, Any]):
        self.name = name
        self.components = components
        self.stop = stop
        self.info = info


def free_udp_port() -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_music(out_dir: str, seconds: float = 6.0) -> str:
    """A short Ogg Vorbis piece (a plucked chord with a slow tremolo), made with sox + oggenc."""
    ogg = os.path.join(out_dir, "showcase.ogg")
    if os.path.isfile(ogg):
        return ogg
    for tool in ("sox", "oggenc"):
        if shutil.which(tool) is None:
            raise RuntimeError("%s is not installed (apt install sox vorbis-tools)" % tool)
    wav = os.path.join(out_dir, "showcase-source.wav")
    subprocess.run(["sox", "-R", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", str(seconds),
                    "pluck", "C3", "pluck", "E3", "pluck", "G3", "tremolo", "2", "40", "fade", "0.05",
                    str(seconds), "0.5", "gain", "-6"],
                   check=True, capture_output=True, timeout=60)
    subprocess.run(["oggenc", "-Q", "-q", "3", "-o", ogg, wav], check=True, capture_output=True, timeout=60)
    os.remove(wav)
    return ogg


def radio_part(out_dir: str, seconds: float) -> Part:
    """The radio server and one listener on loopback multicast (see the module docstring)."""
    from examples.radio import client, server
    from examples.radio.common import srm_available

    ogg = make_music(out_dir)
    port = free_udp_port()
    transport = "srm" if srm_available() else "udp"
    server_parts = server.build(server.parse([ogg, "--transport", transport, "--port", str(port),
                                              "--group", GROUP]))
    wav = os.path.join(out_dir, "radio-heard.wav")
    listener, reporter = client.build(client.parse(["--transport", transport, "--port", str(port),
                                                    "--group", GROUP, "--no-play", "--wav", wav,
                                                    "--seconds", str(seconds), "--name", "showcase radio"]))
    limit = [c for c in listener if type(c).__name__ == "AudioLimit"][0]
    info = {"transport": transport, "port": port, "wav": wav, "reporter": reporter, "limit": limit,
            "file": ogg}
    return Part("radio", server_parts + listener, server_parts + [listener[0]], info)


class CueStepper(component):
    """Sends "next" to the cue player at once and then every ``every`` seconds (an operator
    pressing the pedal), ``count`` times in all (None: for ever)."""

    every = 1.5
    count = None

    def main(self):
        sent = 0
        while self.count is None or sent < self.count:
            self.send("next", "outbox")
            sent += 1
            wake = now() + self.every
            while now() < wake:
                if self.dataReady("control"):
                    msg = self.recv("control")
                    if isinstance(msg, shutdown):
                        self.send(msg, "signal")
                        return
                self.pause(wake - now())
                yield 1
        while not self.dataReady("control"):
            self.pause()
            yield 1
        self.send(self.recv("control"), "signal")


def shown_cues(cues):
    """The cues of ``cues`` that have text (the showcase skips the blanks, so a pane is never
    empty once the show has begun)."""
    from kamaelia_lite.surtitles.cues import CueList
    return CueList([e for e in cues.entries if any(e.texts.values())], cues.languages)


def surtitles_part(out_dir: str, languages: Tuple[str, ...] = ("en", "fr"), every: float = 1.5,
                   size: Tuple[int, int] = (640, 110), seconds: Optional[float] = None) -> Part:
    """Cue player + sync leader on multicast, and one display per language (headless canvases).

    With ``seconds`` (the length of the show) the cues are stepped so that the last one is
    reached 1.5 s before the end (at most ``every`` apart): every cue, the last included, is
    on screen while frames are taken."""
    from examples.surtitles import display as display_mod
    from kamaelia_lite.net.multicast import MulticastSender
    from kamaelia_lite.surtitles.cues import load_cue_list
    from kamaelia_lite.surtitles.cues_components import CuePlayer
    from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent

    here = os.path.dirname(os.path.abspath(display_mod.__file__))
    port = free_udp_port()
    cues = shown_cues(load_cue_list(os.path.join(here, "show.cues")))
    if seconds is not None and len(cues) > 1:
        every = max(0.3, min(every, (seconds - 1.5) / (len(cues) - 1)))
    stepper = CueStepper(every=every, count=len(cues))
    player = CuePlayer(cues)
    leader = SyncLeaderComponent(key=KEY, snapshot_period=0.5)
    sender = MulticastSender(GROUP, port, "127.0.0.1")
    stepper.link((stepper, "outbox"), (player, "inbox"))
    stepper.link((stepper, "signal"), (player, "control"))
    player.link((player, "outbox"), (leader, "inbox"))
    player.link((player, "signal"), (leader, "control"))
    leader.link((leader, "outbox"), (sender, "inbox"))
    leader.link((leader, "signal"), (sender, "control"))
    comps: List[component] = [stepper, player, leader, sender]
    stops: List[component] = [stepper]
    displays = {}
    for lang in languages:
        args = display_mod.parse_args(["--key", KEY, "--multicast", "%s:%d" % (GROUP, port), "--interface",
                                       "127.0.0.1", "--language", lang, "--headless", "--font", "bitmap",
                                       "--font-size", "16", "--size", "%dx%d" % size, "--valign", "centre"])
        graph, follower, disp, stop = display_mod.build(args)
        shown = Collector()
        graph.link((graph, "outbox"), (shown, "inbox"))
        stop.link((stop, "signal"), (shown, "control"))   # build() wired graph.signal to stop
        comps += [graph, stop, shown]
        stops.append(graph)
        displays[lang] = {"display": disp, "shown": shown, "follower": follower}
    return Part("surtitles", comps, stops, {"port": port, "displays": displays, "player": player,
                                            "cues": cues})


class Compositor(component):
    """Every ``1/fps`` s draws the surtitle displays, radio status and live graph into one picture:
    into ``window`` (a pygame display surface) if given, else PNG files ``frame-NNN.png``."""

    fps = 2.0
    out_dir = "out"
    window = None
    width = 1280
    parts: Dict[str, Part] = {}

    def __init__(self, **argd: Any) -> None:
        super().__init__(**argd)
        self.frames: List[str] = []
        self._renderer: Optional[Any] = None

    def _radio_status(self) -> List[str]:
        radio = self.parts.get("radio")
        if radio is None:
            return ["radio: not running (%s)" % self.parts.get("_radio_error", "disabled")]
        limit, rep = radio.info["limit"], radio.info["reporter"]
        heard = limit.frames / limit.fmt.rate if limit.fmt is not None else 0.0
        return ["radio: %s multicast on lo, port %d" % (radio.info["transport"], radio.info["port"]),
                "heard %.1f s of audio, %d gap(s), %.2f s of silence" % (heard, rep.gaps, rep.gap_seconds)]

    def compose(self):
        """One composite frame as a pygame Surface."""
        import pygame

        from microaxon.tools.top.graphview import GraphRenderer

        if self._renderer is None:
            self._renderer = GraphRenderer()
        snap = snapshot(self._sched)
        graph = self._renderer.render(snap, "live graph")
        sur = self.parts.get("surtitles")
        panels = []
        if sur is not None:
            for lang, d in sur.info["displays"].items():
                panels.append((lang, d["display"].canvas.target))
        top_h = max([p[1].get_height() for p in panels] + [0])
        head_h = 72
        gw = min(graph.get_width(), 4000)
        width = max(self.width, gw, sum(p[1].get_width() + 10 for p in panels) + 10)
        height = head_h + top_h + 20 + graph.get_height()
        frame = pygame.Surface((width, height))
        frame.fill((235, 235, 228))
        font = self._renderer.font
        frame.blit(font.render("microaxon showcase - radio + surtitles on loopback multicast, one scheduler",
                               True, (20, 20, 20)), (10, 6))
        x = 10
        for i, line in enumerate(self._radio_status()):
            frame.blit(font.render(line, True, (40, 40, 90)), (x, 24 + 15 * i))
        for lang, surf in panels:
            frame.blit(font.render("surtitles [%s]" % lang, True, (20, 20, 20)), (x, head_h - 14))
            frame.blit(surf, (x, head_h + 4))
            x += surf.get_width() + 10
        frame.blit(graph, (0, head_h + top_h + 20))
        self.last_summary = summary_line(snap)
        return frame

    def main(self):
        import pygame

        while True:
            if passed_shutdown_on(self):
                return
            frame = self.compose()
            if self.window is not None:
                screen = pygame.display.get_surface() or self.window
                sw, sh = screen.get_size()
                fw, fh = frame.get_size()
                scale = min(1.0, sw / float(fw), sh / float(fh))      # fit the window, keep the aspect
                if scale < 1.0:
                    frame = pygame.transform.smoothscale(frame, (int(fw * scale), int(fh * scale)))
                screen.fill((235, 235, 228))
                screen.blit(frame, (0, 0))
                pygame.display.flip()
                for ev in pygame.event.get():
                    if ev.type == pygame.QUIT or (ev.type == pygame.KEYDOWN and ev.key in (pygame.K_q, pygame.K_ESCAPE)):
                        self.send("quit", "outbox")             # linked to the director: end the show
            else:
                path = os.path.join(self.out_dir, "frame-%03d.png" % len(self.frames))
                pygame.image.save(frame, path)
                self.frames.append(path)
            wake = now() + 1.0 / self.fps
            while now() < wake and not self.dataReady("control"):
                self.pause(wake - now())
                yield 1
