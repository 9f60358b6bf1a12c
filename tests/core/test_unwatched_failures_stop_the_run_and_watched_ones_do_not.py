import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from core_helpers import HoldsUntilClosed, Sink, Sleeper, Source, chain, start

from microaxon import ComponentFailed, Scheduler, component

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


class RaisesAt(component):
    def __init__(self, at, **argd):
        super().__init__(**argd)
        self.at = at

    def main(self):
        if self.at == 0:
            raise ValueError("bad start")
        for i in range(self.at):
            self.send(i)
            self.pause(0.001)
            yield 1
        raise RuntimeError("bad step %d" % self.at)


def run_expecting_failure(s):
    """run() must raise ComponentFailed; returns it."""
    with pytest.raises(ComponentFailed) as ei:
        s.run()
    return ei.value


def test_raise_in_first_step_is_reported_with_name_exception_and_traceback():
    s = quiet()
    bad, sink = chain(RaisesAt(0), Sink())
    start(s, bad, sink)
    err = run_expecting_failure(s)
    who, exc, tb = s.failures[0]
    assert who == bad.name and isinstance(exc, ValueError)
    assert "bad start" in tb and "Traceback" in tb and "in main" in tb
    assert bad.name in s.report.getvalue() and "ValueError: bad start" in s.report.getvalue()
    assert bad.failure is exc
    assert err.failures == [(who, exc, tb)]
    assert bad.name in str(err) and "bad start" in str(err)


def test_an_unwatched_failure_closes_every_component_and_run_raises():
    s = quiet()
    log = []
    bad, sink = chain(RaisesAt(3), Sink())
    holders = start(s, HoldsUntilClosed(log), HoldsUntilClosed(log))
    start(s, bad, sink)
    err = run_expecting_failure(s)
    assert [f[0] for f in err.failures] == [bad.name]
    assert sink.got == [0, 1, 2] and sink.finished() and s.deadlocked is None
    assert log == [holders[1].name, holders[0].name]      # closed newest first, as stop() does
    assert s.components() == []


def test_unrelated_components_stop_too_instead_of_running_on():
    s = quiet()
    bad = RaisesAt(1)
    src, sink = chain(Source(list(range(100000))), Sink())
    start(s, bad, src, sink)
    run_expecting_failure(s)
    assert len(s.failures) == 1 and len(sink.got) < 100000
    assert src.finished() and sink.finished()


def test_a_watched_failure_is_left_to_its_watcher_and_the_run_goes_on():
    s = quiet()
    seen = []
    bad = RaisesAt(1)
    bad.onFinish(lambda c: seen.append(c.failure))
    src, sink = chain(Source(list(range(500))), Sink())
    start(s, bad, src, sink)
    s.run()
    assert len(seen) == 1 and isinstance(seen[0], RuntimeError)
    assert sink.got == list(range(500)) and len(s.failures) == 1    # still reported


def test_failed_component_children_are_stopped_and_links_torn_down():
    s = quiet()
    closed = []

    class Kid(Sleeper):
        def main(self):
            try:
                yield from Sleeper.main(self)
            finally:
                closed.append(1)

    class Parent(component):
        def main(self):
            k = Kid()
            self.addChildren(k)
            self.link((self, "outbox"), (k, "inbox"))
            k.activate(self._sched)
            yield 1
            raise KeyError("parent broke")

    p = start(s, Parent())[0]
    run_expecting_failure(s)
    assert closed == [1] and not p._links and s.deadlocked is None


def test_onfailure_hook_is_called():
    s = quiet()
    seen = []
    s.onFailure = lambda who, exc: seen.append((who, type(exc)))
    b = start(s, RaisesAt(0))[0]
    run_expecting_failure(s)
    assert seen == [(b.name, ValueError)]


def test_main_that_is_not_a_generator_is_a_clear_failure():
    s = quiet()

    class NoYield(component):
        def main(self):
            return 5

    n = start(s, NoYield())[0]
    err = run_expecting_failure(s)
    assert "must be a generator" in str(n.failure) and "must be a generator" in str(err)


def test_a_failure_before_run_stops_the_run_at_once():
    s = quiet()
    log = []

    class NoYield(component):
        def main(self):
            return 5

    start(s, NoYield())                      # fails as it is activated, before run()
    h = start(s, HoldsUntilClosed(log))[0]
    run_expecting_failure(s)
    assert h.finished() and log == []        # never stepped (its finally was never entered)


class FailsInFinally(component):
    def main(self):
        try:
            while True:
                self.pause()
                yield 1
        finally:
            raise OSError("close failed")


def test_a_failure_in_a_finally_block_stops_the_run():
    s = quiet()
    log = []
    f = FailsInFinally()
    h = start(s, HoldsUntilClosed(log), f)[0]

    class Stopper(component):
        def main(self):
            yield 1
            f.stop()                         # f's finally raises
            while True:
                self.pause()
                yield 1

    start(s, Stopper())
    err = run_expecting_failure(s)
    assert [w for w, _, _ in err.failures] == [f.name] and isinstance(f.failure, OSError)
    assert log == [h.name]


def test_a_failure_in_the_finally_of_a_component_that_stopped_itself_stops_the_run():
    s = quiet()
    seen = []

    class Quits(component):
        def main(self):
            try:
                self.stop()                  # the hook runs now; the finally after this step
                yield 1
            finally:
                raise OSError("close failed")

    q = Quits()
    q.onFinish(lambda c: seen.append(c.failure))
    start(s, q)
    err = run_expecting_failure(s)
    assert seen == [None] and [w for w, _, _ in err.failures] == [q.name]


