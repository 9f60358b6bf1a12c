"""Random writers and readers on loopback TCP sockets under the real micropython binary: every
byte arrives in order, a socket closed by its own reader or by another component's wakes its
waiters, and the run ends (the model and checks: tests/core/io_model.py, shared with the pytest
test). Before the kernel checked that a file is still open when registering it, seed 4 with 8
pairs crashed this port's select.poll (a closed socket, descriptor -1, among five others).
Plain script: raises on failure, prints ok.
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from io_model import run_sockets  # noqa: E402

for seed in range(10):
    for pairs in (1, 4, 8):
        random.seed(seed)
        run_sockets(random, pairs)
print("ok")
