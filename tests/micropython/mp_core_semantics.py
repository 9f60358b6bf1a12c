"""The microaxon core under the real micropython binary (also run with -X heapsize=64k).
Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import gc
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from microaxon import (  # noqa: E402
    BoxFull,
    BoxNotFound,
    ComponentFailed,
    Scheduler,
    component,
    now,
    producerFinished,
    shutdownMicroprocess,
)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class Source(component):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def main(self):
        i = 0
        while i < self.n:
            if not self.hasSpace():
                self.waitSpace()
                self.pause()
                yield 1
                continue
            self.send(i & 63)
            i += 1
        self.send(producerFinished(self), "signal")
        yield 1


class Pass(component):
    def main(self):
        while True:
            while self.dataReady():
                if not self.hasSpace():
                    self.waitSpace()
                    break
                self.send(self.recv())
            if self.dataReady("control") and not self.dataReady():
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Sink(component):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.total = 0
        self.ended = None

    def main(self):
        while True:
            while self.dataReady():
                self.total += self.recv()
                self.count += 1
            if self.dataReady("control"):
                self.ended = self.recv("control")
                return
            self.pause()
            yield 1


def chain(cs):
    for i in range(len(cs) - 1):
        a, b = cs[i], cs[i + 1]
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))


class Quiet:
    def write(self, s):
        pass


def pipeline_delivers_everything():
    s = Scheduler()
    s.report = Quiet()
    sink = Sink()
    cs = [Source(2000)] + [Pass() for _ in range(5)] + [sink]
    chain(cs)
    for c in cs:
        c.activate(s)
    s.run()
    check(sink.count == 2000, "count %d" % sink.count)
    check(sink.total == sum(i & 63 for i in range(2000)), "total")
    check(isinstance(sink.ended, producerFinished), "shutdown passed on")
    check(s.deadlocked is None, "no deadlock")


def full_box_raises_and_lossy_drops():
    a, b = component(), component()
    b.addInbox("small", capacity=2)
    a.link((a, "outbox"), (b, "small"))
    a.send(1)
    a.send(2)
    try:
        a.send(3)
        check(False, "BoxFull expected")
    except BoxFull as e:
        check("small" in str(e) and "2" in str(e), "BoxFull names box and capacity")
    c, d = component(), component()
    d.addInbox("live", capacity=2)
    c.link((c, "outbox"), (d, "live"), mode="lossy")
    for i in range(5):
        c.send(i)
    check(d.recv("live") == 3 and d.recv("live") == 4, "lossy keeps newest")
    e, f = component(), component()
    e.link((e, "outbox"), (f, "inbox"), mode="grow", limit=100)
    for i in range(100):
        e.send(i)
    check(f.dataReady() == 100, "grow to limit")
    try:
        f.recv("nosuch")
        check(False, "BoxNotFound expected")
    except BoxNotFound:
        pass


def timers_and_deadlock():
    s = Scheduler()
    s.report = Quiet()

    class Napper(component):
        def main(self):
            t0 = now()
            self.pause(0.03)
            yield 1
            self.slept = now() - t0

    n, st = Napper(), Stuck()
    for c in (n, st):
        c.activate(s)
    s.run()
    check(n.slept >= 0.029, "timer slept %r" % n.slept)
    check(s.deadlocked == [st.name], "deadlock names the stuck one: %r" % s.deadlocked)
    st.stop()
    check(st.finished(), "stop")


class Stuck(component):
    def main(self):
        try:
            while True:
                self.pause()
                yield 1
        finally:
            self.closed = True


def unwatched_failure_stops_the_run():
    s = Scheduler()
    s.report = Quiet()
    closed = []

    class Bad(component):
        def main(self):
            try:
                yield 1
                raise ValueError("boom")
            finally:
                closed.append("bad")

    st, bad, sink = Stuck(), Bad(), Sink()
    bad.link((bad, "signal"), (sink, "control"))
    for c in (st, bad, sink):
        c.activate(s)
    try:
        s.run()
        check(False, "ComponentFailed expected")
    except ComponentFailed as e:
        check(len(e.failures) == 1 and e.failures[0][0] == bad.name, "names it: %r" % e.failures)
        check(bad.name in str(e) and "boom" in str(e), "message: %s" % e)
        check("boom" in e.failures[0][2], "traceback text")
    check(closed == ["bad"] and st.closed and sink.finished(), "everything closed")
    check(isinstance(sink.recv("control"), shutdownMicroprocess), "downstream told")
    check(len(s.failures) == 1 and s.failures[0][0] == bad.name, "failure reported")


def stop_runs_finally_blocks():
    s = Scheduler()
    s.report = Quiet()
    log = []

    class Holds(component):
        def main(self):
            try:
                while True:
                    self.pause()
                    yield 1
            finally:
                log.append(1)

    class Stopper(component):
        def main(self):
            yield 1
            self._sched.stop()
            yield 1

    for c in (Holds(), Holds(), Stopper()):
        c.activate(s)
    s.run()
    check(log == [1, 1], "finally blocks ran: %r" % log)


def hop_allocates_nothing():
    """Steady state: a message hop allocates no heap (gc.mem_alloc unchanged)."""
    a, b = component(), component()
    a.link((a, "outbox"), (b, "inbox"))
    for i in range(20):                      # warm up
        a.send(i)
        b.recv()
    gc.collect()
    gc.disable()
    m0 = gc.mem_alloc()
    for i in range(1000):
        a.send(i & 63)
        if b.dataReady():
            b.recv()
    m1 = gc.mem_alloc()
    gc.enable()
    check(m1 - m0 == 0, "allocated %d bytes in 1000 hops" % (m1 - m0))


def on_finish_reports_each_end():
    ended = []

    class Quits(component):
        def main(self):
            yield 1

    class Fails(component):
        def main(self):
            yield 1
            raise ValueError("no")

    s = Scheduler()
    s.report = None
    q, f = Quits(), Fails()
    q.onFinish(lambda c: ended.append(c))
    f.onFinish(lambda c: ended.append(c))
    q.activate(s)
    f.activate(s)
    s.run()
    check(len(ended) == 2 and q in ended and f in ended, "onFinish: %r" % ended)
    check(f.failure is not None and q.failure is None, "failure")


pipeline_delivers_everything()
on_finish_reports_each_end()
full_box_raises_and_lossy_drops()
timers_and_deadlock()
unwatched_failure_stops_the_run()
stop_runs_finally_blocks()
hop_allocates_nothing()
print("ok")
