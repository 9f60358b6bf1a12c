"""Random writers and readers on socket pairs, waiting to read and to write: every byte arrives
in order, closed sockets wake their waiters, every run ends (tests/core/io_model.py says what is
built and checked)."""
import random
import signal

import pytest
from io_model import run_sockets


@pytest.fixture
def watchdog():
    """Fail, not hang, if a run never returns."""
    def expired(*_):
        raise TimeoutError("the run did not return within 30 s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("seed", range(30))
def test_random_socket_traffic_arrives_whole_and_the_run_ends(seed, watchdog):
    run_sockets(random.Random(seed))
