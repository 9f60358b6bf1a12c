"""NACK work is bounded by what is held, not by the sequence numbers a datagram names: a
heartbeat claiming the stream is 2^31 datagrams ahead does not make the receiver walk two
billion numbers (4 million per NACK) to list what is missing, and a NACK naming 64 ranges of
65535 datagrams does not make the sender look each one up in its history of 1024. Both cost
about what a small claim costs (on a device, the old walk froze the receiver for many seconds
per NACK; a 400-byte NACK cost a sender a quarter of a second of CPU)."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net import srm


def _best_cpu(fn, runs=3):
    best = None
    for _ in range(runs):
        t = time.process_time()
        out = fn()
        t = time.process_time() - t
        best = t if best is None else min(best, t)
    return best, out


def _stalled_receiver(ahead):
    tx = srm.SRMSenderState(k=4, m=1, stream_id=9, epoch=3)
    rx = srm.SRMReceiverState(nack=True, nack_delay=0.05)
    for d in tx.send(b"hello"):
        rx.receive(d, 0.0)
    rx.receive(srm._header(srm.HEARTBEAT, 0, 9, 1 + ahead, 0, 0, 0, 3), 0.01)
    return rx


def test_a_far_heartbeat_costs_a_nack_no_more_than_a_near_one():
    def nack(ahead):
        rx = _stalled_receiver(ahead)
        return [e for e in rx.tick(1.0) if e[0] == "nack"]

    near, ev = _best_cpu(lambda: nack(100))
    assert srm.parse_nack(ev[0][1])[1] == [(1, 100)]
    far, ev = _best_cpu(lambda: nack((1 << 31) - 10))
    ranges = srm.parse_nack(ev[0][1])[1]
    assert len(ranges) == srm.MAX_NACK_RANGES and ranges[0] == (1, 0xFFFF)
    assert ranges[1] == (1 + 0xFFFF, 0xFFFF)            # contiguous, each as long as allowed
    assert far < 20 * max(near, 1e-3), "far %.4fs, near %.4fs" % (far, near)


def test_the_missing_ranges_skip_what_is_held():
    tx = srm.SRMSenderState(k=8, m=0, stream_id=9, epoch=3)
    wire = [tx.send(b"m%d" % i)[0] for i in range(8)]
    rx = srm.SRMReceiverState(nack=True)
    for i in (0, 3, 4, 7):
        rx.receive(wire[i], 0.0)
    ev = [e for e in rx.tick(1.0) if e[0] == "nack"]
    assert srm.parse_nack(ev[0][1])[1] == [(1, 2), (5, 2)]


def test_a_nack_claiming_millions_costs_the_sender_what_its_history_holds():
    tx = srm.SRMSenderState(k=8, m=1, stream_id=9, epoch=3, history=1024)
    for i in range(40):
        tx.send(b"m%d" % i)
    rx = srm.SRMReceiverState(nack=True)
    rx.stream_id, rx.epoch = 9, 3
    small = rx._nack_datagram([(3, 2)])
    huge = rx._nack_datagram([((i * 0xFFFF) % srm.SEQ_MOD, 0xFFFF) for i in range(64)])
    t_small, out = _best_cpu(lambda: tx.handle_nack(small))
    assert out == [tx._history[3], tx._history[4]]
    t_huge, out = _best_cpu(lambda: tx.handle_nack(huge))
    assert len(out) == 40                               # all it holds of what was asked, once
    assert t_huge < 20 * max(t_small, 1e-3), "huge %.4fs, small %.4fs" % (t_huge, t_small)


def _walked(next_seq, held, end):
    """The missing ranges found by looking at every number (the reference)."""
    ranges = []
    seq = next_seq
    while seq < end and len(ranges) < srm.MAX_NACK_RANGES:
        if seq in held:
            seq += 1
            continue
        start = seq
        while seq < end and seq not in held and seq - start < 0xFFFF:
            seq += 1
        ranges.append((start, seq - start))
    return ranges


@given(st.integers(0, 1000), st.sets(st.integers(1, 140000), max_size=80),
       st.sampled_from([0, 1, 5, 300, 70000, 140001]))
@settings(max_examples=200, deadline=None)
def test_missing_ranges_are_what_walking_every_number_finds(next_seq, offsets, span):
    rx = srm.SRMReceiverState(nack=True)
    rx.next_seq = next_seq
    rx._pending = {next_seq + o: b"" for o in offsets}
    end = next_seq + span
    assert rx._missing_ranges(end) == _walked(next_seq, rx._pending, end)
