import io
import os
import signal
import subprocess
import sys
import textwrap

from core_helpers import HoldsUntilClosed, Sink, Sleeper, Source, chain, start

from microaxon import Scheduler, component, shutdownMicroprocess

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


def test_raise_in_first_step_is_reported_with_name_exception_and_traceback():
    s = quiet()
    bad, sink = chain(RaisesAt(0), Sink())
    start(s, bad, sink)
    s.run()
    who, exc, tb = s.failures[0]
    assert who == bad.name and isinstance(exc, ValueError)
    assert "bad start" in tb and "Traceback" in tb and "in main" in tb
    assert bad.name in s.report.getvalue() and "ValueError: bad start" in s.report.getvalue()
    assert bad.failure is exc


def test_raise_after_pause_stops_it_and_downstream_gets_shutdown():
    s = quiet()
    bad, sink = chain(RaisesAt(3), Sink())
    start(s, bad, sink)
    s.run()
    assert sink.got == [0, 1, 2]
    assert isinstance(sink.control[-1], shutdownMicroprocess)
    assert sink.finished() and s.deadlocked is None


def test_unrelated_components_keep_running_after_a_failure():
    s = quiet()
    bad = RaisesAt(1)
    src, sink = chain(Source(list(range(500))), Sink())
    start(s, bad, src, sink)
    s.run()
    assert len(s.failures) == 1 and sink.got == list(range(500))


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
    s.run()
    assert closed == [1] and not p._links and s.deadlocked is None


def test_onfailure_hook_is_called():
    s = quiet()
    seen = []
    s.onFailure = lambda who, exc: seen.append((who, type(exc)))
    b = start(s, RaisesAt(0))[0]
    s.run()
    assert seen == [(b.name, ValueError)]


def test_main_that_is_not_a_generator_is_a_clear_failure():
    s = quiet()

    class NoYield(component):
        def main(self):
            return 5

    n = start(s, NoYield())[0]
    s.run()
    assert "must be a generator" in str(n.failure)


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


def test_on_finish_is_called_once_for_each_way_of_ending_and_its_failure_is_reported():
    s = quiet()
    ended = []
    returns, raises, stopped = Source([1, 2]), RaisesAt(1), HoldsUntilClosed([])
    sink = Sink()
    returns.link((returns, "outbox"), (sink, "inbox"))
    returns.link((returns, "signal"), (sink, "control"))
    for c in (returns, raises, stopped):     # links gone: an unlinked outbox has room without end
        c.onFinish(lambda c: ended.append((c, c.finished(), c.hasSpace("outbox") >= 1 << 30)))
    broken = Source([])
    broken.onFinish(lambda c: 1 / 0)

    class Stopper(component):
        def main(self):
            yield 1
            stopped.stop()

    start(s, returns, raises, stopped, sink, broken, Stopper())
    s.run()
    assert sorted(c.name for c, _, _ in ended) == sorted([returns.name, raises.name, stopped.name])
    assert all(done and unlinked for _, done, unlinked in ended)
    failed = dict((who, exc) for who, exc, _ in s.failures)
    assert sorted(failed) == sorted([raises.name, "%s (onFinish hook)" % broken.name])
    assert isinstance(failed["%s (onFinish hook)" % broken.name], ZeroDivisionError)
    assert sink.got == [1, 2]
