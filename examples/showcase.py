"""The showcase: the multicast radio and the surtitles running together in one process, on
loopback, with the live component graph.

    python -m examples.showcase               # ~12 s, then a summary; files in ./out/showcase/
    python -m examples.showcase --seconds 30  # longer
    python -m examples.showcase --headless    # no window even if there is a display

What runs (one scheduler, everything on 127.0.0.1 / multicast on lo):
  * the radio (examples/radio): a server streams a short Ogg Vorbis piece (made with sox +
    oggenc) over reliable multicast; a listener tunes in, decodes with libvorbis and records
    what it hears (out/showcase/radio-heard.wav);
  * the surtitles (examples/surtitles): a cue player stepped every 1.5 s, a sync leader sending
    signed cue states over multicast, and two displays (English, French) following them;
  * an Introspector on 127.0.0.1 (watch it live: ``microaxon-top --port N``, N printed at start);
    the live graph as it was just before the end is written as DOT and Mermaid;
  * a compositor drawing the two displays, the radio status and the live graph: into a window
    when there is a display, otherwise into PNG frames (out/showcase/frame-NNN.png).
When the time is up every part is told to stop; the summary (also out/showcase/summary.txt)
says what was heard and shown and lists the components as they last ran.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List, Optional

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from examples.showcase_parts import Compositor, Part, radio_part, surtitles_part  # noqa: E402
from kamaelia_lite.introspector import Introspector  # noqa: E402
from microaxon import ComponentFailed, Scheduler, component, now, producerFinished, shutdownMicroprocess  # noqa: E402
from microaxon.introspect import format_table, graph_edges, rates, snapshot, summary_line, to_dot, to_mermaid  # noqa: E402
from microaxon.tools.top.graphview import headless  # noqa: E402


class Director(component):
    """Runs the show for ``seconds``, then stops every part; when they have finished (or after
    ``grace`` more seconds) it stops the helpers (compositor, recorder, introspector)."""

    seconds = 12.0
    grace = 6.0
    out_dir = None

    def __init__(self, parts: List[Part], helpers: List[component], **argd) -> None:
        super().__init__(**argd)
        self.parts = parts
        self.helpers = helpers
        self.stopped_cleanly = None

    def _tell(self, target: component, msg) -> None:
        box = self.addOutbox("to_%s" % target.name)
        lk = self.link((self, box), (target, "control"))
        if self.hasSpace(box) > 0:
            self.send(msg, box)
        self.unlink(thelinkage=lk)

    def main(self):
        end = now() + self.seconds
        self.at_work = []               # [(time, snapshot)] 1 s before the end and at the end
        for mark in (end - 1.0, end):
            while now() < mark and not self.dataReady("control"):
                self.pause(mark - now())
                yield 1
            self.at_work.append((now(), snapshot(self._sched)))
        watched = []
        for part in self.parts:
            for target in part.stop:
                if not target.finished():
                    self._tell(target, shutdownMicroprocess(self))
            watched += part.components
        deadline = now() + self.grace
        while now() < deadline and not all(c.finished() for c in watched):
            self.pause(0.1)
            yield 1
        self.stopped_cleanly = all(c.finished() for c in watched)
        if self.out_dir and self.at_work:
            with open(os.path.join(self.out_dir, "graph.dot"), "w", encoding="utf-8") as f:
                f.write(to_dot(self.at_work[-1][1], "showcase"))
            with open(os.path.join(self.out_dir, "graph.mmd"), "w", encoding="utf-8") as f:
                f.write(to_mermaid(self.at_work[-1][1]))
        for c in watched:
            if not c.finished():
                c.stop()
        for h in self.helpers:
            if not h.finished():
                self._tell(h, producerFinished(self))
        self.send(producerFinished(self), "signal")


def build(seconds: float, out_dir: str, windowed: bool, want=("radio", "surtitles")):
    os.makedirs(out_dir, exist_ok=True)
    sched = Scheduler()
    parts: Dict[str, object] = {}
    problems = []
    if "radio" in want:
        try:
            parts["radio"] = radio_part(out_dir, seconds=seconds * 2)   # the director ends it
        except Exception as e:  # a missing tool or library must not stop the rest of the show
            problems.append("radio not started: %s: %s" % (type(e).__name__, e))
            parts["_radio_error"] = str(e)
    if "surtitles" in want:
        try:
            parts["surtitles"] = surtitles_part(out_dir, seconds=seconds)
        except Exception as e:
            problems.append("surtitles not started: %s: %s" % (type(e).__name__, e))
    runnable = [p for k, p in parts.items() if isinstance(p, Part)]
    window = None
    if windowed:
        import pygame

        pygame.display.init()
        pygame.display.set_caption("microaxon showcase")
        window = pygame.display.set_mode((1280, 720))
    compositor = Compositor(parts=parts, out_dir=out_dir, window=window, fps=2.0)
    introspector = Introspector(interval=0.5)
    director = Director(runnable, [compositor, introspector], seconds=seconds, out_dir=out_dir)
    compositor.link((compositor, "outbox"), (director, "control"))     # window closed: end early
    for part in runnable:
        for c in part.components:
            c.activate(sched)
    for c in (compositor, introspector, director):
        c.activate(sched)
    return sched, {"parts": parts, "problems": problems, "compositor": compositor,
                   "introspector": introspector, "director": director}


def summary(sched, built) -> str:
    parts = built["parts"]
    lines = []
    radio = parts.get("radio")
    if isinstance(radio, Part):
        limit, rep = radio.info["limit"], radio.info["reporter"]
        heard = limit.frames / limit.fmt.rate if limit.fmt is not None else 0.0
        lines.append("radio: %s multicast on lo port %d: heard %.1f s of audio (%s), %d gap(s), %.2f s silence"
                     % (radio.info["transport"], radio.info["port"], heard, radio.info["wav"], rep.gaps,
                        rep.gap_seconds))
    sur = parts.get("surtitles")
    if isinstance(sur, Part):
        for lang, d in sur.info["displays"].items():
            frames = [f for f in d["shown"].collected if isinstance(f, dict)]
            cues = sorted({str(f.get("cue")) for f in frames if f.get("cue") is not None}, key=lambda s: (len(s), s))
            last = frames[-1].get("text") if frames else None
            lines.append("surtitles [%s]: %d frame(s), cues %s; last: %r" % (lang, len(frames), ", ".join(cues) or "-",
                                                                             last))
    for p in built["problems"]:
        lines.append(p)
    comp = built["compositor"]
    lines.append("frames: %d PNG(s) in %s; live graph just before the end: %s, %s" % (
        len(comp.frames), comp.out_dir, os.path.join(comp.out_dir, "graph.dot"), os.path.join(comp.out_dir, "graph.mmd")))
    lines.append("stopped cleanly: %s; failures: %d; deadlock: %s" % (
        built["director"].stopped_cleanly, len(sched.failures), bool(sched.deadlocked)))
    snaps = built["director"].at_work
    if len(snaps) == 2:
        (t0, s0), (t1, s1) = snaps
        lines += ["", "the running system just before the end: " + summary_line(s1)]
        lines += format_table(s1, rates(s0, s1, t1 - t0), width=120)
        lines.append("%d links between %d components" % (len(graph_edges(s1)), len(s1)))
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m examples.showcase", description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=12.0, help="how long the show runs (default 12)")
    p.add_argument("--out", default=os.path.join("out", "showcase"), help="output directory")
    p.add_argument("--headless", action="store_true", help="no window even if a display exists")
    p.add_argument("--window", action="store_true", help="use a window even if no display is detected")
    p.add_argument("--only", choices=["radio", "surtitles"], help="run just one part")
    args = p.parse_args(argv)
    windowed = args.window or (not args.headless and not headless())
    if not windowed:
        os.environ["SDL_VIDEODRIVER"] = os.environ.get("SDL_VIDEODRIVER") or "dummy"
    want = (args.only,) if args.only else ("radio", "surtitles")
    sched, built = build(args.seconds, args.out, windowed, want)
    print("microaxon showcase: %s for %.0f s, %s" % (
        " + ".join(k for k, v in built["parts"].items() if isinstance(v, Part)) or "nothing", args.seconds,
        "window" if windowed else "headless (frames -> %s)" % args.out))
    for problem in built["problems"]:
        print("  " + problem)
    print("watch it live: microaxon-top --port %d   (or --graph)" % built["introspector"].address[1], flush=True)
    try:
        sched.run()
    except KeyboardInterrupt:
        sched.stop()
    except ComponentFailed:
        pass                    # the run stopped; the summary below counts the failures
    text = summary(sched, built)
    with open(os.path.join(args.out, "summary.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0 if not sched.failures else 1


if __name__ == "__main__":
    sys.exit(main())
