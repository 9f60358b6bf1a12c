"""Cue-to-screen latency: operator key -> frame presented on 20 follower displays (loopback).

    python3 tools/bench/cue_latency_bench.py [--followers 20] [--actions 120] [--interval 0.05]

The leader runs in this process (CuePlayer -> SyncLeaderComponent -> MulticastSender on lo, in a
microaxon scheduler). A driver component issues an operator command ("next"/"prev" alternately)
every ``interval`` seconds and notes the time; each follower is a separate process running the
surtitles display example (multicast receiver -> sync follower -> SubtitleDisplay drawing into a
headless 800x200 pygame canvas, 40 px text), printing the monotonic time after each frame is presented. Latency =
frame time - key time (CLOCK_MONOTONIC is shared by the processes of one machine).

Baseline, measured in the same run: the same fan-out with no framework at all — this process
sends a raw UDP multicast datagram every ``interval`` and 20 minimal Python receiver processes
(blocking recvfrom, print the time) report when they got it. Printed: p50/p99 for both and the
ratios ours/baseline; the target is p99 < 50 ms.
"""
import argparse
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from kamaelia_lite.chassis import Pipeline  # noqa: E402
from kamaelia_lite.net.multicast import MulticastSender  # noqa: E402
from kamaelia_lite.surtitles.cues import load_cue_list  # noqa: E402
from kamaelia_lite.surtitles.cues_components import CuePlayer  # noqa: E402
from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent  # noqa: E402
from microaxon import Scheduler, component, now, producerFinished  # noqa: E402

ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", PYGAME_HIDE_SUPPORT_PROMPT="1",
           PYTHONPATH=ROOT, PYTHONUNBUFFERED="1")

