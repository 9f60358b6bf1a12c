"""Random rings of components sleeping on short timers and messaging each other, under the real
micropython binary: no timer fires early or ends a later sleep, every timer fires (the model and
checks: tests/core/timer_model.py, shared with the pytest test). Plain script: raises on failure,
prints ok.
# micropython-heap: 64k
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from timer_model import run_timers  # noqa: E402

for seed in range(6):
    random.seed(seed)
    run_timers(random)
print("ok")
