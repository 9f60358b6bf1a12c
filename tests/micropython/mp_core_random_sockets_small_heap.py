"""Random writers and readers on loopback TCP sockets in a small heap: the socket world of
mp_core_random_sockets.py with chunks of at most 2 KiB, run again as .mpy in 64 KiB (the model:
tests/core/io_model.py). Waits, wakes and closed sockets under a device's garbage collection.
Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from io_model import run_sockets  # noqa: E402

for seed in range(10):
    for pairs in (1, 3):
        random.seed(seed)
        run_sockets(random, pairs, big=2048)
print("ok")
