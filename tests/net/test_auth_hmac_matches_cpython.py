"""auth.py's HMAC-SHA256 (built from hashlib, for MicroPython) equals CPython's hmac module for
keys shorter, equal to and longer than the block size, and compare_digest behaves."""
import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from kamaelia_lite.net.auth import HMACSHA256, compare_digest, hmac_sha256


def test_rfc4231_case_2():
    assert hmac_sha256(b"Jefe", b"what do ya want for nothing?").hex() == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


@given(st.binary(max_size=200), st.binary(max_size=300))
def test_same_as_hmac_module(key, msg):
    expected = hmac.new(key, msg, hashlib.sha256).digest()
    assert hmac_sha256(key, msg) == expected
    assert HMACSHA256(key).digest(msg[:7], msg[7:]) == expected


def test_str_key_is_utf8():
    assert hmac_sha256("clé", b"x") == hmac.new("clé".encode(), b"x", hashlib.sha256).digest()


def test_compare_digest():
    assert compare_digest(b"abc", b"abc")
    assert not compare_digest(b"abc", b"abd")
    assert not compare_digest(b"abc", b"ab")
    assert compare_digest(b"", b"")
