"""Random sequences of link, unlink and stop, checked after every step against a model of
routing (tests/core/link_model.py, which says what is modelled)."""
import random

import pytest
from link_model import run_sequence


@pytest.mark.parametrize("seed", range(40))
def test_random_link_unlink_and_stop_sequences_deliver_as_the_model_says(seed):
    run_sequence(random.Random(seed))
