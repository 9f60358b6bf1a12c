"""Random components that send, sleep, stop each other, fail and finish, some watched, under the
real micropython binary: every run ends as the failure rule says (the model and checks:
tests/core/chaos_model.py, shared with the pytest test). Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import random
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")
sys.path.insert(0, _here + "/../core")

from chaos_model import run_chaos  # noqa: E402

seen = {}
for seed in range(150):
    random.seed(seed)
    o = run_chaos(random)
    seen[o] = seen.get(o, 0) + 1
if len(seen) != 3:
    raise AssertionError("the draws did not reach every ending: %r" % seen)
print("ok")
