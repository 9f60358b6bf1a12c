"""At 5% and 10% random loss (with duplication and reordering), a 10,000-datagram stream arrives
complete and in order through the FEC alone (no back-channel); beyond what the FEC covers, every
unrepairable datagram is reported in a gap event with its exact sequence numbers."""
import pytest
from net_helpers import lossy_channel, make_messages, run_receiver, sender_datagrams

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState

N = 10_000


@pytest.mark.parametrize("loss, k, m, seed", [(0.05, 64, 16, 11), (0.10, 64, 20, 12)])
def test_stream_arrives_complete_and_in_order(loss, k, m, seed):
    messages = make_messages(N, seed)
    tx = SRMSenderState(k=k, m=m)
    wire = sender_datagrams(tx, messages)
    received, dropped = lossy_channel(wire, seed, loss, dup=0.01, reorder=0.02)
    assert len(dropped) > loss * len(wire) * 0.8          # the channel really lost that much
    rx = SRMReceiverState()
    data, gaps, _ = run_receiver(rx, received)
    assert gaps == []
    assert data == messages
    assert rx.counters["recovered"] > 0
    assert rx.counters["duplicates"] > 0
    overhead = tx.stats()["overhead"]
    assert overhead == pytest.approx(m / k, rel=0.02)
    print("\nloss %.0f%%: k=%d m=%d overhead %.1f%%, %d lost on the wire, %d repaired"
          % (loss * 100, k, m, overhead * 100, len(dropped), rx.counters["recovered"]))


def _expected_gaps(tx_k, tx_m, wire_kinds, dropped, n):
    """Sequence numbers that the receiver cannot have: lost data in blocks with too few units."""
    missing = set()
    for b0 in range(0, n, tx_k):
        k = min(tx_k, n - b0)
        units = [i for i, (kind, blk) in enumerate(wire_kinds) if blk == b0]
        lost = [i for i in units if i in dropped]
        if len(units) - len(lost) < k:
            for i in lost:
                kind, _ = wire_kinds[i]
                if kind >= 0:
                    missing.add(kind)
    return missing


def test_heavy_loss_gaps_are_exact():
    n, k, m = 2_000, 16, 4
    messages = make_messages(n, 5)
    tx = SRMSenderState(k=k, m=m)
    wire = sender_datagrams(tx, messages)
    # describe each datagram: (data seq or -1 for parity, block start)
    kinds = []
    seq = 0
    for d in wire:
        if d[1] & 0x0F == 0:
            kinds.append((seq, seq - d[10]))
            seq += 1
        else:
            kinds.append((-1, int.from_bytes(d[6:10], "big")))
    received, dropped = lossy_channel(wire, 6, 0.30)
    rx = SRMReceiverState()
    data, gaps, _ = run_receiver(rx, received)
    reported = set()
    for first, last in gaps:
        assert first <= last
        for s in range(first, last + 1):
            assert s not in reported, "a datagram was reported lost twice"
            reported.add(s)
    expected = _expected_gaps(k, m, kinds, dropped, n)
    assert expected, "the loss was meant to exceed what the FEC covers"
    assert reported == expected
    # everything else arrived, in order
    assert data == [messages[i] for i in range(n) if i not in expected]
    assert rx.counters["lost"] == len(expected)


def test_bursts_up_to_m_in_a_block_are_repaired():
    """The code is MDS: any m losses in a block, consecutive ones included (no interleaving)."""
    k, m = 64, 16
    messages = make_messages(k * 20, 21)
    tx = SRMSenderState(k=k, m=m)
    wire = sender_datagrams(tx, messages)
    block = k + m
    kept = []
    for b in range(20):
        units = wire[b * block:(b + 1) * block]
        start = (b * 7) % (block - m)
        kept.extend(units[:start] + units[start + m:])         # a burst of exactly m, anywhere
    rx = SRMReceiverState()
    data, gaps, _ = run_receiver(rx, kept)
    assert gaps == [] and data == messages
    assert rx.counters["recovered"] > 0
