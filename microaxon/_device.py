"""The MicroPython side of microaxon's platform layer, imported once by microaxon.core.

The same names as microaxon._desktop (see there): the clock, how a box's ring is made, the
poller, how a file becomes a poll key, how a traceback is formatted. A box's ring here is
MicroPython's preallocated C deque, which raises IndexError when full and allocates nothing per
message; the poller is select.poll, which takes the stream objects themselves.
(No annotations: this module runs on MicroPython only.)
"""
import select
import sys
import time
from collections import deque
from time import sleep  # noqa: F401  (seconds, float)

if sys.implementation.name != "micropython":
    raise ImportError("microaxon._device is MicroPython's (see microaxon._desktop)")

from micropython import const  # noqa: E402,F401  (core's compile-time constants)

DEFAULT_CAPACITY = 16          # slots in an inbox unless the component says otherwise
LAZY = True                    # rarely used methods load on first use (microaxon/__init__.py)
EAGER_WAKE = False             # threads say threadStarted() before they may wake the scheduler
poller = select.poll
_clk = [0.0, time.ticks_ms()]


def now():
    """Monotonic seconds (ticks_ms wraps; its differences are summed, so this never does)."""
    t = time.ticks_ms()
    _clk[0] += time.ticks_diff(t, _clk[1]) / 1000
    _clk[1] = t
    return _clk[0]


def ring(cap):
    """A box's ring: a C ring of `cap` slots, preallocated; IndexError when full."""
    return deque((), cap, 1)


def fd(f):
    """The poll key of a file: the object itself."""
    return f


def format_exc(e):
    """The traceback of `e`, as text."""
    import io
    s = io.StringIO()
    sys.print_exception(e, s)
    return s.getvalue()