RAW_RECEIVER = r"""
import socket, struct, sys, time
group, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((group, port))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton("127.0.0.1"))
print("READY", flush=True)
while True:
    d, _ = s.recvfrom(2048)
    t = time.monotonic()
    if d == b"END":
        break
    print("GOT %.6f %s" % (t, d.decode()), flush=True)
"""


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def spawn(args):
    p = subprocess.Popen([sys.executable] + args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.set_blocking(p.stdout.fileno(), False)
    return p


class Lines(component):
    """Reads the followers' stdout (waitReadable on each pipe), handing each line to ``on_line``."""

    def __init__(self, procs, on_line, **argd):
        super().__init__(**argd)
        self.procs = procs
        self.on_line = on_line
        self.bufs = [b""] * len(procs)

    def main(self):
        while not self.dataReady("control"):
            for i, p in enumerate(self.procs):
                try:
                    data = os.read(p.stdout.fileno(), 65536)
                except BlockingIOError:
                    data = b""
                if data:
                    buf = self.bufs[i] + data
                    *lines, self.bufs[i] = buf.split(b"\n")
                    for ln in lines:
                        self.on_line(i, ln.decode())
                self.waitReadable(p.stdout)
            self.pause()
            yield 1
        self.recv("control")


class Driver(component):
    """Waits until every follower shows the standby state, then sends ``actions`` operator
    commands ``interval`` s apart, noting when each was sent (version k = action k)."""

    def __init__(self, ready, actions, interval, **argd):
        super().__init__(**argd)
        self.ready = ready
        self.actions = actions
        self.interval = interval
        self.sent_at = {}

    def main(self):
        while not self.ready():
            self.pause(0.05)
            yield 1
        self.send("next", "outbox")          # version 1 (not timed: a warm-up)
        self.pause(0.3)
        yield 1
        nxt = now()
        for k in range(self.actions):
            self.sent_at[k + 2] = now()
            self.send("prev" if k % 2 == 0 else "next", "outbox")
            nxt += self.interval
            while now() < nxt:
                self.pause(nxt - now())
                yield 1
        self.pause(0.5)                      # let the last frames arrive
        yield 1
        self.send(producerFinished(self), "signal")


def measure_microaxon(n, actions, interval, group, port, font=None):
    key = "bench-%d" % random.randrange(1 << 30)
    transport = ["--multicast", "%s:%d" % (group, port), "--interface", "127.0.0.1"]
    font_args = ["--font", font] if font else []
    procs = [spawn(["-m", "examples.surtitles.display", "--key", key, "--headless", "--print",
                    "--size", "800x200", "--font-size", "40", "--language", "en"] + font_args + transport)
             for _ in range(n)]
    frames = [[] for _ in range(n)]     # per follower: [(version, time shown)] in order
    standby = set()

    def on_line(i, line):
        if line.startswith("SHOW "):
            _, t, js = line.split(" ", 2)
            v = json.loads(js).get("version")
            if v == 0:
                standby.add(i)
            if v is not None:
                frames[i].append((v, float(t)))

    sched = Scheduler()
    player = CuePlayer(load_cue_list(os.path.join(ROOT, "examples/surtitles/show.cues")))
    leader = SyncLeaderComponent(key=key)
    sender = MulticastSender(group, port, "127.0.0.1")
    driver = Driver(lambda: len(standby) == n, actions, interval)
    lines = Lines(procs, on_line)
    pipe = Pipeline(driver, player, leader, sender)
    pipe.link((pipe, "signal"), (lines, "control"))
    pipe.activate(scheduler=sched)
    lines.activate(scheduler=sched)
    try:
        sched.run()
    finally:
        for p in procs:
            p.kill()
            p.wait()
    # the latency of action v at a follower: until its first frame showing v or a later version
    # (a display that is behind draws only the newest state it has: frames may be skipped)
    lat = []
    missing = 0
    skipped = 0
    for v, t0 in driver.sent_at.items():
        for i in range(n):
            t = next((tf for vf, tf in frames[i] if vf >= v), None)
            if t is None:
                missing += 1
                continue
            if not any(vf == v for vf, _ in frames[i]):
                skipped += 1
            lat.append(t - t0)
    return lat, missing, skipped


def measure_raw_udp(n, actions, interval, group, port):
    procs = [spawn(["-c", RAW_RECEIVER, group, str(port)]) for _ in range(n)]
    got = {}
    try:
        for p in procs:
            os.set_blocking(p.stdout.fileno(), True)
            assert p.stdout.readline().strip() == b"READY"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, struct.pack("B", 1))
        sent = {}
        for k in range(actions):
            sent[k] = time.monotonic()
            s.sendto(str(k).encode(), (group, port))
            time.sleep(interval)
        for _ in range(3):
            s.sendto(b"END", (group, port))
        s.close()
        for i, p in enumerate(procs):
            out, _ = p.communicate(timeout=10)
            for ln in out.decode().splitlines():
                if ln.startswith("GOT "):
                    _, t, k = ln.split()
                    got[(i, int(k))] = float(t)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    lat = [got[(i, k)] - sent[k] for k in sent for i in range(n) if (i, k) in got]
    return lat, n * actions - len(lat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--followers", type=int, default=20)
    ap.add_argument("--actions", type=int, default=120)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--font", default=None, help='display font: pygame\'s default, or "bitmap" (5x8, drawn in Python)')
    a = ap.parse_args()
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    runs = []
    for _ in range(a.repeats):
        port = 20000 + random.randrange(20000)
        base, base_missing = measure_raw_udp(a.followers, a.actions, a.interval, group, port)
        ours, missing, skipped = measure_microaxon(a.followers, a.actions, a.interval, group, port + 1, a.font)
        b50, b99 = percentile(base, 50) * 1000, percentile(base, 99) * 1000
        o50, o99 = percentile(ours, 50) * 1000, percentile(ours, 99) * 1000
        runs.append((b50, b99, o50, o99))
        print("raw-udp-multicast-fanout followers=%d samples=%d lost=%d p50_ms=%.3f p99_ms=%.3f"
              % (a.followers, len(base), base_missing, b50, b99))
        print("microaxon-cue-to-screen followers=%d font=%s samples=%d missing=%d frames_skipped=%d "
              "p50_ms=%.3f p99_ms=%.3f" % (a.followers, a.font or "pygame-default", len(ours), missing,
                                           skipped, o50, o99))
        print("ratio p50 %.2fx  p99 %.2fx  (microaxon / raw UDP, same run)  target p99 < 50 ms: %s"
              % (o50 / b50 if b50 else float("nan"), o99 / b99 if b99 else float("nan"),
                 "met" if o99 < 50 else "NOT met"))
    if len(runs) > 1:
        med = [percentile([r[k] for r in runs], 50) for k in range(4)]
        print("median of %d runs: raw p50 %.3f p99 %.3f ms; microaxon p50 %.3f p99 %.3f ms; ratio p50 %.2fx p99 %.2fx"
              % (len(runs), med[0], med[1], med[2], med[3], med[2] / med[0], med[3] / med[1]))


if __name__ == "__main__":
    main()
