"""waitSpace(box, taken=True): the next pause ends when the receiver takes a message, even while
its box has room (plain waitSpace wakes at once then). A sender holding back for a reason of its
own, such as a byte budget, sleeps instead of turning."""
from microaxon import Scheduler, component


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
