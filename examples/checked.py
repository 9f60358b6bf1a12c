"""Running an example so that a failure reaches the user and the exit status.

``run_checked(component, who)`` runs a component (and everything it starts) on a scheduler. A
component that fails with nobody watching it stops the run (the scheduler prints its traceback
and raises ``ComponentFailed``): this prints one ``error: WHO: NAME failed (...)`` line per failed
component on stderr, and the exit status is 1. A failure a parent handles (a server's protocol,
a supervised child) is reported on stderr and the example goes on. An example never finishes
with status 0 after a failure nobody handled.
"""
import sys

from microaxon import ComponentFailed, Scheduler


def run_checked(comp, who, sched=None):
    """Run ``comp`` until it ends; returns 0, or 1 after a failure nobody handled (or Ctrl-C)."""
    sched = sched or Scheduler()
    if comp is not None:
        comp.activate(sched)
    try:
        sched.run()
    except KeyboardInterrupt:
        return 1
    except ComponentFailed as e:
        for name, exc, _ in e.failures:
            sys.stderr.write("error: %s: %s failed (%s: %s); stopped\n" % (who, name, type(exc).__name__, exc))
        sys.stderr.flush()
        return 1
    return 0


def start_or_exit(make, who):
    """``make()``, or exit with one ``error:`` line when it cannot start (a port in use, an
    address that is not ours, a file that is not there)."""
    try:
        return make()
    except OSError as exc:
        sys.exit("error: %s: %s" % (who, exc))
