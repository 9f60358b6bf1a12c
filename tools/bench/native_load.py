"""The native echo load generator: build it (once, with the system C compiler) and run it.

The anchor's load generator (tools/bench/anchors/echo_load.py) is an asyncio program; on a
two-core machine it needs as much CPU per request as the servers it measures, so every server
looks alike. ``native/echo_load.c`` runs the same workload (C clients, M 64-byte lines each,
every echo checked byte for byte, "REQ_PER_S P99_MS" out) for a few microseconds per request,
so the server sets the pace. Linux only (epoll).

    python -m tools.bench.native_load 127.0.0.1 1601 100 200     # builds if needed, then runs
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from typing import Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "native", "echo_load.c")
CACHE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "build", "native")


class BuildError(RuntimeError):
    """No C compiler, or the source did not compile (the message says which)."""


def build(cache_dir: str = CACHE) -> str:
    """Return the path of the compiled load generator, compiling it first if the source changed.

    Raises BuildError if no C compiler is found or compiling fails."""
    with open(SOURCE, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    exe = os.path.join(cache_dir, "echo_load-" + digest)
    if os.path.exists(exe):
        return exe
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        raise BuildError("no C compiler (cc, gcc or clang) on PATH: install one, or use --loadgen anchor")
    os.makedirs(cache_dir, exist_ok=True)
    tmp = exe + ".tmp%d" % os.getpid()
    out = subprocess.run([cc, "-O2", "-o", tmp, SOURCE], capture_output=True, text=True)
    if out.returncode != 0:
        raise BuildError("compiling %s failed:\n%s" % (SOURCE, out.stderr.strip()))
    os.replace(tmp, exe)
    return exe


def pinned(cpu: Optional[int]):
    """A preexec_fn that pins the child to one CPU (None: no pinning)."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return None

    def pin() -> None:
        os.sched_setaffinity(0, {cpu})
    return pin


def run(port: int, clients: int, requests: int, timeout: float = 60.0, cpu: Optional[int] = None,
        host: str = "127.0.0.1", size: int = 64) -> Tuple[Optional[Tuple[float, float]], str]:
    """Run one load: ``((req/s, p99_ms), "")`` on success, ``(None, why)`` on failure."""
    exe = build()
    try:
        out = subprocess.run([exe, host, str(port), str(clients), str(requests), str(size)],
                             capture_output=True, text=True, timeout=timeout, preexec_fn=pinned(cpu))
    except subprocess.TimeoutExpired:
        return None, "took over %g s" % timeout
    if out.returncode != 0:
        return None, out.stderr.strip() or "exit status %d" % out.returncode
    rps, p99 = out.stdout.split()
    return (float(rps), float(p99)), ""


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 4:
        print("usage: python -m tools.bench.native_load HOST PORT CLIENTS REQUESTS [SIZE]", file=sys.stderr)
        return 2
    exe = build()
    return subprocess.call([exe] + argv)


if __name__ == "__main__":
    sys.exit(main())
