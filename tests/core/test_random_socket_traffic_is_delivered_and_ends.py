"""Random writers and readers on socket pairs, waiting to read and to write: every byte arrives
in order, closed sockets wake their waiters, every run ends (tests/core/io_model.py says what is
built and checked)."""
import random

import pytest
from io_model import run_sockets


@pytest.mark.parametrize("seed", range(30))
def test_random_socket_traffic_arrives_whole_and_the_run_ends(seed, watchdog):
    run_sockets(random.Random(seed))
