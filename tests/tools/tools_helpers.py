"""Helpers for the tools/ports tests (not a test module): run real processes with timeouts and
clean environments, bundle apps, snapshot running systems."""
import sys

from common_helpers import ROOT, free_tcp_port, isolated_env, repo_env, run  # noqa: F401  (shared)

from microaxon import Scheduler, component

MICROPYTHON = "micropython"


def run_bundled_cpython(out_dir, app, timeout=60):
    """Run OUT/APP.py with CPython as a stranger would: cwd=OUT, no site-packages (-S: the
    checkout may be pip-installed in editable mode), no PYTHON* variables (-E)."""
    return run([sys.executable, "-S", "-E", app], cwd=out_dir, env=isolated_env(), timeout=timeout)


def run_bundled_micropython(out_dir, app, heap="64k", timeout=60):
    """Run OUT/APP.py under the real micropython binary with a capped heap, cwd=OUT."""
    return run([MICROPYTHON, "-X", "heapsize=" + heap, app], cwd=out_dir, env=isolated_env(), timeout=timeout)


def bundle(app, out, *options):
    """python -m microaxon.tools.bundle APP -o OUT [options] (the real command line); returns the process."""
    return run([sys.executable, "-m", "microaxon.tools.bundle", app, "-o", str(out)] + list(options),
               cwd=ROOT, env=repo_env(), timeout=120)




class SnapshotAfter(component):
    """Waits ``seconds``, stores ``scheduler.snapshot()`` in ``.snapshot``, stops the scheduler."""

    seconds = 0.3

    def main(self):
        self.pause(self.seconds)
        yield 1
        while self.dataReady("control"):
            self.recv("control")
        self.snapshot = self._sched.snapshot()
        self._sched.stop()
        yield 1


def snapshot_of(system, seconds=0.3, extra=()):
    """Run ``system`` (and ``extra`` components) in a fresh scheduler for ``seconds``; the snapshot."""
    sched = Scheduler()
    system.activate(sched)
    for c in extra:
        c.activate(sched)
    taker = SnapshotAfter(seconds=seconds).activate(sched)
    sched.run()
    return taker.snapshot
