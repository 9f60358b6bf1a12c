"""Datagram packetising: byte streams cut into datagrams <= max size; messages fragmented and
reassembled despite reordering and duplication; loss reported, never silent; bad datagrams
rejected with the documented error; pending state bounded."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.framing import (
    Fragmenter,
    FragmentsLost,
    FrameTooLarge,
    FramingError,
    MalformedFrame,
    Packetiser,
    Reassembler,
    split_packets,
)


@given(st.lists(st.binary(max_size=500), max_size=20), st.integers(min_value=1, max_value=300))
@settings(max_examples=200, deadline=None)
def test_packetiser_emits_full_datagrams_and_reassembles_by_concatenation(chunks, size):
    p = Packetiser(size)
    out = []
    for c in chunks:
        out += p.feed(c)
        assert p.pending < size
    out += p.flush()
    assert all(len(d) == size for d in out[:-1]) and all(0 < len(d) <= size for d in out)
    assert b"".join(out) == b"".join(chunks)
    assert split_packets(b"".join(chunks), size) == out


@given(st.lists(st.binary(max_size=2000), max_size=12), st.integers(min_value=10, max_value=200),
       st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_fragments_reassemble_despite_reordering_and_duplicates(messages, mtu, rnd):
    f = Fragmenter(max_datagram=mtu)
    r = Reassembler(max_message=2000, max_pending=len(messages) + 1)
    datagrams = []
    for m in messages:
        ds = f.encode(m)
        assert all(len(d) <= mtu for d in ds)
        datagrams += ds
    datagrams += datagrams[: len(datagrams) // 3]       # duplicates
    rnd.shuffle(datagrams)
    got = []
    for d in datagrams:
        got += r.feed(d)
    assert sorted(got) == sorted(messages)
    assert r.close() == [] and r.pending == 0


def test_lost_fragment_is_reported_as_a_gap_on_eviction_and_on_close():
    f = Fragmenter(max_datagram=20)
    r = Reassembler(max_pending=2)
    first = f.encode(b"a" * 50)
    events = [r.feed(d) for d in first[1:]]          # fragment 0 lost
    assert all(e == [] for e in events)
    for m in (b"b" * 50, b"c" * 50):
        ds = f.encode(m)
        for d in ds[:-1]:
            events = r.feed(d)
            if events:
                assert isinstance(events[0], FragmentsLost) and events[0].msg_id == 0
    tail = r.close()
    assert len(tail) == 2 and all(isinstance(e, FragmentsLost) for e in tail)
    assert tail[0].size == 4 and tail[0].limit == 5


@given(st.lists(st.binary(max_size=100), max_size=50))
@settings(max_examples=300, deadline=None)
def test_random_datagrams_yield_only_documented_events_and_bounded_state(datagrams):
    r = Reassembler(max_message=1000, max_pending=4)
    for d in datagrams:
        for ev in r.feed(d):
            assert isinstance(ev, (bytes, FramingError))
            if isinstance(ev, FramingError):
                assert not ev.fatal
                assert isinstance(ev, (MalformedFrame, FrameTooLarge, FragmentsLost))
        assert len(r._order) <= 4 and r.pending <= 4 * 1000


def test_forged_header_that_grows_a_message_beyond_the_limit_is_refused():
    import struct
    r = Reassembler(max_message=100)
    ev = []
    for i in range(5):
        ev += r.feed(struct.pack(">BIHH", 0xF7, 9, i, 60000) + b"z" * 40)
    assert any(isinstance(e, FrameTooLarge) for e in ev)
    assert r.pending <= 100
    assert r.feed(b"\x00" * 3)[0].__class__ is MalformedFrame
    assert isinstance(r.feed(b"\xf7" + b"\0" * 8)[0], MalformedFrame)       # count 0


def test_large_message_over_many_datagrams():
    data = random.Random(1).randbytes(100000)
    f = Fragmenter(max_datagram=1400, max_message=200000)
    r = Reassembler(max_message=200000)
    ds = f.encode(data)
    assert len(ds) == 72       # ceil(100000 / (1400 - 9))
    got = []
    for d in reversed(ds):
        got += r.feed(d)
    assert got == [data]
