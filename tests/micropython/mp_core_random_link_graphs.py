"""Random link, unlink and stop sequences checked against a model of routing, under the real
micropython binary (the model and driver: tests/core/link_model.py, shared with the pytest test).
Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from link_model import run_sequence  # noqa: E402

for seed in range(25):
    random.seed(seed)
    run_sequence(random)
print("ok")
