"""Random networks of sources, relays and sinks run to the end under the real micropython binary
and deliver every message (the builder and checks: tests/core/flow_model.py, shared with the
pytest test). Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from flow_model import run_network  # noqa: E402

for seed in range(40):
    random.seed(seed)
    run_network(random)
print("ok")
