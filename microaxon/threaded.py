"""threadedcomponent: a component whose main() is a plain blocking function run in a thread.

Use it to wrap blocking libraries (a serial port on Windows, a console, a codec). From the
thread, the usual calls work: dataReady, recv, anyReady, Inbox, send; pause(timeout) blocks the
thread until a message arrives. The scheduler side is a small shell generator that starts the
thread, delivers what the thread sends (waiting for room when a destination is full, so a
thread's send blocks rather than overflows), and finishes the component when main() returns
(or reports its exception as the component's failure).

On MicroPython this needs `_thread` and a build with a GIL; elsewhere import fails.
"""
import sys

from microaxon.core import DEFAULT_CAPACITY, _freed, _wake, component
from microaxon.errors import BoxNotFound

if sys.implementation.name == "micropython":
    if getattr(sys.implementation, "_thread", None) != "GIL":
        raise ImportError("threadedcomponent needs a MicroPython build with a GIL")
import threading
from collections import deque


def _room(b):
    """In the scheduler's thread: wake who waits for room in b, if anyone still does (another
    recv may have woken them already: the thread looked at spacewait before this ran)."""
    if b.spacewait is not None:
        _freed(b)


class threadedcomponent(component):
    """A component whose `main()` runs in its own thread (Axon's ThreadedComponent)."""

    queuelengths = DEFAULT_CAPACITY      # messages the thread may have in flight per component

    def __init__(self, *args, **argd):
        super().__init__(*args, **argd)
        self._event = threading.Event()
        self._cond = threading.Condition()
        self._pending = deque()
        self._thread = None
        self._thread_done = False
        self._thread_exc = None
        self._stop_requested = False

    # -- scheduler side ----------------------------------------------------------------------
    def _shellmain(self):
        s = self._sched
        s.threadStarted()
        self._thread = threading.Thread(target=self._threadbody, name=self.name, daemon=True)
        self._thread.start()
        try:
            while True:
                self._flush()
                if self._thread_done and not self._pending:
                    if self._thread_exc is not None:
                        raise self._thread_exc
                    return
                if self.anyReady():
                    self._event.set()
                self.pause()
                yield 1
        finally:
            self._stop_requested = True
            self._event.set()
            with self._cond:
                self._cond.notify_all()

    def _flush(self):
        """Deliver what the thread sent, in order, as far as the destinations have room."""
        p = self._pending
        moved = False
        while p:
            box, msg = p[0]
            if self.hasSpace(box) <= 0:
                self.waitSpace(box)
                break
            p.popleft()
            component.send(self, msg, box)
            moved = True
        if moved:
            with self._cond:
                self._cond.notify_all()

    def _kick(self):
        _wake(self)

    def _threadbody(self):
        exc = None
        try:
            self.main()
        except BaseException as e:  # reported by the shell in the scheduler's thread
            exc = e
        self._sched.callFromThread(self._threadexit, exc)
        self._sched.threadFinished()

    def _threadexit(self, exc):
        self._thread_done = True
        self._thread_exc = exc
        _wake(self)

    # -- thread side ---------------------------------------------------------------------------
    def send(self, msg, box="outbox"):
        """From the thread: queue msg for delivery; blocks while too many are in flight."""
        if box not in self._dest:
            raise BoxNotFound("%s has no outbox %r" % (self.name, box))
        if self._sched is None or threading.current_thread() is not self._thread:
            return component.send(self, msg, box)
        with self._cond:
            while len(self._pending) >= self.queuelengths and not self._stop_requested:
                self._cond.wait(0.5)
            self._pending.append((box, msg))
        self._sched.callFromThread(self._kick)

    def recv(self, box="inbox"):
        b = self.getInbox(box)
        msg = b.q.popleft()
        if b.spacewait is not None and self._sched is not None:
            self._sched.callFromThread(_room, b)
        return msg

    def pause(self, timeout=None):
        """From the thread: block until a message arrives (or timeout seconds pass)."""
        if self._thread is None or threading.current_thread() is not self._thread:
            return component.pause(self, timeout)
        if not self.anyReady():
            self._event.wait(timeout)
        self._event.clear()

    def sync(self):
        """From the thread: block until everything sent so far has been delivered."""
        with self._cond:
            while self._pending and not self._stop_requested:
                self._cond.wait(0.5)

    def stopRequested(self):
        """True once the scheduler has stopped this component (the thread should return)."""
        return self._stop_requested

    def activate(self, Scheduler=None, scheduler=None):
        # The scheduler runs the shell; main() is what the thread runs.
        self._usermain = self.main
        self.main = self._shellmain
        component.activate(self, Scheduler, scheduler)
        self.main = self._usermain
        return self
