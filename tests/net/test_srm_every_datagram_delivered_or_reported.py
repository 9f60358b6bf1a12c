"""Property (hypothesis): whatever the FEC settings, message sizes, loss, duplication and
reordering, the receiver delivers messages in order without duplicates, and every sequence
number is accounted for exactly once: delivered (or repaired), inside exactly one gap, or a
fragment of a message that a gap cut (dropped whole, as documented)."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState


@settings(max_examples=120, deadline=None)
@given(k=st.integers(1, 40), m=st.integers(0, 10), n=st.integers(1, 300),
       loss=st.floats(0.0, 0.6), dup=st.floats(0.0, 0.2), reorder=st.floats(0.0, 0.3),
       reach=st.integers(1, 30), window=st.integers(1, 6), seed=st.integers(0, 2**32))
def test_exact_accounting(k, m, n, loss, dup, reorder, reach, window, seed):
    rnd = random.Random(seed)
    tx = SRMSenderState(k=k, m=m, max_payload=64)
    messages = [i.to_bytes(4, "big") * rnd.randint(1, 20) for i in range(n)]   # some fragment
    seq_of = []          # message index -> the data sequence numbers carrying it
    wire = []
    for msg in messages:
        first = tx.seq
        wire.extend(tx.send(msg))
        seq_of.append(range(first, tx.seq))
    wire.extend(tx.flush())
    wire.append(tx.heartbeat())
    chan = []
    for d in wire:
        if rnd.random() < loss:
            continue
        chan.append(d)
        if rnd.random() < dup:
            chan.append(d)
    for i in range(len(chan) - 1):
        if rnd.random() < reorder:
            j = min(len(chan) - 1, i + rnd.randint(1, reach))
            chan[i], chan[j] = chan[j], chan[i]
    rx = SRMReceiverState(window_blocks=window)
    events = []
    for d in chan:
        events.extend(rx.receive(d, 0.0))
    events.extend(rx.flush())
    joined = [e[1] for e in events if e[0] == "joined"]
    if not joined:
        assert not [e for e in events if e[0] in ("data", "gap")]
        return
    start = joined[0]
    delivered = [e[1] for e in events if e[0] == "data"]
    gap_seqs = []
    for e in events:
        if e[0] == "gap":
            assert e[1] <= e[2]
            gap_seqs.extend(range(e[1], e[2] + 1))
    assert len(gap_seqs) == len(set(gap_seqs)), "a sequence number reported lost twice"
    lost = set(gap_seqs)
    assert min(lost, default=start) >= start
    # what the receiver can know exists: below the highest seq any arrived datagram reveals
    horizon = start
    for d in chan:
        kind, seq = d[1] & 0x0F, int.from_bytes(d[6:10], "big")
        horizon = max(horizon, seq + d[11] if kind == 1 else seq if kind == 2 else seq + 1)
    # expected: every message from the join point to the horizon none of whose datagrams is lost
    expected = [messages[i] for i in range(n)
                if seq_of[i][0] >= start and seq_of[i][-1] < horizon
                and not any(s in lost for s in seq_of[i])]
    assert delivered == expected
    # accounting: every seq from the join point up to the last one known is delivered or lost
    covered = set(lost)
    for i in range(n):
        # delivered, or the message was cut by a gap (its other fragments are dropped with it)
        if messages[i] in expected or any(s in lost for s in seq_of[i]):
            covered.update(seq_of[i])
    # (minus the fragments of a message begun before the join point or ending past the horizon)
    assert covered >= set(range(start, horizon)) - _straddling(seq_of, horizon) - _straddling(seq_of, start)
    assert max(lost, default=start) < max(horizon, start + 1)
    if horizon < tx.seq:
        assert loss > 0        # only loss can hide the tail from the receiver


def _straddling(seq_of, point):
    """Seqs of the message that begins before ``point`` and ends at or after it."""
    for r in seq_of:
        if r[0] < point <= r[-1]:
            return set(r)
    return set()
