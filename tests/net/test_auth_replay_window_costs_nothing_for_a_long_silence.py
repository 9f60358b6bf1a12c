"""A sender heard again after a long silence (its counter far ahead of the last one this receiver
saw: a receiver cut off for a day, a sender that signed millions of datagrams for others) is
accepted at the cost of any other datagram: the replay window does not build a number as wide
as the gap (megabytes for a gap of millions, a MemoryError on a 64 KiB device)."""
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.auth import DatagramAuthenticator

KEY = b"0123456789abcdef"


def _peak_while(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_sender_heard_again_far_ahead_costs_no_memory():
    tx, rx = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY, replay_window=64)
    early = [tx.sign(b"early %d" % i) for i in range(3)]
    assert rx.verify(early[0]) == b"early 0"
    tx._counter = 1 << 26                       # 67 million datagrams later
    later = tx.sign(b"later")
    got = []
    assert _peak_while(lambda: got.append(rx.verify(later))) < 16 * 1024
    assert got == [b"later"]
    assert rx.verify(later) is None and rx.verify(early[1]) is None      # replay, too old
    assert rx.replayed == 2


@given(st.lists(st.integers(1, 1 << 40), min_size=1, max_size=30), st.integers(1, 70))
@settings(max_examples=100, deadline=None)
def test_window_accepts_each_counter_once_and_nothing_too_old(counters, window):
    tx, rx = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY, replay_window=window)
    seen = set()
    highest = 0
    for n in counters:
        tx._counter = n - 1
        ok = rx.verify(tx.sign(b"x")) is not None
        assert ok == (n not in seen and n > highest - window), (n, seen, highest)
        if ok:
            seen.add(n)
            highest = max(highest, n)
