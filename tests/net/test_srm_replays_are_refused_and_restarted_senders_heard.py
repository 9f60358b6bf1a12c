"""Signed multicast cannot be replayed, and a restarted sender is heard (sans-IO).

Each attack is reproduced as it was found: 16 recorded, validly signed datagrams of an earlier
stream replayed into a receiver following the live one (it used to switch to them, deliver them
and then lose live datagrams with no gap event); and a sender restarted with the same stream id
(everything it sent was dropped as duplicates)."""
import pytest
from net_helpers import run_receiver, sender_datagrams

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState

KEY = b"a shared key of 24 bytes"


def msgs(tag, n):
    return [b"%s %d" % (tag, i) for i in range(n)]


def test_replayed_datagrams_of_an_earlier_stream_are_refused():
    old = SRMSenderState(k=4, m=1, auth=KEY, stream_id=1)
    recorded = sender_datagrams(old, msgs(b"old", 40))           # an attacker records these
    live = SRMSenderState(k=4, m=1, auth=KEY, stream_id=2)        # a later run of the sender
    live_wire = sender_datagrams(live, msgs(b"live", 40))
    rx = SRMReceiverState(auth=KEY)
    first, gaps1, _ = run_receiver(rx, live_wire[:20], flush=False)
    replayed, gaps2, ev = run_receiver(rx, recorded[:16], flush=False)   # switch_after in a row
    rest, gaps3, ev3 = run_receiver(rx, live_wire[20:])
    assert replayed == [] and not [e for e in ev + ev3 if e[0] == "resync"]
    assert first + rest == msgs(b"live", 40)                      # nothing live was lost
    assert gaps1 == gaps2 == gaps3 == []
    assert rx.counters["replayed"] == 16


def test_a_replay_of_a_restarted_senders_earlier_run_is_refused():
    first_run = SRMSenderState(k=4, m=1, auth=KEY, stream_id=9)
    recorded = sender_datagrams(first_run, msgs(b"yesterday", 30))
    second_run = SRMSenderState(k=4, m=1, auth=KEY, stream_id=9)   # same stream id, restarted
    rx = SRMReceiverState(auth=KEY)
    today = msgs(b"today", 30)
    wire = sender_datagrams(second_run, today)
    mixed = wire[:10] + recorded + wire[10:]
    data, gaps, _ = run_receiver(rx, mixed)
    assert data == today and gaps == []
    assert rx.counters["replayed"] == len(recorded)


@pytest.mark.parametrize("key", [None, KEY])
def test_a_sender_restarted_with_the_same_stream_id_is_heard_at_once(key):
    rx = SRMReceiverState(auth=key)
    before = SRMSenderState(k=16, m=4, auth=key, stream_id=7)
    d1, g1, _ = run_receiver(rx, sender_datagrams(before, msgs(b"before", 300)), flush=False, now=0.0)
    after = SRMSenderState(k=16, m=4, auth=key, stream_id=7)       # restarted: seq from 0 again
    d2, g2, ev = run_receiver(rx, sender_datagrams(after, msgs(b"after", 300)), now=0.5)
    assert d1 == msgs(b"before", 300)
    assert d2 == msgs(b"after", 300) and g1 == g2 == []
    assert ("resync", 7) in ev


def test_an_explicit_epoch_orders_runs_without_a_clock():
    rx = SRMReceiverState()
    run_receiver(rx, sender_datagrams(SRMSenderState(k=4, m=1, stream_id=3, epoch=5), [b"boot 5"]),
                 flush=False)
    older, _, _ = run_receiver(rx, sender_datagrams(SRMSenderState(k=4, m=1, stream_id=3, epoch=4),
                                                    [b"boot 4"]), flush=False)
    newer, _, _ = run_receiver(rx, sender_datagrams(SRMSenderState(k=4, m=1, stream_id=3, epoch=6),
                                                    [b"boot 6"]))
    assert older == [] and newer == [b"boot 6"]


def test_a_nack_for_an_earlier_run_is_not_answered():
    tx_old = SRMSenderState(k=8, m=0, stream_id=5, auth=KEY)
    rx = SRMReceiverState(auth=KEY, nack=True, nack_delay=0.01)
    wire = sender_datagrams(tx_old, msgs(b"m", 8))
    run_receiver(rx, wire[:2] + wire[3:], flush=False, now=0.0)
    nacks = [e[1] for e in rx.tick(1.0) if e[0] == "nack"]
    assert nacks and tx_old.handle_nack(nacks[0])                  # answered by its own run
    tx_new = SRMSenderState(k=8, m=0, stream_id=5, auth=KEY)
    sender_datagrams(tx_new, msgs(b"n", 8))
    assert tx_new.handle_nack(nacks[0]) == []                      # not by a later one
