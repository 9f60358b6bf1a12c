"""A Reassembler holds memory in proportion to the fragments that arrived, not to the fragment
count a datagram claims: a 9-byte forged header announcing 65535 fragments must not make it set
aside room for all of them (on a 64 KiB device that alone is a MemoryError a peer caused)."""
import struct
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.framing import MalformedFrame, Reassembler


def _header(mid, index, count):
    return struct.pack(">BIHH", 0xF7, mid, index, count)


def _held(datagrams, **kw):
    """Bytes the Reassembler keeps after being fed ``datagrams`` (traced allocations)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        r = Reassembler(**kw)
        for d in datagrams:
            r.feed(d)
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_forged_fragment_counts_set_aside_no_room():
    # 16 messages each claiming 65535 fragments, one 1-byte fragment each: 160 bytes received
    held = _held([_header(mid, 0, 65535) + b"x" for mid in range(16)])
    assert held < 16 * 1024, held


def test_an_empty_fragment_of_a_fragmented_message_is_malformed():
    # the Fragmenter never sends one: every fragment of a multi-fragment message carries a byte
    r = Reassembler()
    ev = r.feed(_header(1, 0, 2))
    assert len(ev) == 1 and isinstance(ev[0], MalformedFrame) and not ev[0].fatal
    assert r.feed(_header(1, 0, 2) + b"a") == [] and r.feed(_header(1, 1, 2) + b"b") == [b"ab"]


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 65535), st.integers(0, 65535),
                          st.binary(max_size=20)), max_size=40))
@settings(max_examples=60, deadline=None)
def test_memory_held_follows_the_bytes_fed(items):
    datagrams = [_header(mid, index, count) + body for mid, index, count, body in items]
    fed = sum(len(d) for d in datagrams)
    assert _held(datagrams, max_pending=4) <= 4096 + 200 * len(datagrams) + 2 * fed
