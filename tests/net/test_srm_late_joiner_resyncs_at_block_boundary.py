"""A receiver that starts mid-stream joins at the next block boundary and gets everything from
there on, complete; one present from the start gets everything even when the first datagram is
lost; a restarted sender (new stream id) is followed with a resync event."""
from net_helpers import make_messages, run_receiver, sender_datagrams

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState


def test_late_joiner_starts_at_next_block():
    messages = make_messages(400, 1)
    tx = SRMSenderState(k=16, m=4)
    wire = sender_datagrams(tx, messages)
    # start listening in the middle of block 3 (block = 16 data + 4 parity datagrams)
    start = 3 * 20 + 7
    rx = SRMReceiverState()
    data, gaps, events = run_receiver(rx, wire[start:])
    assert ("joined", 64) in events
    assert gaps == []
    assert data == messages[64:]
    assert rx.counters["before_join"] > 0


def test_late_joiner_first_datagram_lost_still_resyncs():
    messages = make_messages(200, 2)
    tx = SRMSenderState(k=16, m=4)
    wire = sender_datagrams(tx, messages)
    # joins during block 2; block 3's first data datagram (index 0) is lost: parity repairs it
    tail = wire[2 * 20 + 5:]
    del tail[20 - 5]
    rx = SRMReceiverState()
    data, gaps, events = run_receiver(rx, tail)
    assert gaps == []
    assert data == messages[48:]
    assert rx.counters["recovered"] == 1


def test_receiver_present_at_start_gets_first_block_even_if_its_first_datagram_is_lost():
    messages = make_messages(50, 3)
    tx = SRMSenderState(k=16, m=4)
    wire = sender_datagrams(tx, messages)
    rx = SRMReceiverState()
    data, gaps, _ = run_receiver(rx, wire[1:])
    assert gaps == []
    assert data == messages


def test_idle_sender_heartbeat_lets_a_joiner_start_at_once():
    tx = SRMSenderState(k=16, m=4)
    sender_datagrams(tx, make_messages(5, 4))          # a short block, flushed: sender is idle
    rx = SRMReceiverState()
    events = rx.receive(tx.heartbeat(), 0.0)
    assert events == [("joined", 5)]
    data, gaps, _ = run_receiver(rx, tx.send(b"next surtitle") + tx.flush())
    assert data == [b"next surtitle"] and gaps == []


def test_restarted_sender_is_followed_after_silence():
    rx = SRMReceiverState(hold_time=1.0)
    a = SRMSenderState(k=4, m=1, stream_id=1)
    b = SRMSenderState(k=4, m=1, stream_id=2, first_seq=1000)
    d1, g1, _ = run_receiver(rx, sender_datagrams(a, [b"a1", b"a2"]), flush=False, now=0.0)
    d2, g2, ev = run_receiver(rx, sender_datagrams(b, [b"b1", b"b2"]), flush=False, now=5.0)
    assert d1 == [b"a1", b"a2"] and d2 == [b"b1", b"b2"]
    assert ("resync", 2) in ev and g1 == g2 == []


def test_restarted_sender_is_followed_at_once_if_the_old_one_stopped_abruptly():
    """No silence in between (now never advances): after switch_after datagrams in a row of the
    new stream it is followed, and those datagrams are not lost."""
    rx = SRMReceiverState(switch_after=8)
    a = SRMSenderState(k=4, m=1, stream_id=1)
    b = SRMSenderState(k=4, m=1, stream_id=2)
    run_receiver(rx, sender_datagrams(a, [b"a%d" % i for i in range(6)]), flush=False)
    new = [b"b%d" % i for i in range(20)]
    data, gaps, ev = run_receiver(rx, sender_datagrams(b, new), flush=False)
    assert ("resync", 2) in ev
    assert data == new and gaps == []


def test_second_sender_interleaved_on_the_group_is_ignored():
    rx = SRMReceiverState(switch_after=8)
    a = SRMSenderState(k=4, m=1, stream_id=1)
    other = SRMSenderState(k=4, m=1, stream_id=2)
    mine = [b"mine %d" % i for i in range(40)]
    wire_a = sender_datagrams(a, mine)
    wire_o = sender_datagrams(other, [b"other %d" % i for i in range(40)])
    mixed = []
    for i in range(max(len(wire_a), len(wire_o))):
        mixed.extend(wire_a[i:i + 1] + wire_o[i:i + 1])
    data, gaps, ev = run_receiver(rx, mixed)
    assert data == mine and gaps == []
    assert not [e for e in ev if e[0] == "resync"]
    assert rx.counters["other_stream"] == len(wire_o)
