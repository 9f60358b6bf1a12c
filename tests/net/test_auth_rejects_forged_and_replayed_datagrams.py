"""DatagramAuthenticator: a signed datagram verifies once; tampered, wrongly keyed, truncated
and replayed datagrams are refused (None) and counted; the replay window tolerates reordering."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamaelia_lite.net.auth import DatagramAuthenticator

KEY = b"0123456789abcdef"


def test_sign_verify_round_trip_and_overhead():
    tx, rx = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY)
    wire = tx.sign(b"hello")
    assert len(wire) == 5 + tx.overhead == 5 + 28
    assert rx.verify(wire) == b"hello"
    assert rx.verify(tx.sign(b"")) == b""
    assert rx.stats() == {"verified": 2, "forged": 0, "replayed": 0, "malformed": 0}


def test_tampered_and_wrong_key_are_forged():
    tx, rx = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY)
    wire = bytearray(tx.sign(b"surtitle 12"))
    for pos in (0, 10, len(wire) - 1, len(wire) - 20):
        bad = bytearray(wire)
        bad[pos] ^= 1
        assert rx.verify(bytes(bad)) is None
    assert rx.verify(DatagramAuthenticator(b"another key!!!!!").sign(b"x")) is None
    assert rx.forged == 5 and rx.verified == 0
    assert rx.verify(b"short") is None and rx.malformed == 1


def test_replays_refused_reordering_within_window_accepted():
    tx, rx = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY, replay_window=8)
    wires = [tx.sign(b"%d" % i) for i in range(20)]
    assert rx.verify(wires[5]) == b"5"
    assert rx.verify(wires[3]) == b"3"          # late but within the window
    assert rx.verify(wires[3]) is None          # replay
    assert rx.verify(wires[19]) == b"19"
    assert rx.verify(wires[6]) is None          # 13 behind the newest: outside the window
    assert rx.replayed == 2
    no_check = DatagramAuthenticator(KEY, replay_window=0)
    assert no_check.verify(wires[0]) == no_check.verify(wires[0]) == b"0"


def test_several_senders_tracked_independently():
    a, b = DatagramAuthenticator(KEY), DatagramAuthenticator(KEY)
    rx = DatagramAuthenticator(KEY, max_senders=1)
    wa, wb = a.sign(b"a"), b.sign(b"b")
    assert rx.verify(wa) == b"a" and rx.verify(wb) == b"b"


def test_bad_parameters():
    with pytest.raises(ValueError):
        DatagramAuthenticator(KEY, tag_size=4)
    with pytest.raises(TypeError):
        DatagramAuthenticator(1234)


@given(st.binary(max_size=120))
def test_random_bytes_never_verify_nor_raise(data):
    rx = DatagramAuthenticator(KEY)
    assert rx.verify(data) is None
    assert rx.forged + rx.malformed == 1
