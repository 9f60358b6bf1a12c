"""Messages longer than max_payload are split and put together again; a message cut by a gap is
dropped whole (the gap reports it) without corrupting its neighbours; sequence numbers wrap at
2**32 seamlessly."""
import pytest
from net_helpers import lossy_channel, make_messages, run_receiver, sender_datagrams

from kamaelia_lite.net.srm import SRMError, SRMReceiverState, SRMSenderState


def test_large_messages_are_fragmented_and_reassembled_through_loss():
    messages = [bytes([i % 251]) * (i * 37 % 3000 + 1) for i in range(300)]
    tx = SRMSenderState(k=32, m=8, max_payload=256)
    wire = sender_datagrams(tx, messages)
    assert tx.sent_data > len(messages)
    received, _ = lossy_channel(wire, 3, 0.05, reorder=0.05)
    data, gaps, _ = run_receiver(SRMReceiverState(), received)
    assert gaps == [] and data == messages


def test_message_cut_by_gap_is_dropped_whole():
    tx = SRMSenderState(k=64, m=0, max_payload=4)
    wire = sender_datagrams(tx, [b"aaaa", b"bbbbbbbbbbbb", b"cccc"])
    assert len(wire) == 5                      # a, b1, b2, b3, c
    del wire[2]                                # b2
    data, gaps, _ = run_receiver(SRMReceiverState(), wire)
    assert data == [b"aaaa", b"cccc"]
    assert gaps == [(2, 2)]


def test_oversized_reassembly_is_dropped_and_counted():
    tx = SRMSenderState(k=64, m=0, max_payload=100)
    wire = sender_datagrams(tx, [b"x" * 1000, b"ok"])
    rx = SRMReceiverState(max_message=500)
    data, gaps, _ = run_receiver(rx, wire)
    assert data == [b"ok"] and rx.counters["oversized"] == 1


def test_sequence_numbers_wrap():
    messages = make_messages(500, 9)
    tx = SRMSenderState(k=16, m=4, first_seq=(1 << 32) - 100)
    wire = sender_datagrams(tx, messages)
    received, _ = lossy_channel(wire, 4, 0.05, reorder=0.02)
    data, gaps, _ = run_receiver(SRMReceiverState(), received)
    assert gaps == [] and data == messages


def test_bad_parameters_are_refused():
    with pytest.raises(SRMError):
        SRMSenderState(k=0)
    with pytest.raises(SRMError):
        SRMSenderState(k=200, m=100)
    with pytest.raises(SRMError):
        SRMSenderState(max_payload=70000)
