"""Helpers for the display tests (not a test module): a Driver component that sends commands
and reads frames, and a watchdog run."""
import threading

from microaxon import component, now


class Driver(component):
    """Runs ``plan(driver)``: the plan yields a number (sleep that many seconds) or a
    callable (wait until it returns true, checking every 5 ms, at most ``limit`` s).
    Extra outboxes can be named in ``outboxes`` so the plan can send to the tested parts."""

    Inboxes = {"inbox": "anything", "control": "unused"}
    Outboxes = {"outbox": "to the tested component", "signal": "shutdown", "commands": "commands",
                "pause": "pausebox", "unpause": "unpausebox"}
    limit = 5.0
    stop_scheduler_at_end = False    # work round stale timers of finished components

    def __init__(self, plan, **argd):
        super().__init__(**argd)
        self.plan = plan
        self.got = []
        self.timed_out = []

    def main(self):
        for step in self.plan(self):
            if callable(step):
                deadline = now() + self.limit
                while not step():
                    if now() > deadline:
                        self.timed_out.append(step)
                        raise AssertionError("condition not met within %.1f s" % self.limit)
                    self.pause(0.005)
                    yield 1
                    while self.dataReady("inbox"):
                        self.got.append(self.recv("inbox"))
            else:
                self.pause(step)
                yield 1
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
        if self.stop_scheduler_at_end:
            self._sched.callFromThread(self._sched.stop)


def run_with_watchdog(scheduler, seconds=15.0):
    """Run the scheduler; stop it (and fail) if it is still running after ``seconds``."""
    fired = []

    def stop():
        fired.append(True)
        scheduler.callFromThread(scheduler.stop)

    ensure_wake = getattr(scheduler, "_ensure_wake", None)   # so callFromThread can wake the poller
    if ensure_wake is not None:
        ensure_wake()
    t = threading.Timer(seconds, stop)
    t.start()
    try:
        scheduler.run()
    finally:
        t.cancel()
    assert not fired, "scheduler still running after %.0f s" % seconds
    assert not scheduler.failures, scheduler.failures
