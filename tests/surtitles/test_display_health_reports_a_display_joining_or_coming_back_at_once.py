"""A display that joins, or comes back after going silent, is in the operator's health report
after the short gathering delay, not only when the next live display is due to go silent (found
by the show rehearsal: a restarted operator said "1 live" and only seconds later counted the
displays that had answered meanwhile)."""
from kamaelia_lite.surtitles.sync import DisplayHealth, encode_heartbeat, make_authenticator
from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent
from microaxon import Scheduler, component, now, shutdownMicroprocess

KEY = b"joining-key"


def test_a_heartbeat_says_whether_the_live_displays_changed():
    h = DisplayHealth(silent_after=3.0)
    assert h.heartbeat({"d": "stalls", "l": ["en"]}, 0.0) == h.CHANGED          # new
    assert h.heartbeat({"d": "stalls", "l": ["en"]}, 1.0) == h.SAME             # still live
    assert h.heartbeat({"d": "stalls", "l": ["en", "fr"]}, 2.0) == h.CHANGED    # other languages
    assert h.heartbeat({"d": "stalls", "l": ["en", "fr"]}, 9.0) == h.CHANGED    # back from silence
    assert not h.heartbeat({"d": "", "l": []}, 9.0)                              # not a heartbeat


class Displays(component):
    """Sends display "a"'s heartbeat, waits for the report counting it, then display "b"'s, and
    records how long the report counting "b" took (None: not within ``deadline``)."""

    Inboxes = {"inbox": "health reports", "control": "unused"}
    Outboxes = {"outbox": "heartbeats", "signal": "shutdown", "stop": "to the leader"}
    took = None

    def __init__(self, deadline, **argd):
        super().__init__(**argd)
        self.deadline = deadline
        self.auth = make_authenticator(KEY)

    def wait_report(self, live):
        end = now() + self.deadline
        while now() < end:
            while self.dataReady("inbox"):
                if self.recv("inbox")["live"] == live:
                    return True
            self.pause(end - now())
            yield 1
        return False

    def main(self):
        self.send(encode_heartbeat(self.auth, "a", ["en"], 1, 1), "outbox")
        if (yield from self.wait_report(1)):
            sent = now()
            self.send(encode_heartbeat(self.auth, "b", ["fr"], 1, 1), "outbox")
            if (yield from self.wait_report(2)):
                self.took = now() - sent
        self.send(shutdownMicroprocess(self), "stop")


def test_the_leader_reports_a_new_display_long_before_anyone_could_go_silent():
    sched = Scheduler()
    leader = SyncLeaderComponent(key=KEY, silent_after=30.0, snapshot_period=5.0)
    displays = Displays(deadline=5.0)
    displays.link((displays, "outbox"), (leader, "heard"))
    displays.link((leader, "health"), (displays, "inbox"))
    displays.link((displays, "stop"), (leader, "control"))
    for c in (leader, displays):
        c.activate(scheduler=sched)
    sched.run()
    assert displays.took is not None, "display b was not counted within 5 s (silent_after is 30 s)"
