"""Where a unicast back-channel exists, NACKs repair loss the parity cannot (the sender answers
from its bounded history); what the history no longer holds is reported as a gap."""
import random

from net_helpers import make_messages, sender_datagrams

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState, parse_nack


def _run_with_nacks(tx, rx, wire, loss, seed, history_lost=False):
    rnd = random.Random(seed)
    now = 0.0
    data, gaps, nacks = [], [], 0
    queue = [d for d in wire if rnd.random() >= loss]

    def handle(events):
        nonlocal nacks
        for ev in events:
            if ev[0] == "data":
                data.append(ev[1])
            elif ev[0] == "gap":
                gaps.append(ev[1:])
            elif ev[0] == "nack":
                nacks += 1
                assert ev[1][1] & 0x80 or parse_nack(ev[1]) is not None
                repairs = tx.handle_nack(ev[1])
                queue.extend(d for d in repairs if rnd.random() >= loss)

    while True:
        while queue:
            now += 0.001
            handle(rx.receive(queue.pop(0), now))
        deadline = rx.next_deadline()
        if deadline is None:
            break
        now = max(now, deadline)
        handle(rx.tick(now))
    return data, gaps, nacks


def test_nack_repairs_heavy_loss_completely():
    messages = make_messages(2000, 7)
    tx = SRMSenderState(k=16, m=2, history=4096)
    wire = sender_datagrams(tx, messages)
    rx = SRMReceiverState(nack=True, nack_delay=0.01, nack_retries=10, hold_time=0.5, window_blocks=200)
    data, gaps, nacks = _run_with_nacks(tx, rx, wire, 0.25, 8)
    assert gaps == []
    assert data == messages
    assert nacks > 0 and tx.resent > 0


def test_nack_outside_history_ends_in_exact_gap():
    tx = SRMSenderState(k=8, m=0, history=4)
    messages = [b"m%d" % i for i in range(20)]
    wire = sender_datagrams(tx, messages)
    del wire[2]                       # seq 2: long gone from a 4-datagram history
    rx = SRMReceiverState(nack=True, nack_delay=0.01, nack_retries=2, hold_time=0.1)
    data, gaps, nacks = _run_with_nacks(tx, rx, wire, 0.0, 1)
    assert nacks == 2
    assert gaps == [(2, 2)]
    assert data == messages[:2] + messages[3:]


def test_nack_from_another_stream_or_forged_is_ignored():
    tx = SRMSenderState(k=8, m=0, stream_id=5, auth=b"k" * 16)
    sender_datagrams(tx, [b"x"] * 4)
    other = SRMReceiverState(auth=b"wrong key" * 2, nack=True)
    other.stream_id, other.epoch, other.next_seq = 5, tx.epoch, 0
    assert tx.handle_nack(other._nack_datagram([(0, 2)])) == []
    good = SRMReceiverState(auth=b"k" * 16, nack=True)
    good.stream_id, good.epoch, good.next_seq = 5, tx.epoch, 0
    assert len(tx.handle_nack(good._nack_datagram([(0, 2)]))) == 2
    assert tx.handle_nack(b"\x01\x03garbage") == []


def test_signed_stream_nack_repairs_are_accepted_late():
    """With a key, the retransmitted (identical, signed) datagrams are accepted by a receiver that
    missed them even long after, while forged NACK repairs are not."""
    key = b"k" * 16
    messages = make_messages(600, 8)
    tx = SRMSenderState(k=16, m=1, history=4096, auth=key)
    wire = sender_datagrams(tx, messages)
    rx = SRMReceiverState(auth=key, nack=True, nack_delay=0.01, nack_retries=10, hold_time=0.5,
                          window_blocks=100)
    data, gaps, nacks = _run_with_nacks(tx, rx, wire, 0.2, 3)
    assert gaps == [] and data == messages and nacks > 0
