"""Teleprompter frame time: ms per frame (p50/p99) while scrolling, 60 fps target.

1. CPython + pygame (SDL dummy driver), 800x600, font 48: our Teleprompter (advance + render +
   present through the canvas) against a baseline measured in the same run — the plain pygame
   loop a naive prompter would write (render every visible line with the font each frame, blit,
   flip-copy) — printed as a ratio, and as a share of the 16.7 ms frame budget.
2. MicroPython (the real ``micropython`` binary, if on PATH): the same Teleprompter on the
   framebuf canvas, 240x135 RGB565 (a handheld TFT) and 128x64 mono (an OLED).

Usage: python3 tools/bench/ui_bench.py [--frames N]
Lines: ``NAME p50_ms p99_ms`` then ratios. Machines are noisy: compare ratios from one run.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

SCRIPT_WORDS = ("the quick brown fox jumps over the lazy dog and keeps on reading the news "
                "to the camera while the autocue scrolls smoothly past the reading line ").split()


def script_text(paragraphs=60):
    out = []
    for p in range(paragraphs):
        if p % 10 == 0:
            out.append("# Part %d" % (p // 10 + 1))
        out.append(" ".join(SCRIPT_WORDS[(p * 7 + i) % len(SCRIPT_WORDS)] for i in range(45)))
    return "\n\n".join(out)


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def bench_teleprompter(frames):
    import pygame

    from kamaelia_lite.displays.teleprompter import Teleprompter
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    pygame.display.init()
    screen = pygame.display.set_mode((800, 600))
    canvas = PygameCanvas(screen.copy(), on_present=None)
    canvas.target = screen
    canvas.on_present = pygame.display.flip
    tp = Teleprompter(script=script_text(), canvas=canvas, font_size=48, speed=6, playing=True,
                      at_end="loop")
    tp.canvas = canvas
    tp.relayout()
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        tp.advance(1 / 60)
        tp.render()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def bench_naive(frames):
    import pygame
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((800, 600))
    font = pygame.font.Font(None, 48)
    words = script_text().split()
    lines = []
    line = []
    for w in words:
        if line and font.size(" ".join(line + [w]))[0] > 720:
            lines.append(" ".join(line))
            line = []
        line.append(w)
    lines.append(" ".join(line))
    step = font.get_linesize() + 8
    pos = 0.0
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        pos = (pos + 1.0 / 60) % len(lines)
        screen.fill((0, 0, 0))
        first = int(pos) - 4
        for i in range(max(0, first), min(len(lines), first + 14)):
            y = int(200 + (i - pos) * step)
            screen.blit(font.render(lines[i], True, (255, 255, 255)), (40, y))
        pygame.display.flip()
        times.append((time.perf_counter() - t0) * 1000)
    return times


MICROPYTHON_BENCH = r"""
import sys, time
sys.path.insert(0, %(root)r)
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas
from kamaelia_lite.displays.teleprompter import Teleprompter
text = %(text)r
def run(w, h, mono, size, frames):
    c = FramebufCanvas(w, h, mono=mono)
    tp = Teleprompter(script=text, canvas=c, font_size=size, speed=6, playing=True, at_end="loop",
                      show_status=False)
    tp.canvas = c
    tp.relayout()
    ts = []
    for i in range(frames):
        t0 = time.ticks_us()
        tp.advance(1 / 60)
        tp.render()
        ts.append(time.ticks_diff(time.ticks_us(), t0) / 1000)
    ts.sort()
    return ts[len(ts) // 2], ts[min(len(ts) - 1, int(0.99 * len(ts)))]
for name, w, h, mono, size in (("framebuf-rgb565-240x135", 240, 135, False, 16),
                               ("framebuf-mono-128x64", 128, 64, True, 8)):
    p50, p99 = run(w, h, mono, size, %(frames)d)
    print("%%s %%.3f %%.3f" %% (name, p50, p99))
"""


def bench_micropython(frames):
    code = MICROPYTHON_BENCH % {"root": ROOT, "text": script_text(12), "frames": frames}
    try:
        r = subprocess.run(["micropython", "-c", code], capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        return None, "micropython not on PATH"
    if r.returncode != 0:
        return None, r.stderr.strip()
    return r.stdout.strip(), None


def main():
    frames = 600
    if "--frames" in sys.argv:
        frames = int(sys.argv[sys.argv.index("--frames") + 1])
    ours, naive = [], []
    for _ in range(3):                         # interleave, take all samples
        naive += bench_naive(frames // 3)
        ours += bench_teleprompter(frames // 3)
    o50, o99 = percentile(ours, 0.5), percentile(ours, 0.99)
    n50, n99 = percentile(naive, 0.5), percentile(naive, 0.99)
    print("teleprompter-pygame-800x600 %.3f %.3f" % (o50, o99))
    print("baseline-naive-pygame-800x600 %.3f %.3f" % (n50, n99))
    print("ratio teleprompter/baseline p50 %.2f p99 %.2f" % (o50 / n50, o99 / n99))
    print("budget share at 60 fps p50 %.1f%% p99 %.1f%%" % (100 * o50 / (1000 / 60), 100 * o99 / (1000 / 60)))
    out, err = bench_micropython(max(60, frames // 5))
    if out:
        print(out)
        for line in out.splitlines():
            name, p50, p99 = line.split()
            print("budget share at 60 fps %s p50 %.1f%% p99 %.1f%%"
                  % (name, 100 * float(p50) / (1000 / 60), 100 * float(p99) / (1000 / 60)))
    else:
        print("micropython: skipped (%s)" % err)


if __name__ == "__main__":
    main()
