"""Axon's way to drive components from ordinary (non-component) code:

    background().start()                        # the scheduler runs in a daemon thread
    echo = Handle(TCPClient("127.0.0.1", 1900)).activate()
    echo.put(b"hello", "inbox")                 # to the wrapped component's inbox
    echo.get("outbox")                          # what it sent, or raises queue.Empty

Kamaelia's names: Axon.background.background and Axon.Handle.Handle.

Calls made from other threads reach the scheduler through one courier thread (a
threadedcomponent blocked on a thread-safe queue), so the scheduler is woken when there is work
and sleeps otherwise: nothing polls. get() never blocks. Messages the wrapped component sends
wait in the Handle until taken; each of its outboxes keeps at most ``max_pending`` of them (older
ones are kept, a newer one past the limit is dropped and counted in ``dropped``), so a program
that never calls get() cannot exhaust memory.
"""
import queue
import threading
from typing import Any, Callable, Dict, List, Optional

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, defaultScheduler
from microaxon.threaded import threadedcomponent

_current: List["background"] = []


class _Calls(component):
    """Runs, in the scheduler's thread, each callable that arrives on its inbox."""

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.recv("inbox")()
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


class _Courier(threadedcomponent):
    """Hands callables queued by other threads to the scheduler (None: finish)."""

    def __init__(self, calls: "queue.Queue[Optional[Callable[[], Any]]]") -> None:
        super().__init__()
        self.calls = calls

    def main(self) -> None:
        while True:
            fn = self.calls.get()
            if fn is None:
                return
            self.send(fn, "outbox")


class background:
    """Runs the default scheduler in a daemon thread, so the main program can carry on; while it
    runs, Handle(...).activate() and put() from any thread reach it (see module doc)."""

    def __init__(self, slowmo: float = 0, zap: bool = False) -> None:
        self.slowmo = slowmo          # accepted for Axon's signature; our scheduler sleeps when idle
        self.zap = zap
        self.calls: queue.Queue[Optional[Callable[[], Any]]] = queue.Queue()
        self.thread: Optional[threading.Thread] = None

    def start(self) -> "background":
        """Start the scheduler's thread (returns at once)."""
        courier = _Courier(self.calls)
        calls = _Calls()
        courier.link((courier, "outbox"), (calls, "inbox"))
        calls.activate()
        courier.activate()
        _current[:] = [self]
        self.thread = threading.Thread(target=defaultScheduler().run, name="microaxon-background",
                                       daemon=True)
        _route_activate(self)
        self.thread.start()
        return self

    def call(self, fn: Callable[[], Any]) -> None:
        """Run fn() in the scheduler's thread, soon."""
        self.calls.put(fn)

    def stop(self) -> None:
        """Let the courier finish (the scheduler returns once nothing else runs)."""
        self.calls.put(None)


def _native_activate(c: Any) -> Any:
    a = component.__dict__["activate"]
    return getattr(a, "_native", a)(c)


def _route_activate(bg: background) -> None:
    """While a background scheduler runs, activate() called from another thread (Axon allows it:
    `SimpleServer(...).activate()` after background().start()) is done in the scheduler's thread."""
    native = component.__dict__["activate"]
    if getattr(native, "_routed", False):
        native = native._native

    def activate(self: Any, *args: Any, **argd: Any) -> Any:
        if _current and threading.current_thread() is not _current[0].thread and _current[0].thread.is_alive():
            _current[0].call(lambda: native(self, *args, **argd))
            return self
        return native(self, *args, **argd)
    activate._routed = True
    activate._native = native
    component.activate = activate


class Handle(component):
    """Wraps a component so non-component code can put() to its inboxes and get() what it sends
    (see module doc). Needs background().start() first."""

    Inboxes = {"_inbox": "the wrapped component's outbox", "_control": "its signal"}
    Outboxes = {"_outbox": "to its inbox", "_signal": "to its control"}

    max_pending = 10000

    def __init__(self, someComponent: Any, **argd: Any) -> None:
        super().__init__(**argd)
        self.comp = someComponent
        self._lock = threading.Lock()
        self._got: Dict[str, List[Any]] = {"outbox": [], "signal": []}
        self.dropped = 0
        c = someComponent           # linked now, so a put() made before main() runs is not lost
        self.addChildren(c)
        self.link((self, "_outbox"), (c, "inbox"))
        self.link((self, "_signal"), (c, "control"))
        self.link((c, "outbox"), (self, "_inbox"))
        self.link((c, "signal"), (self, "_control"))

    def _bg(self) -> background:
        if not _current:
            raise RuntimeError("Handle: start the scheduler first with background().start()")
        return _current[0]

    def activate(self, *args: Any, **argd: Any) -> "Handle":  # noqa: D401
        """Start the Handle and the wrapped component in the background scheduler."""
        self._bg().call(lambda: _native_activate(self))
        return self

    def put(self, data: Any, boxname: str = "inbox") -> None:
        """Send `data` to the wrapped component's "inbox" or "control", from any thread."""
        box = {"inbox": "_outbox", "control": "_signal"}.get(boxname)
        if box is None:
            raise ValueError("Handle.put: boxname must be 'inbox' or 'control', not %r" % (boxname,))
        self._bg().call(lambda: self.send(data, box))

    def get(self, boxname: str = "outbox") -> Any:
        """The oldest message the wrapped component sent on `boxname` ("outbox" or "signal");
        raises queue.Empty when there is none. Never blocks."""
        with self._lock:
            got = self._got.get(boxname)
            if not got:
                raise queue.Empty
            return got.pop(0)

    def _keep(self, boxname: str, msg: Any) -> None:
        with self._lock:
            got = self._got[boxname]
            if len(got) >= self.max_pending:
                self.dropped += 1
            else:
                got.append(msg)

    def main(self):
        self.comp.activate(self._sched)
        while True:
            while self.dataReady("_inbox"):
                self._keep("outbox", self.recv("_inbox"))
            while self.dataReady("_control"):
                self._keep("signal", self.recv("_control"))
            self.pause()
            yield 1
