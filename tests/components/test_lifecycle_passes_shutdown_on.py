"""passed_shutdown_on: the one place components take control messages and pass a shutdown on."""
from kamaelia_lite.lifecycle import passed_shutdown_on
from kamaelia_lite.util import Collector
from microaxon import component, producerFinished, shutdownMicroprocess


def wired():
    c, before, after = component(), component(), Collector()
    before.link((before, "outbox"), (c, "control"))
    c.link((c, "signal"), (after, "inbox"))
    return c, before, after


def test_nothing_waiting_means_carry_on():
    c, _, after = wired()
    assert passed_shutdown_on(c) is False
    assert after.dataReady("inbox") == 0


def test_other_messages_are_dropped_and_the_shutdown_is_passed_on():
    for ending in (producerFinished(), shutdownMicroprocess()):
        c, before, after = wired()
        before.send("not a shutdown", "outbox")
        before.send(ending, "outbox")
        before.send("after it", "outbox")
        assert passed_shutdown_on(c) is True
        assert after.recv("inbox") is ending and after.dataReady("inbox") == 0
        assert c.dataReady("control") == 1          # what came after is left for later
