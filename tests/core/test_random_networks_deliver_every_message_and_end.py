"""Random networks of sources, relays and sinks (bounded, growing and lossy boxes; waits for
room, timers, idle steps) run to the end and deliver every message, each source's in order
(tests/core/flow_model.py says what is built and checked)."""
import random

import pytest
from flow_model import run_network


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.watchdog(20)
def test_a_random_network_delivers_every_message_in_order_and_ends(seed, watchdog):
    assert run_network(random.Random(seed)) > 0
