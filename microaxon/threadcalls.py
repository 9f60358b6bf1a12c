"""The cross-thread wake: calls from other threads into the scheduler's thread. Loaded on first use.

microaxon.core asks for this module the first time a scheduler is asked for ``callFromThread``,
``threadStarted`` or ``threadFinished`` (on CPython, at ``run()``: any thread may call in), so a
device program without threads never pays heap for it. The wake-up is a socket pair (MicroPython:
a loopback UDP pair) whose reading end the poller (microaxon.iowait) watches; the calls wait in a
ring until the scheduler's thread runs them, in order, between passes. (Portable: runs on
MicroPython.)
"""
from microaxon import iowait, scheduler  # noqa: F401  (iowait: the poller the wake-up uses)
from microaxon.core import _p

_fd = iowait._fd


def callFromThread(self, fn, *args):
    """Thread-safe: run fn(*args) in the scheduler's thread soon, waking it if it sleeps.
    (On MicroPython, a thread says threadStarted() before it may call this.)"""
    if self._inbound == ():              # (CPython: run() says threadStarted() itself)
        self._inbound = _p.ring(16)
    self._inbound.append((fn, args))
    if self._ww is not None:
        try:
            self._ww.send(b"x")
        except OSError:
            pass                         # buffer full: a wake-up is pending already


def threadStarted(self):
    """A thread that may call callFromThread is alive: no deadlock is declared meanwhile."""
    self._threads += 1
    if self._wr is None:                 # the wake-up pair: a thread writes, the poller wakes
        import socket
        if hasattr(socket, "socketpair"):
            r, w = socket.socketpair()
        else:                            # MicroPython: a loopback UDP pair
            r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            r.bind(socket.getaddrinfo("127.0.0.1", 0)[0][-1])
            w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            w.connect(r.getsockname() if hasattr(r, "getsockname") else r)
        r.setblocking(False)
        w.setblocking(False)
        if self._inbound == ():
            self._inbound = _p.ring(16)    # calls waiting for the scheduler (CPython: unbounded)
        self._wr, self._ww = r, w
        self._wkey = _fd(r)
        self._reg(self._wkey, 1)


def _calls(self):
    """Run what other threads asked for (callFromThread), in order."""
    while self._inbound:
        fn, args = self._inbound.popleft()
        if fn is None:                   # threadFinished()
            self._threads -= 1
            continue
        try:
            fn(*args)
        except Exception as e:
            self._report("callFromThread(%r)" % (fn,), e, 1)


def threadFinished(self):
    self.callFromThread(None)            # the run loop counts it off, in the scheduler's thread


S = scheduler.Scheduler
S._calls = _calls
S.callFromThread = callFromThread
S.threadStarted = threadStarted
S.threadFinished = threadFinished
