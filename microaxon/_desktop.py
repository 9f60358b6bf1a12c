"""The desktop (CPython) side of microaxon's platform layer, imported once by microaxon.core.

It provides the same few names as the MicroPython block at the top of core.py, so the kernel has
one platform switch: the clock, how a box's ring is made, the poller, how a file becomes a poll
key, and how a traceback is formatted. MicroPython never imports this module.

Pollers share ``select.poll``'s interface: ``register(key, mask)`` (adds or changes),
``unregister(key)`` and ``poll(ms)`` returning ``(key, events)`` pairs, ``ms`` -1 for ever.
Linux uses epoll (O(ready) per wait, for servers with many connections), other POSIX systems
``select.poll``, Windows ``select.select`` on sockets. ``MICROAXON_POLLER=epoll|poll|select``
forces one (read each time a scheduler makes its poller, so tests can try every path).
"""
import operator
import os
import select
import sys
import time
import traceback
from collections import deque
from time import sleep  # noqa: F401  (seconds, float)
from typing import Any, Iterable, List, Optional, Tuple

if sys.implementation.name == "micropython":
    raise ImportError("microaxon._desktop is CPython's (see microaxon._device)")

now = time.monotonic
DEFAULT_CAPACITY = 64          # slots in an inbox unless the component says otherwise
LAZY = False                   # every method loaded at import: no __getattr__ hook (it would
                               # slow down every attribute read of components)
EAGER_WAKE = True              # any thread may callFromThread: make the wake-up pair at run()
_IN = getattr(select, "POLLIN", 1)
_OUT = getattr(select, "POLLOUT", 4)


def const(x: int) -> int:
    """MicroPython's compile-time constant marker: here the value itself."""
    return x


def ring(cap: int, q: Optional[deque] = None) -> deque:
    """A box's ring for `cap` messages; `q`: the ring of a box growing to `cap` (it is kept:
    a deque has no bound, and a thread's recv may hold it). CPython's deque reuses freed blocks,
    so with send()'s length check a hop allocates nothing; the bound is kept by the kernel."""
    return deque() if q is None else q


def name_property() -> property:
    """A component's ``name``: the one set, else "Class#id" (MicroPython's core._more answers
    the same through __getattr__, a hook CPython would pay for on every attribute read)."""
    def get(self: Any) -> str:
        n = self._name
        return n if n is not None else "%s#%d" % (self.__class__.__name__, self.id)

    def set_(self: Any, value: str) -> None:
        self._name = value

    return property(get, set_)


def fd(f: Any) -> int:
    """The poll key of a file: its descriptor. ValueError if it is closed."""
    k = f if f.__class__ is int else f.fileno()
    if k < 0:
        raise ValueError("closed file")
    return k


# The kept-wait check (microaxon.iowait): >= 0 while a file is open (a closed socket says -1, a
# closed file raises ValueError). C-level, so a server's every step does not pay a Python call.
still_open = operator.methodcaller("fileno")


def format_exc(exc: BaseException) -> str:
    """The traceback of `exc`, as text."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class _Epoll:
    """select.epoll with select.poll's interface."""

    def __init__(self) -> None:
        self.p = select.epoll()

    def register(self, k: int, mask: int) -> None:
        try:
            self.p.register(k, mask)
        except FileExistsError:
            self.p.modify(k, mask)

    def unregister(self, k: int) -> None:
        self.p.unregister(k)

    def poll(self, ms: int) -> List[Tuple[int, int]]:
        return self.p.poll(-1 if ms < 0 else ms / 1000)


class _Select:
    """select.select (Windows: sockets only) with select.poll's interface."""

    def __init__(self) -> None:
        self.masks = {}

    def register(self, k: int, mask: int) -> None:
        self.masks[k] = mask

    def unregister(self, k: int) -> None:
        del self.masks[k]

    def poll(self, ms: int) -> Iterable[Tuple[int, int]]:
        m = self.masks
        r = [k for k in m if m[k] & _IN]
        w = [k for k in m if m[k] & _OUT]
        t = None if ms < 0 else ms / 1000
        if not r and not w:                  # select([], [], []) fails on Windows
            time.sleep(3600 if t is None else t)
            return ()
        r, w, _ = select.select(r, w, [], t)
        return [(k, _IN) for k in r] + [(k, _OUT) for k in w]


def poller() -> Any:
    """A new poller for a scheduler (see the module docstring for the choice)."""
    force = os.environ.get("MICROAXON_POLLER")
    if force == "select" or not hasattr(select, "poll"):
        return _Select()
    if force != "poll" and hasattr(select, "epoll"):
        return _Epoll()
    return select.poll()
