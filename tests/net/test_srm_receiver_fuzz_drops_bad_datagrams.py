"""Fuzz: random, truncated, mutated and forged datagrams fed to the receiver never raise, are
dropped and counted, and the receiver's memory stays bounded; with a key, forged datagrams
cannot inject anything and the genuine stream still arrives complete."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from net_helpers import make_messages, run_receiver, sender_datagrams

from kamaelia_lite.net.srm import HEADER_SIZE, SRMReceiverState, SRMSenderState

KEY = b"shared secret 16"
_TX = SRMSenderState(k=8, m=3, stream_id=77)
GENUINE = sender_datagrams(_TX, make_messages(40, 1, 0, 30))


def _mutate(rnd, d):
    d = bytearray(d)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(3)
        if op == 0 and d:
            d[rnd.randrange(len(d))] = rnd.randrange(256)
        elif op == 1:
            d = d[: rnd.randrange(len(d) + 1)]
        else:
            d += bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 20)))
    return bytes(d)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=80), st.integers(0, 10**6)), max_size=60),
       st.integers(0, 2**31))
def test_receiver_survives_anything(items, seed):
    rnd = random.Random(seed)
    rx = SRMReceiverState(window_blocks=3, max_message=4096)
    for item in items:
        if isinstance(item, int):
            d = _mutate(rnd, GENUINE[item % len(GENUINE)])
        else:
            d = item
        for ev in rx.receive(d, rnd.random()) + rx.tick(rnd.random() * 5):
            assert ev[0] in ("data", "gap", "joined", "resync", "nack")
        assert rx.held() <= 3 * 2 * 256
        assert len(rx._pending) <= rx._pending_limit
    rx.flush()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=HEADER_SIZE, max_size=60), max_size=30), st.integers(0, 2**31))
def test_forged_datagrams_cannot_inject_with_a_key(forged, seed):
    rnd = random.Random(seed)
    tx = SRMSenderState(k=8, m=2, auth=KEY)
    messages = make_messages(30, seed % 1000, 0, 30)
    wire = sender_datagrams(tx, messages)
    attacker = SRMSenderState(k=8, m=2, auth=b"guessed key 1234", stream_id=tx.stream_id)
    evil = sender_datagrams(attacker, [b"EVIL"] * 10)
    mixed = list(wire)
    mutated = [m for m in (_mutate(rnd, w) for w in wire[:10]) if m not in wire]   # not a no-op
    for d in forged + evil + mutated:
        mixed.insert(rnd.randrange(len(mixed) + 1), d)
    rx = SRMReceiverState(auth=KEY)
    data, gaps, _ = run_receiver(rx, mixed)
    assert data == messages and gaps == []
    c = rx.counters
    assert c["forged"] + c["unauthenticated"] + c["malformed"] + c["replayed"] >= len(evil) + len(mutated)


def test_unsigned_stream_refused_by_keyed_receiver_and_vice_versa():
    plain = sender_datagrams(SRMSenderState(k=4, m=1), [b"a", b"b"])
    rx = SRMReceiverState(auth=KEY)
    assert run_receiver(rx, plain)[0] == []
    assert rx.counters["unauthenticated"] == len(plain)
    signed = sender_datagrams(SRMSenderState(k=4, m=1, auth=KEY), [b"a", b"b"])
    rx2 = SRMReceiverState()
    assert run_receiver(rx2, signed)[0] == []
    assert rx2.counters["unauthenticated"] == len(signed)
    assert run_receiver(SRMReceiverState(auth=KEY), signed)[0] == [b"a", b"b"]
