"""Random rings of components sleeping on short timers and messaging each other: no timer fires
early or ends a later sleep, every timer fires (tests/core/timer_model.py says what is checked)."""
import random

import pytest
from timer_model import run_timers


@pytest.mark.parametrize("seed", range(8))
def test_random_sleepers_are_never_woken_early_and_always_woken(seed):
    assert run_timers(random.Random(seed)) > 50
