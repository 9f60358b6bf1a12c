"""PAR and Graphline pass what arrives on their control inbox to their children, and end with
shutdownMicroprocess when told to stop, producerFinished otherwise.

- A shutdownMicroprocess that arrives in the same pass as the last child ends is still heard.
- Forwarding respects each child's control box: a child that reads its control late gets every
  message, in order, however many arrive; the container neither fails with BoxFull nor drops one.
"""
import io

import pytest

from kamaelia_lite.chassis import PAR, Graphline
from microaxon import CONTROL_CAPACITY, Scheduler, component, now, producerFinished, shutdownMicroprocess


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def par_of(child):
    return PAR(child)


def graphline_of(child):
    return Graphline(ONLY=child, linkages={})


CONTAINERS = [par_of, graphline_of]


class Hears(component):
    """Keeps the one message the container signals when it ends (in .said), then ends."""

    said = None

    def main(self):
        while not self.dataReady("inbox"):
            self.pause()
            yield 1
        self.said = self.recv("inbox")


class StopsItsContainerAndEnds(component):
    """In its one step: tells the container (through "tell", linked to its control) to stop,
    then ends. The container wakes with both at once."""

    Outboxes = {"outbox": "-", "signal": "-", "tell": "to the container's control"}

    def main(self):
        self.send(shutdownMicroprocess(self), "tell")
        return
        yield


@pytest.mark.parametrize("make", CONTAINERS, ids=["PAR", "Graphline"])
def test_a_shutdown_arriving_as_the_last_child_ends_is_heard(make):
    s = quiet()
    child = StopsItsContainerAndEnds()
    box = make(child)
    child.link((child, "tell"), (box, "control"))
    said = Hears()
    box.link((box, "signal"), (said, "inbox"))
    box.activate(s)
    said.activate(s)
    s.run()
    assert box.finished() and s.failures == []
    assert isinstance(said.said, shutdownMicroprocess)


class ReadsControlLate(component):
    """Takes nothing from its control inbox for its first 0.1 s (whatever arrives meanwhile);
    then takes every control message, in order, until a shutdownMicroprocess."""

    def main(self):
        self.got = []
        until = now() + 0.1
        while now() < until:
            self.pause(until - now())
            yield 1
        while True:
            while self.dataReady("control"):
                m = self.recv("control")
                self.got.append(m)
                if isinstance(m, shutdownMicroprocess):
                    return
            self.pause()
            yield 1


class Tells(component):
    """Sends `messages` on "signal" (linked to the container's control), waiting for room when
    the box is full."""

    def __init__(self, messages, **argd):
        super().__init__(**argd)
        self.messages = messages
        self.waited = 0

    def main(self):
        for m in self.messages:
            while self.hasSpace("signal") <= 0:
                self.waited += 1
                self.waitSpace("signal")
                self.pause()
                yield 1
            self.send(m, "signal")
        yield 1


def told(make, child, messages):
    """Runs the container `make(child)` while a Tells sends `messages` to its control; returns
    (scheduler, container, teller, what the container signalled)."""
    s = quiet()
    box = make(child)
    teller = Tells(messages)
    teller.link((teller, "signal"), (box, "control"))
    said = Hears()
    box.link((box, "signal"), (said, "inbox"))
    for c in (box, teller, said):
        c.activate(s)
    s.run()
    return s, box, teller, said


@pytest.mark.parametrize("make", CONTAINERS, ids=["PAR", "Graphline"])
def test_a_child_that_reads_its_control_late_gets_every_message_in_order(make):
    child = ReadsControlLate()
    messages = ["note %d" % i for i in range(3 * CONTROL_CAPACITY)] + [shutdownMicroprocess()]
    s, box, teller, said = told(make, child, messages)
    assert s.failures == [] and s.deadlocked is None
    assert child.got == messages
    assert teller.waited > 0             # (both boxes were full at once: the case under test)
    assert isinstance(said.said, shutdownMicroprocess)


class EndsLate(component):
    """Never reads its control inbox; ends after 0.1 s."""

    def main(self):
        until = now() + 0.1
        while now() < until:
            self.pause(until - now())
            yield 1


@pytest.mark.parametrize("make", CONTAINERS, ids=["PAR", "Graphline"])
def test_a_child_that_never_reads_its_control_does_not_hold_up_its_container(make):
    s, box, teller, said = told(make, EndsLate(), ["note %d" % i for i in range(3 * CONTROL_CAPACITY)])
    assert s.failures == [] and s.deadlocked is None and box.finished()
    assert isinstance(said.said, producerFinished)