def test_a_failure_in_a_watched_finally_block_is_the_watchers():
    s = quiet()
    seen = []
    f = FailsInFinally()
    f.onFinish(lambda c: seen.append(c.failure))
    start(s, f)
    s.run()                                  # deadlock: f sleeps
    f.stop()
    s.run()
    assert len(seen) == 1 and isinstance(seen[0], OSError)


def test_every_failure_is_named_including_those_while_closing():
    s = quiet()
    f = FailsInFinally()
    bad = RaisesAt(1)
    start(s, f, bad)
    err = run_expecting_failure(s)
    assert sorted(w for w, _, _ in err.failures) == sorted([f.name, bad.name])
    assert f.name in str(err) and bad.name in str(err) and "close failed" in str(err)
    assert s.components() == []


def test_run_can_be_called_again_after_it_raised():
    s = quiet()
    start(s, RaisesAt(0))
    run_expecting_failure(s)
    src, sink = start(s, *chain(Source([1, 2]), Sink()))
    s.run()
    assert sink.got == [1, 2]


def test_stop_while_paused_runs_finally_blocks():
    s = quiet()
    log = []
    p = start(s, HoldsUntilClosed(log))[0]
    s.run()                                  # deadlock: p sleeps
    p.stop()
    assert log == [p.name] and p.finished()


def test_component_stopping_itself_mid_step_is_closed_after_the_step():
    s = quiet()
    log = []

    class Quitter(component):
        def main(self):
            try:
                self.stop()
                log.append("after stop")
                yield 1
                log.append("never")
            finally:
                log.append("finally")

    start(s, Quitter())
    s.run()
    assert log == ["after stop", "finally"]


def test_keyboard_interrupt_closes_every_component_then_propagates():
    s = quiet()
    log = []

    class CtrlC(component):
        def main(self):
            yield 1
            raise KeyboardInterrupt

    hs = start(s, HoldsUntilClosed(log), HoldsUntilClosed(log))
    start(s, CtrlC())
    try:
        s.run()
        raise AssertionError("KeyboardInterrupt was swallowed")
    except KeyboardInterrupt:
        pass
    assert sorted(log) == sorted(h.name for h in hs)


def test_real_sigint_shuts_a_running_program_down_cleanly():
    prog = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        from microaxon import component, Scheduler
        class Holds(component):
            def main(self):
                try:
                    print("ready", flush=True)
                    while True:
                        self.pause()
                        yield 1
                finally:
                    print("finally ran", flush=True)
        s = Scheduler()
        Holds().activate(s)
        class Tick(component):
            def main(self):
                while True:
                    self.pause(10)
                    yield 1
        Tick().activate(s)
        try:
            s.run()
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """ % ROOT)
    p = subprocess.Popen([sys.executable, "-c", prog], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=10)
    assert out.split() == ["finally", "ran", "interrupted"]
    assert p.returncode == 0


def test_on_finish_is_called_once_for_each_way_of_ending():
    s = quiet()
    ended = []
    returns, raises, stopped = Source([1, 2]), RaisesAt(1), HoldsUntilClosed([])
    sink = Sink()
    returns.link((returns, "outbox"), (sink, "inbox"))
    returns.link((returns, "signal"), (sink, "control"))
    for c in (returns, raises, stopped):     # links gone: an unlinked outbox has room without end
        c.onFinish(lambda c: ended.append((c, c.finished(), c.hasSpace("outbox") >= 1 << 30)))

    class Stopper(component):
        def main(self):
            yield 1
            stopped.stop()

    start(s, returns, raises, stopped, sink, Stopper())
    s.run()
    assert sorted(c.name for c, _, _ in ended) == sorted([returns.name, raises.name, stopped.name])
    assert all(done and unlinked for _, done, unlinked in ended)
    assert [who for who, _, _ in s.failures] == [raises.name]
    assert sink.got == [1, 2]


def test_a_failing_on_finish_hook_stops_the_run():
    s = quiet()
    log = []
    broken = Source([])
    broken.onFinish(lambda c: 1 / 0)
    h = start(s, HoldsUntilClosed(log), broken)[0]
    err = run_expecting_failure(s)
    who, exc, _ = err.failures[0]
    assert who == "%s (onFinish hook)" % broken.name and isinstance(exc, ZeroDivisionError)
    assert log == [h.name]


class NoRoomForItsFailure(component):
    """Fails in its first step; recording the failure on it then finds no memory, as on a device
    whose component record must grow into a bigger block that a fragmented heap no longer has
    (seen with MicroPython's MQTT relay near its smallest heap)."""

    def __setattr__(self, name, value):
        if name == "failure":
            raise MemoryError("memory allocation failed, allocating 592 bytes")
        super().__setattr__(name, value)

    def main(self):
        raise ValueError("the first error")
        yield 1


def test_a_failure_is_reported_even_when_recording_it_on_the_component_finds_no_memory():
    s = quiet()
    NoRoomForItsFailure().activate(s)
    e = run_expecting_failure(s)
    assert "ValueError: the first error" in str(e)
    assert "ValueError: the first error" in s.report.getvalue()
    assert s.failures[0][1].args == ("the first error",)


class NoRoomToName(Source):
    """A component whose name cannot be formatted: memory has run out (as on a device heap that
    is full when its onFinish hook fails)."""

    @property
    def name(self):
        raise MemoryError("memory allocation failed, allocating 64 bytes")


def test_a_failing_on_finish_hook_is_reported_even_when_naming_its_component_finds_no_memory():
    s = quiet()
    broken = NoRoomToName([])
    broken.onFinish(lambda c: 1 / 0)
    start(s, broken)
    err = run_expecting_failure(s)
    who, exc, _ = err.failures[0]
    assert who == "NoRoomToName" and isinstance(exc, ZeroDivisionError)
    assert "component NoRoomToName failed: ZeroDivisionError" in s.report.getvalue()
