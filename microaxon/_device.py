"""The MicroPython side of microaxon's platform layer, imported once by microaxon.core.

The same names as microaxon._desktop (see there): the clock, how a box's ring is made, the
poller, how a traceback is formatted. (How a file becomes a poll key is microaxon.iowait's own
rule here, loaded only with the first file wait: the stream object itself.) A box's ring here is
MicroPython's preallocated C deque, which raises IndexError when full and allocates nothing per
message; the poller is select.poll, which takes the stream objects themselves. Importing it
also sets the device's garbage-collection threshold (below).
(No annotations: this module runs on MicroPython only.)
"""
import gc
import select
import sys
import time
from collections import deque
from time import sleep  # noqa: F401  (seconds, float)

if sys.implementation.name != "micropython":
    raise ImportError("microaxon._device is MicroPython's (see microaxon._desktop)")

from micropython import const  # noqa: E402,F401  (core's compile-time constants)

# On a small heap, collect garbage after every sixteenth of it is allocated, not only when an
# allocation fails: short-lived objects are then freed before they are scattered among the
# long-lived ones, and the free memory stays in few, large blocks. In a 64 KiB heap 10-65% more
# components fit this way (docs/design.md), for collections that cost about 12 us each on a
# desktop CPU. A big heap (over 1 MiB) is left alone: it fragments less, and each collection
# scans all of it. An app that set its own threshold before importing microaxon keeps it;
# gc.threshold(-1) after the import turns this off.
if gc.threshold() < 0 and gc.mem_free() + gc.mem_alloc() <= 1 << 20:
    gc.threshold((gc.mem_free() + gc.mem_alloc()) // 16)

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


def ring(cap, q=None):
    """A box's ring: a C ring of `cap` slots, preallocated; IndexError when full. (A growing
    box gets a new one: the kernel moves the messages of `q`, its old ring, into it.)"""
    return deque((), cap, 1)


def format_exc(e):
    """The traceback of `e`, as text."""
    import io
    s = io.StringIO()
    sys.print_exception(e, s)
    return s.getvalue()
