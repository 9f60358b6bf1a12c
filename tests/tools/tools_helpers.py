"""Helpers for the tools/ports tests (not a test module): run real processes with timeouts and
clean environments, bundle apps, snapshot running systems, run a demo system with an Introspector."""
import sys
import threading

from common_helpers import ROOT, free_tcp_port, isolated_env, repo_env, run  # noqa: F401  (shared)

from examples.introspect_demo import build
from kamaelia_lite.introspector import Introspector
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, shutdownMicroprocess
from microaxon.introspect import snapshot

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
    """Waits ``seconds``, stores ``snapshot(scheduler)`` in ``.snapshot``, stops the scheduler."""

    seconds = 0.3

    def main(self):
        self.pause(self.seconds)
        yield 1
        while self.dataReady("control"):
            self.recv("control")
        self.snapshot = snapshot(self._sched)
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


class Trigger(component):
    """Sends shutdownMicroprocess on outbox when fire() is called from another thread."""

    def fire(self):
        self.send(shutdownMicroprocess(), "outbox")

    def main(self):
        while not self.dataReady("control"):
            self.pause()
            yield 1


class Running:
    """A demo system + Introspector running in a scheduler on a background thread."""

    def __init__(self, **intro_args):
        self.sched = Scheduler()
        self.sched.threadStarted()          # the test thread may inject work: not a deadlock
        build(period=0.01).activate(self.sched)
        args = {"interval": 0.05}
        args.update(intro_args)
        self.intro = Introspector(**args)
        self.trigger = Trigger()
        self.signals = Collector()
        self.trigger.link((self.trigger, "outbox"), (self.intro, "control"))
        self.intro.link((self.intro, "signal"), (self.signals, "inbox"))
        for c in (self.intro, self.trigger, self.signals):
            c.activate(self.sched)
        self.thread = threading.Thread(target=self.sched.run, daemon=True)
        self.thread.start()

    def address(self, timeout=5.0):
        ready = threading.Event()
        for _ in range(int(timeout / 0.01)):
            if self.intro.address is not None:
                return self.intro.address
            ready.wait(0.01)
        raise AssertionError("introspector never listened")

    def stop(self):
        self.sched.callFromThread(self.trigger.fire)
        self.sched.callFromThread(self.sched.stop)
        self.sched.callFromThread(self.sched.threadFinished)
        self.thread.join(10)
        assert not self.thread.is_alive()
