"""The GF(256) erasure code rebuilds a block from any k of its k + m units, and refuses (with
ValueError) when fewer are left."""
import random

import pytest

from kamaelia_lite.net import fec


@pytest.mark.parametrize("k, m", [(1, 1), (1, 3), (5, 1), (16, 4), (64, 16), (200, 56)])
def test_any_m_erasures_are_rebuilt(k, m):
    rnd = random.Random(k * 1000 + m)
    for _ in range(5):
        units = [bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 40))) for _ in range(k)]
        parity = fec.encode(units, m)
        length = len(parity[0])
        assert length == max(len(u) for u in units)
        lost = rnd.sample(range(k + m), m)
        data = {i: units[i] for i in range(k) if i not in lost}
        par = {j: parity[j] for j in range(m) if k + j not in lost}
        rebuilt = fec.decode(k, data, par)
        assert sorted(rebuilt) == sorted(i for i in lost if i < k)
        for i, u in rebuilt.items():
            assert u == units[i] + bytes(length - len(units[i]))


def test_row_zero_is_plain_xor():
    units = [b"\x01\x02", b"\x10\x20", b"\xff"]
    assert fec.encode(units, 1) == [bytes([0x01 ^ 0x10 ^ 0xFF, 0x02 ^ 0x20])]


def test_too_many_losses_is_a_value_error():
    units = [b"abc", b"def", b"ghi"]
    parity = fec.encode(units, 1)
    with pytest.raises(ValueError):
        fec.decode(3, {0: units[0]}, {0: parity[0]})


def test_field_arithmetic():
    for a in range(1, 256):
        assert fec.gf_mul(a, fec.gf_inv(a)) == 1
    assert fec.gf_mul(0, 7) == 0
    with pytest.raises(ZeroDivisionError):
        fec.gf_inv(0)
