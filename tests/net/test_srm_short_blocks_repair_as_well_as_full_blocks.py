"""A short block (closed by ``flush()`` because the producer paused: a live stream sent in bursts, a
lone surtitle) is protected as well as a full block: random loss a full block tolerates does not
leave a stream of short blocks with gaps, and a short block's parity count is what it takes, not
merely the full block's ratio (at 5% loss, blocks of 4 data + 2 parity are unrepairable once per
~1,800 data datagrams, full 64 + 16 blocks once per ~170 million)."""
from math import comb

import pytest
from net_helpers import lossy_channel, make_messages, run_receiver

from kamaelia_lite.net.srm import PARITY, SRMReceiverState, SRMSenderState


def _paced_stream(tx, messages, burst):
    """What SRMSender sends for a producer that delivers ``burst`` messages, then stalls for more
    than ``flush_after``: every burst becomes a short block with its parity and a heartbeat."""
    wire = []
    for i in range(0, len(messages), burst):
        for msg in messages[i:i + burst]:
            wire.extend(tx.send(msg))
        wire.extend(tx.flush())
        wire.append(tx.heartbeat())
    return wire


def _parity_count(k, m, short):
    tx = SRMSenderState(k=k, m=m, history=0)
    for i in range(short):
        tx.send(b"%d" % i)
    out = tx.flush()
    assert all(d[1] & 0x0F == PARITY and d[11] == short and d[12] == len(out) for d in out)
    return len(out)


def _unrepaired_per_datagram(data, parity, loss):
    """Exact odds that random ``loss`` takes more than ``parity`` of a block's datagrams (the block
    cannot be repaired), per data datagram of the block."""
    n = data + parity
    p = sum(comb(n, e) * loss ** e * (1 - loss) ** (n - e) for e in range(parity + 1, n + 1))
    return p / data


@pytest.mark.parametrize("burst", [1, 4, 8])
def test_short_block_after_a_stall_repairs_as_well_as_a_full_block(burst):
    """5% random loss: the same 6,000 messages arrive complete in full blocks and in short blocks
    of a paced producer (1: surtitles; 4: a radio's Ogg page; 8: two pages when the sender ran
    late). Before, the short blocks left gaps (about 2 per 1,000 blocks of 4)."""
    messages = make_messages(6000, 40 + burst, lo=600, hi=1200)
    for paced in (False, True):
        tx = SRMSenderState(k=64, m=16, history=0)
        wire = _paced_stream(tx, messages, burst if paced else len(messages))
        received, dropped = lossy_channel(wire, 7 + burst, 0.05)
        assert len(dropped) > 0.04 * len(wire)
        rx = SRMReceiverState(window_blocks=4)
        data, gaps, _ = run_receiver(rx, received)
        assert gaps == [], ("paced" if paced else "full blocks", burst)
        assert data == messages


def test_two_lost_datagrams_and_a_lost_parity_of_a_4_datagram_block_are_repaired():
    """The radio's flake, replayed: pages of 4 datagrams, each flushed as a block; block 120..123
    lost datagrams 121 and 122 and a parity datagram ("lost datagrams 121..122 (could not be
    repaired)" with only 2 parity per block)."""
    messages = make_messages(200, 3)
    tx = SRMSenderState(k=64, m=16)
    wire = _paced_stream(tx, messages, 4)
    seq = lambda d: int.from_bytes(d[6:10], "big")  # noqa: E731
    kind = lambda d: d[1] & 0x0F  # noqa: E731
    lost = [d for d in wire if (kind(d) == 0 and seq(d) in (121, 122))
            or (kind(d) == PARITY and seq(d) == 120 and d[10] == 0)]
    assert len(lost) == 3
    rx = SRMReceiverState()
    data, gaps, _ = run_receiver(rx, [d for d in wire if d not in lost])
    assert gaps == []
    assert data == messages
    assert rx.counters["recovered"] == 2


@pytest.mark.parametrize("k, m", [(64, 16), (64, 12), (64, 20), (32, 4), (16, 4), (128, 32), (8, 2)])
def test_a_short_block_tolerates_the_loss_a_full_block_does(k, m):
    """For every short block size and every random loss rate at which full blocks fail at most once
    per million data datagrams, short blocks do too; never more parity than a full block has."""
    rates = [r / 1000 for r in range(1, 200)]
    tolerated = [r for r in rates if _unrepaired_per_datagram(k, m, r) <= 1e-6]
    assert tolerated
    for short in range(1, k):
        p = _parity_count(k, m, short)
        assert p <= m
        for loss in tolerated:
            assert _unrepaired_per_datagram(short, p, loss) <= 1e-6, (short, p, loss)


def test_a_short_block_repairs_any_losses_up_to_its_parity_count():
    """Real sender and receiver: for a short block of 4 (the radio's page), every way of losing as
    many datagrams as it has parity is repaired."""
    from itertools import combinations

    tx = SRMSenderState(k=64, m=16)
    messages = make_messages(4, 9, lo=100, hi=1200)
    block = []
    for msg in messages:
        block.extend(tx.send(msg))
    block.extend(tx.flush())
    parity = len(block) - 4
    for lost in combinations(range(len(block)), parity):
        rx = SRMReceiverState()
        data, gaps, _ = run_receiver(rx, [d for i, d in enumerate(block) if i not in lost])
        assert (data, gaps) == (messages, []), lost
