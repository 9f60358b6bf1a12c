"""A component that pauses with a long timeout and is woken early by every message must not pile
one stale timer per pause in the scheduler (memory would grow with the message rate times the
timeout: a 64 KiB device dies, a server slows down sweeping them all when they fall due)."""
from microaxon import Scheduler, component, producerFinished


class Watchdog(component):
    """Waits up to 60 s for each message (a heartbeat watchdog); counts them."""
    seen = 0

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.recv("inbox")
                self.seen += 1
            if self.dataReady("control"):
                return
            self.pause(60)
            yield 1


class Beats(component):
    largest = 0

    def main(self):
        for _ in range(20000):
            self.send("beat", "outbox")
            Beats.largest = max(Beats.largest, len(self._sched._timers))
            yield 1
        self.send(producerFinished(self), "signal")


def test_timer_entries_of_pauses_ended_early_are_swept():
    s = Scheduler()
    w, b = Watchdog(), Beats()
    b.link((b, "outbox"), (w, "inbox"))
    b.link((b, "signal"), (w, "control"))
    w.activate(s)
    b.activate(s)
    s.run()
    assert w.seen == 20000
    assert Beats.largest <= 2 * 2 + 17, Beats.largest     # not one entry per pause
