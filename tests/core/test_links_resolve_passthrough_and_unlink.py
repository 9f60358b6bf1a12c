import pytest
from core_helpers import Sink, Source, chain, start

from microaxon import DEFAULT_CAPACITY, BoxAlreadyLinked, BoxFull, Scheduler, component


def test_passthrough_inbox_forwards_to_child_and_outbox_to_parent():
    parent, child, outside, feeder = component(), component(), component(), component()
    parent.link((parent, "inbox"), (child, "inbox"), passthrough=1)
    parent.link((child, "outbox"), (parent, "outbox"), passthrough=2)
    feeder.link((feeder, "outbox"), (parent, "inbox"))
    parent.link((parent, "outbox"), (outside, "inbox"))      # linked after the passthrough
    feeder.send("down")
    assert child.recv() == "down"
    assert parent.dataReady() == 0
    child.send("up")
    assert outside.recv() == "up"


def test_chains_of_passthrough_resolve_through_nested_parents():
    outer, inner, leaf, sink, src = (component() for _ in range(5))
    inner.link((leaf, "outbox"), (inner, "outbox"), passthrough=2)
    outer.link((inner, "outbox"), (outer, "outbox"), passthrough=2)
    outer.link((outer, "inbox"), (inner, "inbox"), passthrough=1)
    inner.link((inner, "inbox"), (leaf, "inbox"), passthrough=1)
    src.link((src, "outbox"), (outer, "inbox"))
    outer.link((outer, "outbox"), (sink, "inbox"))
    src.send(1)
    assert leaf.recv() == 1
    leaf.send(2)
    assert sink.recv() == 2


def test_messages_waiting_in_parent_inbox_move_when_passthrough_is_made():
    parent, child, feeder = component(), component(), component()
    feeder.link((feeder, "outbox"), (parent, "inbox"))
    feeder.send("early")
    parent.link((parent, "inbox"), (child, "inbox"), passthrough=1)
    assert child.recv() == "early"


def test_outbox_links_to_one_destination_only():
    a, b, c = component(), component(), component()
    a.link((a, "outbox"), (b, "inbox"))
    with pytest.raises(BoxAlreadyLinked):
        a.link((a, "outbox"), (c, "inbox"))


def test_many_outboxes_may_feed_one_inbox():
    a, b, sink = component(), component(), component()
    a.link((a, "outbox"), (sink, "inbox"))
    b.link((b, "outbox"), (sink, "inbox"))
    a.send("a")
    b.send("b")
    assert list(sink.Inbox()) == ["a", "b"]


def test_unlink_stops_delivery_and_later_sends_are_counted_as_drops():
    a, b = component(), component()
    lk = a.link((a, "outbox"), (b, "inbox"))
    a.send(1)
    a.unlink(thelinkage=lk)
    a.send(2)
    assert list(b.Inbox()) == [1]
    assert a.drops() == {"outbox": 1}
    a.link((a, "outbox"), (b, "inbox"))                       # relinking works
    a.send(3)
    assert b.recv() == 3


def test_unlink_during_delivery_keeps_what_was_delivered():
    s = Scheduler()

    class Fickle(component):
        def main(self):
            for i in range(10):
                self.send(i)
                if i == 4:
                    self.unlink(self)             # drop every link mid-stream
            yield 1

    f, sink = Fickle(), Sink()
    f.link((f, "outbox"), (sink, "inbox"))
    start(s, f, sink)
    s.report = None
    s.run()
    assert sink.got == [0, 1, 2, 3, 4]
    assert f.drops()["outbox"] == 5


def test_feedback_loop_of_components_terminates():
    """A cycle: a counter sends to a doubler which sends back; the counter stops at a limit."""
    s = Scheduler()

    class Counter(component):
        def main(self):
            self.send(1)
            while True:
                if self.dataReady():
                    v = self.recv()
                    if v > 1000:
                        self.result = v
                        self.send("stop", "signal")
                        return
                    self.send(v + 1)
                self.pause()
                yield 1

    class Doubler(component):
        def main(self):
            while not self.dataReady("control"):
                while self.dataReady():
                    self.send(self.recv() * 2)
                self.pause()
                yield 1

    c, d = Counter(), Doubler()
    c.link((c, "outbox"), (d, "inbox"))
    d.link((d, "outbox"), (c, "inbox"))
    c.link((c, "signal"), (d, "control"))
    start(s, c, d)
    s.run()
    assert c.result == 1022 and s.deadlocked is None


def test_finished_component_is_unlinked_and_parent_woken():
    s = Scheduler()
    src, sink = chain(Source([1, 2]), Sink())
    start(s, src, sink)
    s.run()
    assert not src._links and not sink._links


def test_a_link_that_would_close_a_loop_is_refused_and_leaves_no_trace():
    a, b, feeder = component(), component(), component()
    a.link((a, "inbox"), (b, "inbox"), passthrough=1)
    with pytest.raises(ValueError, match="link cycle"):
        b.link((b, "inbox"), (a, "inbox"), passthrough=1)
    with pytest.raises(ValueError, match="link cycle"):
        a.link((a, "outbox"), (a, "outbox"), passthrough=2)
    feeder.link((feeder, "outbox"), (a, "inbox"))        # the refused loops left nothing behind
    feeder.send("x")
    assert b.recv() == "x"
    b.link((b, "inbox"), (feeder, "inbox"), passthrough=1)   # b's inbox is still free to link
    feeder.send("y")
    assert feeder.recv() == "y"


def test_a_refused_link_does_not_change_the_sink_box_mode():
    a, b, c, d = component(), component(), component(), component()
    a.link((a, "outbox"), (b, "inbox"))
    with pytest.raises(BoxAlreadyLinked):
        a.link((a, "outbox"), (c, "inbox"), mode="lossy")
    d.link((d, "outbox"), (c, "inbox"))
    for i in range(DEFAULT_CAPACITY):
        d.send(i)
    with pytest.raises(BoxFull):          # still the default mode, not "lossy"
        d.send("one too many")
