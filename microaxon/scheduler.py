# microaxon kernel, part 2: the scheduler (core.py's header says how the kernel is split).
#
# It runs runnable components in passes and sleeps, or waits in the poller, when none is. The
# rules and their reasons are in docs/design.md; core.py's header says how the kernel is split.
import sys
from heapq import heappop

from microaxon.core import (
    _SINK,
    _p,
    _push,
    _unlink,
    _wake,
    const,
    newComponent,
    now,
    shutdownMicroprocess,
)

_NEW = const(0)                          # core.py's component states
_DONE = const(1)
_RUN = const(2)
_PAUSE = const(3)
_SLEEP = const(4)


class Scheduler:
    # Runs runnable components in passes; sleeps (or waits in the poller) when none is.

    onFailure = deadlocked = default = _running = _next = _head = _tail = _wr = None
    _threads = _tseq = 0
    _stopping = False
    _io = _dirty = _inbound = ()         # made by microaxon.iowait when first used

    def __init__(self):
        self._all = []                   # the live components, in the order they were activated
        self._timers = []                # heap of (deadline, seq, component)
        self.failures = []               # [(name, exception, traceback text)], the last 100
        self._bad = []                   # failures nobody watched: run() stops and raises them
        self.report = sys.stderr

    def components(self):
        # The live components (the reader microaxon.introspect builds snapshots from).
        return list(self._all)

    def _settle(self, c, f):
        # After c's step: room it waits for that is there already wakes it (the boxes keep
        # the wait: see waitSpace/_freed); its I/O waits are settled by microaxon.iowait.
        w = c._w
        c._w = None
        if f and w is not True:          # (f: c is asleep)
            if w.__class__ is not list:
                if w.space() > 0:
                    _wake(c)
            else:
                for b in w:
                    if b.space() > 0:
                        _wake(c)
                        break
        if c._iof is not None or c._iow is not None:
            self._ioset(c, f)

    # -- stepping ------------------------------------------------------------------------------
    def _pass(self):
        # One pass over what is runnable now. One woken by the component that just ran runs
        # next, up to twice in a row (a request, its handler and its answer go through
        # together; nothing starves).
        end = self._tail
        hand = 0
        while True:
            c = self._next
            if c is not None:
                self._next = None
                if hand < 2:
                    hand += 1
                else:
                    _push(self, c)
                    c = None
            if c is None:
                if end is None:
                    return
                c = self._head
                self._head = c._rq
                if self._head is None:
                    self._tail = None
                if c is end:
                    end = None
                hand = 0
            if c._st < _RUN:             # finished while queued
                continue
            g = c._gen
            c._steps += 1
            self._running = c
            try:
                r = next(g)
                if r is not None and r.__class__ is newComponent:
                    for x in r.components:
                        x.activate(self)
            except Exception as e:
                self._running = None
                g = None                 # (its frame is garbage now: memory for the report)
                self._finish(c, None if e.__class__ is StopIteration else e)
                if self._stopping:
                    return
                continue
            self._running = None
            if c._st == _PAUSE:
                c._st = _SLEEP
                w = c._w
                if w is True:            # files only (a server's connection): to the poller
                    self._ioset(c, True)
                elif w:
                    self._settle(c, True)
            elif c._st == _RUN:
                _push(self, c)
                if c._w:
                    self._settle(c, False)
            else:                        # it stopped itself (or was stopped) in its step
                self._close(c)

    def _tick(self, t):
        h = self._timers                 # wake those whose timer is due (and still applies)
        while h and h[0][0] <= t:
            x = heappop(h)
            if x[2]._steps == x[3]:      # (see core's pause)
                _wake(x[2])

    def run(self):
        # Run until no component remains (or deadlock, or stop()). Ctrl-C closes everything.
        # A failure no onFinish hook watches closes everything and raises ComponentFailed.
        self._stopping = len(self._bad) > 0   # (a failure before run(): stop at once)
        h = self._timers
        try:
            if _p.EAGER_WAKE and self._wr is None:   # any thread may callFromThread while we
                self.threadStarted()                 # block
                self._threads -= 1
            polled = now()               # when the poller was last asked
            while not self._stopping:
                self._pass()
                if self._inbound:
                    self._calls()        # calls from other threads (microaxon.threadcalls)
                if self._stopping:
                    break
                if self._head is not None:   # more to run: look at clocks, and at sockets in
                    if h or self._io:        # passing, those at most every 0.2 ms (a request
                        t = now()            # and its answer take a few short passes, and
                        if self._io and t - polled >= 0.0002:   # need no system call)
                            polled = t
                            self._poll(0)
                        self._tick(t)
                    elif self._dirty:
                        self._poll(0)
                    continue
                if not self._all:
                    break
                if self._dirty:          # waits dropped this pass: forget them before judging
                    self._poll(0)        # whether anything could still wake us
                    if self._head is not None:
                        continue
                while h and (h[0][2]._steps != h[0][3] or h[0][2]._st == _DONE):
                    heappop(h)           # timers that no longer apply
                if not (h or self._io or self._threads):
                    from microaxon.errors import deadlock
                    deadlock(self)       # (a rare path, as in errors.py)
                    break
                t = h[0][0] - now() if h else None
                if self._io or self._wr is not None:   # files or threads may wake us
                    self._poll(t)
                elif t > 0:
                    _p.sleep(t)
                polled = now()
                self._tick(polled)
        except BaseException:            # KeyboardInterrupt included: close every component
            self.stop()
            raise
        if self._bad:                    # a failure nobody watched: close everything, raise it
            self.stop()
            from microaxon.errors import failed
            raise failed(self)

    def _close(self, c):
        # Close c's generator now (its finally blocks run); what they raise is c's failure.
        g = c._gen
        c._gen = None
        try:
            g.close()
        except Exception as e:
            if c.failure is None:
                self._report(c, e, c._fin is None)
                try:                     # (as in _finish)
                    c.failure = e
                except MemoryError:
                    pass

    def _finish(self, c, exc):
        # c ended (returned, raised (exc), or was stopped): report, close, unhook from the graph.
        if c._st < _RUN:
            return
        if exc is not None:
            c._gen = None                # a generator that raised is finished already
            self._report(c, exc, c._fin is None)
            try:                         # then kept on c, whose record may have to grow: on a
                c.failure = exc          # device, into a block a fragmented heap may not have
            except MemoryError:          # (the report has told the operator already, and run()
                pass                     # raises it if nobody watches c)
        c._st = _DONE
        self._all.remove(c)
        if c._w:
            self._settle(c, False)
        if c._gen is not None and c is not self._running:   # a running one is closed after
            self._close(c)                                   # its step
        if exc is not None:
            try:
                if c._dest.get("signal", _SINK) is not _SINK:
                    c.send(shutdownMicroprocess(c), "signal")
            except Exception:
                pass                     # a full control box: the link teardown still tells
            for ch in c._children:
                self._finish(ch, None)
        while c._links:                  # (no copy: each unlink takes one off its list; a
            _unlink(c._links[-1])        # sender waiting for room in a dead box is woken by
                                         # its outbox's move: see core's _retarget)
        if c._parent is not None:
            _wake(c._parent)
        fn = c._fin
        if fn is not None:
            c._fin = None
            try:
                fn(c)
            except Exception as e:       # nobody watches a hook: the run stops
                self._report(c, e, 2)

    def _report(self, c, e, f=0):
        # Report a failure of c (a component, or what failed, in words); a lost one (f: nobody
        # watches it; 2: c's onFinish hook failed) also stops the run. Memory may have run out:
        # the report then still reaches the operator, in pieces that need none, before it is
        # recorded.
        if f:
            self._stopping = True
        name = c
        if c.__class__ is not str:
            try:
                name = c.name if f != 2 else "%s (onFinish hook)" % c.name
            except MemoryError:          # (naming it needs memory; its class's name needs none)
                name = c.__class__.__name__
        try:                             # (out of memory: no traceback, which would need more)
            tb = repr(e) if e.__class__ is MemoryError else _p.format_exc(e)
        except Exception:
            tb = ""
        w = self.report
        if w is not None:
            try:
                w.write("microaxon: component %s failed: %s: %s\n%s" % (
                    name, e.__class__.__name__, e, tb))
            except Exception:            # (no memory to format it: the names need none)
                try:
                    w.write("microaxon: component ")
                    w.write(name)
                    w.write(" failed: ")
                    w.write(e.__class__.__name__)
                    w.write("\n")
                except Exception:
                    pass
        if f:
            self._bad.append((name, e, tb))
        self.failures.append((name, e, tb))
        if len(self.failures) > 100:
            self.failures.pop(0)
        if self.onFailure is not None:
            try:
                self.onFailure(name, e)
            except Exception:
                pass

    def stop(self):
        # Close every component now (finally blocks run, last activated first); run() returns.
        self._stopping = True
        a = self._all                    # (no copy: stopping after a MemoryError must work)
        for _ in range(len(a)):
            if a:
                self._finish(a[-1], None)


def defaultScheduler():
    # The process-wide scheduler used when none is given (kept as Scheduler.default).
    if Scheduler.default is None:
        Scheduler.default = Scheduler()
    return Scheduler.default
