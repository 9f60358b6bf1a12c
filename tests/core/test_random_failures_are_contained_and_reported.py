"""Random components that send, sleep, stop each other, fail and finish, some watched by onFinish
hooks: every run ends as docs/design.md's failure rule says (tests/core/chaos_model.py lists
what is checked)."""
import random

import pytest
from chaos_model import run_chaos


def test_random_worlds_end_every_way_a_run_can_end():
    outcomes = set(run_chaos(random.Random(seed)) for seed in range(200))
    assert outcomes == {"returned", "failed", "deadlock"}      # (the draws reach all three)


@pytest.mark.parametrize("seed", range(200, 260))
@pytest.mark.watchdog(20)
def test_a_random_world_ends_as_the_failure_rule_says(seed, watchdog):
    run_chaos(random.Random(seed))
