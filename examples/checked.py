"""Running an example so that a failure reaches the user and the exit status.

``run_checked(component, who)`` runs a component (and everything it starts) on a scheduler; the
first component that fails ends the run with one ``error: WHO: NAME failed (...)`` line on
stderr (the scheduler also prints the traceback), and the exit status is 1. An example never
finishes with status 0 after a failure.
"""
import sys

from microaxon import Scheduler


def run_checked(comp, who, sched=None):
    """Run ``comp`` until it ends; returns 0, or 1 after a component failed (or Ctrl-C)."""
    sched = sched or Scheduler()
    failed = []

    def on_failure(name, exc):
        failed.append(name)
        sys.stderr.write("error: %s: %s failed (%s: %s); stopping\n" % (who, name, type(exc).__name__, exc))
        sys.stderr.flush()
        sched.stop()
    sched.onFailure = on_failure
    if comp is not None:
        comp.activate(sched)
    try:
        sched.run()
    except KeyboardInterrupt:
        return 1
    return 1 if failed or sched.failures else 0


def start_or_exit(make, who):
    """``make()``, or exit with one ``error:`` line when it cannot start (a port in use, an
    address that is not ours, a file that is not there)."""
    try:
        return make()
    except OSError as exc:
        sys.exit("error: %s: %s" % (who, exc))
