# boot.py - runs first at power-up on a MicroPython device (copy to the board's root).
# Keep it small: anything that fails here leaves the board without a REPL prompt.
import gc

gc.collect()
try:
    gc.threshold(gc.mem_free() // 4 + gc.mem_alloc())   # collect before the heap gets fragmented
except AttributeError:
    pass
