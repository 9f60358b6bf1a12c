"""microaxon-top: look inside a running system served by an Introspector.

    microaxon-top --port 7878                  refreshing table (q or Ctrl-C quits)
    microaxon-top --port 7878 --once           print one table and exit
    microaxon-top --port 7878 --dot graph.dot  export the live graph (DOT; "-" for stdout)
    microaxon-top --port 7878 --mermaid -      ... or Mermaid
    microaxon-top --port 7878 --png g.png      one PNG of the graph (works headless)
    microaxon-top --port 7878 --graph          live pygame window; headless: PNG frames
                                               in --png-dir (default ./out/graph)

The table lists every component (indented under its parent), its state (running, paused, timer,
io, space), messages/s and steps/s (from the core's counters, when it provides them), messages
dropped on unlinked/lossy boxes, and the fill/capacity of each inbox.
"""
from __future__ import annotations

import argparse
import os
import select
import sys
import time
from typing import List, Optional

from microaxon.introspect import format_table, rates, summary_line, to_dot, to_mermaid

from .client import SnapshotClient

CLEAR = "\x1b[H\x1b[2J"


def _write_text(text: str, dest: str) -> None:
    if dest == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(dest, "w", encoding="utf-8") as f:
            f.write(text)


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 120


class _KeyReader:
    """Single key presses from a terminal (POSIX cbreak mode); inert when stdin is not a tty."""

    def __init__(self) -> None:
        self.saved = None
        if sys.stdin.isatty() and os.name == "posix":
            import termios
            import tty

            self.termios = termios
            self.saved = termios.tcgetattr(sys.stdin.fileno())
            tty.setcbreak(sys.stdin.fileno())

    def pressed(self, timeout: float) -> str:
        if self.saved is None:
            time.sleep(timeout)
            return ""
        r, _, _ = select.select([sys.stdin], [], [], timeout)
        return os.read(sys.stdin.fileno(), 16).decode(errors="replace") if r else ""

    def restore(self) -> None:
        if self.saved is not None:
            self.termios.tcsetattr(sys.stdin.fileno(), self.termios.TCSADRAIN, self.saved)


def run_table(client: SnapshotClient, refresh: float, iterations: Optional[int], once: bool,
              title: str) -> int:
    """The refreshing terminal view (or one table with ``once``)."""
    prev = None
    prev_t = None
    n = 0
    keys = _KeyReader() if not once else None
    try:
        while True:
            client.request()
            t, snap = client.latest()
            rate = rates(prev, snap, t - prev_t) if prev is not None and t is not None and prev_t is not None else {}
            width = _terminal_width()
            body = ["%s  t=%.1fs  %s" % (title, t or 0.0, summary_line(snap))[:width]]
            body.extend(format_table(snap, rate, width))
            if once:
                sys.stdout.write("\n".join(body) + "\n")
                return 0
            sys.stdout.write(CLEAR + "\n".join(body) + "\n\n(q quits)\n")
            sys.stdout.flush()
            prev, prev_t = snap, t
            n += 1
            if iterations is not None and n >= iterations:
                return 0
            if keys is not None and "q" in keys.pressed(refresh):
                return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if keys is not None:
            keys.restore()


def run_graph(client: SnapshotClient, refresh: float, frames: Optional[int], png_dir: str, title: str) -> int:
    """The live graph view: a pygame window, or numbered PNG frames when headless."""
    import pygame

    from .graphview import GraphRenderer, headless

    renderer = GraphRenderer()
    offscreen = headless()
    screen = None
    if offscreen:
        os.makedirs(png_dir, exist_ok=True)
    else:
        pygame.display.init()
        pygame.display.set_caption("microaxon graph - " + title)
    n = 0
    try:
        while frames is None or n < frames:
            client.request()
            _, snap = client.latest()
            surf = renderer.render(snap, title)
            if offscreen:
                path = os.path.join(png_dir, "graph-%04d.png" % n)
                pygame.image.save(surf, path)
                print(path)
            else:
                if screen is None or screen.get_size() != surf.get_size():
                    screen = pygame.display.set_mode(surf.get_size())
                screen.blit(surf, (0, 0))
                pygame.display.flip()
                for ev in pygame.event.get():
                    if ev.type == pygame.QUIT or (ev.type == pygame.KEYDOWN and ev.key in (pygame.K_q, pygame.K_ESCAPE)):
                        return 0
            n += 1
            time.sleep(refresh)
    except KeyboardInterrupt:
        return 0
    finally:
        if not offscreen:
            pygame.display.quit()
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="microaxon-top", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--host", default="127.0.0.1", help="introspector host (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="introspector port (default 7878)")
    p.add_argument("--refresh", type=float, default=1.0, help="seconds between refreshes (default 1)")
    p.add_argument("--iterations", type=int, default=None, help="stop after this many refreshes")
    p.add_argument("--once", action="store_true", help="print one table and exit")
    p.add_argument("--dot", metavar="FILE", help="write the graph as Graphviz DOT ('-': stdout) and exit")
    p.add_argument("--mermaid", metavar="FILE", help="write the graph as Mermaid ('-': stdout) and exit")
    p.add_argument("--png", metavar="FILE", help="render the graph to one PNG and exit")
    p.add_argument("--graph", action="store_true", help="live graph view (pygame window or PNG frames)")
    p.add_argument("--frames", type=int, default=None, help="graph view: stop after this many frames")
    p.add_argument("--png-dir", default=os.path.join("out", "graph"), help="graph view, headless: frame directory")
    p.add_argument("--timeout", type=float, default=5.0, help="socket timeout in seconds")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    title = "%s:%d" % (args.host, args.port)
    try:
        client = SnapshotClient(args.host, args.port, timeout=args.timeout)
    except OSError as e:
        print("microaxon-top: cannot connect to an introspector at %s: %s" % (title, e), file=sys.stderr)
        return 1
    try:
        if args.dot or args.mermaid or args.png:
            client.request()
            _, snap = client.latest()
            if args.dot:
                _write_text(to_dot(snap, title), args.dot)
            if args.mermaid:
                _write_text(to_mermaid(snap), args.mermaid)
            if args.png:
                from .graphview import save_png

                save_png(snap, args.png, title)
            return 0
        if args.graph:
            return run_graph(client, args.refresh, args.frames, args.png_dir, title)
        return run_table(client, args.refresh, args.iterations, args.once, title)
    except (ConnectionError, OSError, ValueError) as e:
        print("microaxon-top: %s: %s" % (title, e), file=sys.stderr)
        return 1
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
