"""waitSpace(box, taken=True): the next pause ends when the receiver takes a message, even while
its box has room (plain waitSpace wakes at once then). A sender holding back for a reason of its
own, such as a byte budget, sleeps instead of turning."""
import pytest

from microaxon import BoxNotFound, Scheduler, component


class Holder(component):
    """Sends one message, then waits (taken=True) for the receiver to take it; counts its steps."""

    def main(self):
        self.send("hello", "outbox")
        self.waitSpace("outbox", taken=True)
        self.pause()
        yield 1
        self.woke_with = len(self._dest["outbox"].q)
        yield 1


class SlowTaker(component):
    """Takes its one message only after 20 other steps of its own."""

    def main(self):
        for _ in range(20):
            yield 1
        self.got = self.recv("inbox")
        self.pause()
        yield 1


def test_a_taken_wait_sleeps_while_the_box_has_room_and_wakes_at_the_take():
    s = Scheduler()
    h, t = Holder(), SlowTaker()
    h.link((h, "outbox"), (t, "inbox"))
    h.activate(s)
    t.activate(s)
    s.run()
    assert t.got == "hello"
    assert h._steps == 3                 # sent and slept; woken once, by the take; finished
    assert h.woke_with == 0              # (the box was empty again when it woke)


def test_a_plain_room_wait_still_wakes_at_once_while_there_is_room():
    s = Scheduler()

    class Asker(Holder):
        def main(self):
            self.send("hello", "outbox")
            self.waitSpace("outbox")
            self.pause()
            yield 1
            self.woke_with = len(self._dest["outbox"].q)

    h, t = Asker(), SlowTaker()
    h.link((h, "outbox"), (t, "inbox"))
    h.activate(s)
    t.activate(s)
    s.run()
    assert h.woke_with == 1              # woken before the taker took it: there was room


class WaitsOnUnlinked(component):
    """Waits for room on its unlinked outbox, then pauses: the wait must end the pause at once."""
    steps_after = 0

    def main(self):
        self.waitSpace("outbox")
        self.pause()
        yield 1
        self.steps_after += 1


def test_waiting_for_room_on_an_unlinked_outbox_ends_the_pause_at_once():
    s = Scheduler()
    c = WaitsOnUnlinked().activate(s)
    s.run()                              # (before: it slept for good and the run was a deadlock)
    assert c.steps_after == 1 and c.failure is None


def test_waiting_for_room_on_an_outbox_that_does_not_exist_is_a_box_not_found_error():
    with pytest.raises(BoxNotFound, match="nosuch"):
        component().waitSpace("nosuch")


class Filler(component):
    """Fills its outbox's box, waits for room, and counts the messages it got out."""
    sent = 0

    def main(self):
        while self.sent < 5:
            if self.hasSpace("outbox") > 0:
                self.send(self.sent, "outbox")
                self.sent += 1
            else:
                self.waitSpace("outbox")
                self.pause()
            yield 1


class Stuck(component):
    """Takes nothing, ever; after a few steps moves its sender over to the taker, then waits for
    the taker to say it is done."""
    Capacities = {"inbox": 1}

    def main(self):
        for _ in range(3):
            yield 1
        self.unlink(thelinkage=self.incoming)       # (the filler's link to me)
        self.filler.link((self.filler, "outbox"), (self.taker, "inbox"))
        while not self.dataReady("control"):
            self.pause()
            yield 1


class Taker(component):
    """Takes four messages, then tells the stuck one (on its signal outbox)."""

    def main(self):
        self.got = []
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if len(self.got) == 4:
                break
            self.pause()
            yield 1
        self.send("done", "signal")


def test_a_sender_waiting_for_room_looks_again_when_its_outbox_is_relinked():
    s = Scheduler()
    f, stuck, taker = Filler(), Stuck(), Taker()
    stuck.filler, stuck.taker = f, taker
    stuck.incoming = f.link((f, "outbox"), (stuck, "inbox"))
    taker.link((taker, "signal"), (stuck, "control"))
    for c in (f, stuck, taker):
        c.activate(s)
    s.run()                               # (the filler slept for good on the stuck box: a
    assert s.deadlocked is None           # deadlock)
    assert f.sent == 5 and taker.got == [1, 2, 3, 4]
