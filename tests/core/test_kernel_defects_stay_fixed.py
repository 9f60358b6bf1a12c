"""Issue 11's defects, each pinned by a test that failed on the old kernel."""
import io
import os

import microaxon
from microaxon import BoxFull, Scheduler, component


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def test_waiting_again_on_a_file_closed_in_the_meantime_never_crashes_the_run():
    """Defect 1: the kept-wait fast path asked a closed file for its descriptor unguarded, so
    ValueError escaped Scheduler.run(). The component must be woken (or failed and reported)."""
    s = quiet()
    r, w = os.pipe()
    f = os.fdopen(r, "rb", buffering=0)
    os.write(w, b"x")

    class Closer(component):
        woke = False

        def main(self):
            self.waitReadable(f)
            self.pause()
            yield 1
            f.read(1)
            f.close()
            self.waitReadable(f)            # the same (now closed) file object, same mask
            self.pause()
            yield 1
            self.woke = True

    c = Closer().activate(s)
    s.run()                                 # must not raise
    os.close(w)
    assert c.woke or (c.failure is not None and s.failures)
    assert s.deadlocked is None


def test_wake_rule_has_one_copy_and_no_half_called_hook():
    """Defect 2: `_wakeup` was documented as extendable, but the hot paths inlined the wake rule
    and did not call it. It is gone; unpause() is the public way to wake a component."""
    assert not hasattr(component, "_wakeup")
    s = quiet()

    class Waits(component):
        def main(self):
            self.pause()
            yield 1
            self.woke = True

    class Waker(component):
        def main(self):
            yield 1
            other.unpause()

    other = Waits().activate(s)
    Waker().activate(s)
    s.run()
    assert other.woke


def test_count_messages_counts_only_what_was_delivered():
    """Defect 3: a refused send (BoxFull) was counted as delivered."""
    from microaxon.introspect import countMessages, snapshot

    s = quiet()

    class Small(component):
        Capacities = {"inbox": 2}

        def main(self):
            self.pause()
            yield 1

    a, b = component(), Small()
    a.link((a, "outbox"), (b, "inbox"))
    b.activate(s)
    countMessages(True)
    try:
        refused = 0
        for i in range(5):
            try:
                a.send(i)
            except BoxFull:
                refused += 1
        assert refused == 3
        snap = {c["name"]: c for c in snapshot(s)}
        assert snap[b.name]["inboxes"]["inbox"] == [2, 2, 2]
    finally:
        countMessages(False)
    b.stop()


def test_no_dead_state_is_left_on_components():
    """Defect 4: `_iofail` was set and never read."""
    assert not hasattr(component, "_iofail")
    assert "_iofail" not in open(microaxon.core.__file__).read()


def test_threadedcomponent_still_imports_from_microaxon():
    assert microaxon.threadedcomponent.__module__ == "microaxon.threaded"
