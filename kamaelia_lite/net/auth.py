"""Datagram authentication with HMAC-SHA256 and a shared key (CPython and MicroPython).

MicroPython has ``hashlib.sha256`` but no ``hmac`` module, so HMAC (RFC 2104) is built here from
``hashlib``; the same file runs on both. Nothing in this module does I/O.

Small API (the whole of it)::

    from kamaelia_lite.net.auth import DatagramAuthenticator

    auth = DatagramAuthenticator(b"shared secret")      # same key on every host
    wire = auth.sign(b"payload")                        # payload + 28-byte trailer
    payload = auth.verify(wire)                         # b"payload", or None (dropped and counted)
    auth.forged, auth.replayed, auth.malformed          # drop counters

Wire format of a signed datagram (big-endian)::

    payload (any length) | sender id (4 bytes) | counter (8 bytes) | tag (tag_size bytes, default 16)

``tag`` is the first ``tag_size`` bytes of HMAC-SHA256(key, payload | sender id | counter).
``sender id`` is random per :class:`DatagramAuthenticator` instance and ``counter`` counts up from 1
for every datagram it signs, so receivers can refuse replays: with ``replay_window=W`` (default 64) a
verifier accepts each (sender id, counter) once, and refuses counters more than ``W`` behind the
highest one seen from that sender. It remembers up to ``max_senders`` senders (least recently
heard forgotten first). Replay protection therefore covers what a receiver has seen since it
started: a receiver started later can be fed a recording of an older stream whose sender id it
never saw. ``replay_window=0`` turns the check off (the trailer is the same).

Also exported: :func:`hmac_sha256` (key, message) -> 32-byte digest, and :func:`compare_digest`
(constant-time comparison of two byte strings).
"""

import hashlib

try:
    from os import urandom as _urandom
except ImportError:  # pragma: no cover - some MicroPython ports
    try:
        from urandom import getrandbits as _getrandbits
    except ImportError:
        from random import getrandbits as _getrandbits

    def _urandom(n):
        return bytes([_getrandbits(8) for _ in range(n)])


BLOCK_SIZE = 64          # SHA-256 block size in bytes
DIGEST_SIZE = 32
SENDER_ID_SIZE = 4
COUNTER_SIZE = 8
DEFAULT_TAG_SIZE = 16
MIN_TAG_SIZE = 8

_IPAD = bytes([0x36]) * BLOCK_SIZE
_OPAD = bytes([0x5C]) * BLOCK_SIZE


def _xor_pad(key, pad):
    return bytes([k ^ p for k, p in zip(key, pad)])


def _prepare_key(key):
    """Key as HMAC wants it: hashed when longer than a block, zero-padded to a block."""
    if isinstance(key, str):
        key = key.encode()
    if not isinstance(key, (bytes, bytearray)):
        raise TypeError("HMAC key must be bytes or str")
    key = bytes(key)
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    return key + bytes(BLOCK_SIZE - len(key))


def _has_copy():
    try:
        hashlib.sha256(b"").copy()
        return True
    except AttributeError:
        return False


_HAS_COPY = _has_copy()


class HMACSHA256:
    """A keyed HMAC-SHA256 function: ``HMACSHA256(key).digest(msg)`` (the key is prepared once).

    On CPython the inner and outer hash states after the key block are kept and copied for each
    message (two SHA-256 block computations saved per call); MicroPython's hash objects cannot be
    copied, so there the key blocks are hashed every time.
    """

    def __init__(self, key):
        k = _prepare_key(key)
        self._ikey = _xor_pad(k, _IPAD)
        self._okey = _xor_pad(k, _OPAD)
        if _HAS_COPY:
            self._inner = hashlib.sha256(self._ikey)
            self._outer = hashlib.sha256(self._okey)
        else:
            self._inner = self._outer = None

    def digest(self, *parts):
        """HMAC-SHA256 of the concatenation of the byte strings ``parts`` (32 bytes)."""
        if self._inner is not None:
            h = self._inner.copy()
            for p in parts:
                h.update(p)
            o = self._outer.copy()
            o.update(h.digest())
            return o.digest()
        h = hashlib.sha256(self._ikey)
        for p in parts:
            h.update(p)
        o = hashlib.sha256(self._okey)
        o.update(h.digest())
        return o.digest()


def hmac_sha256(key, msg):
    """HMAC-SHA256 (RFC 2104) of bytes ``msg`` under bytes ``key``: 32 bytes."""
    return HMACSHA256(key).digest(msg)


def compare_digest(a, b):
    """True when byte strings ``a`` and ``b`` are equal; time depends on length only, not content."""
    if len(a) != len(b):
        return False
    diff = 0
    for x, y in zip(a, b):
        diff |= x ^ y
    return diff == 0


class _ReplayWindow:
    """Per-sender sliding window of accepted counters (highest seen + bitmask of the last W)."""

    def __init__(self, window, max_senders):
        self.window = window
        self.max_senders = max_senders
        self._senders = {}     # sender id -> [highest, mask, last_use]
        self._clock = 0

    def check(self, sender, counter):
        """True when (sender, counter) is new and within the window (does not record it)."""
        entry = self._senders.get(sender)
        if entry is None:
            return True
        highest = entry[0]
        if counter > highest:
            return True
        behind = highest - counter
        if behind >= self.window:
            return False
        return not (entry[1] >> behind) & 1

    def record(self, sender, counter):
        self._clock += 1
        entry = self._senders.get(sender)
        if entry is None:
            if len(self._senders) >= self.max_senders:
                oldest = None
                for sid in self._senders:
                    if oldest is None or self._senders[sid][2] < self._senders[oldest][2]:
                        oldest = sid
                del self._senders[oldest]
            self._senders[sender] = [counter, 1, self._clock]
            return
        highest = entry[0]
        full = (1 << self.window) - 1
        if counter > highest:
            ahead = counter - highest
            # (far ahead, nothing remembered stays in the window: no number as wide as the gap)
            entry[1] = ((entry[1] << ahead) | 1) & full if ahead < self.window else 1
            entry[0] = counter
        else:
            entry[1] |= 1 << (highest - counter)
        entry[2] = self._clock


class DatagramAuthenticator:
    """Sign outgoing datagrams and verify incoming ones with a shared key.

    ``key``: bytes or str, the same on every host (at least 16 random bytes recommended).
    ``tag_size``: bytes of the HMAC kept in each datagram (8..32, default 16).
    ``replay_window``: counters accepted behind the newest per sender (0 = no replay check).
    ``max_senders``: senders remembered by the replay check.

    Counters (read them, they only grow): ``verified``, ``forged`` (bad tag), ``replayed``,
    ``malformed`` (too short to hold a trailer).
    """

    def __init__(self, key, tag_size=DEFAULT_TAG_SIZE, replay_window=64, max_senders=32):
        if not (MIN_TAG_SIZE <= tag_size <= DIGEST_SIZE):
            raise ValueError("tag_size must be between %d and %d" % (MIN_TAG_SIZE, DIGEST_SIZE))
        if replay_window < 0:
            raise ValueError("replay_window must be >= 0")
        self._mac = HMACSHA256(key)
        self.tag_size = tag_size
        self.overhead = SENDER_ID_SIZE + COUNTER_SIZE + tag_size
        self.sender_id = _urandom(SENDER_ID_SIZE)
        self._counter = 0
        self._window = _ReplayWindow(replay_window, max_senders) if replay_window else None
        self.verified = 0
        self.forged = 0
        self.replayed = 0
        self.malformed = 0

    def sign(self, payload):
        """``payload`` + trailer (sender id, counter, tag): the bytes to put on the wire."""
        self._counter += 1
        trailer = self.sender_id + self._counter.to_bytes(COUNTER_SIZE, "big")
        tag = self._mac.digest(payload, trailer)[: self.tag_size]
        return bytes(payload) + trailer + tag

    def verify(self, datagram):
        """The payload of an authentic, fresh ``datagram``; None (and a counter bumped) otherwise."""
        n = len(datagram) - self.overhead
        if n < 0:
            self.malformed += 1
            return None
        datagram = bytes(datagram)
        end = n + SENDER_ID_SIZE + COUNTER_SIZE
        payload = datagram[:n]
        trailer = datagram[n:end]
        expected = self._mac.digest(payload, trailer)[: self.tag_size]
        if not compare_digest(expected, datagram[end:]):
            self.forged += 1
            return None
        if self._window is not None:
            sender = trailer[:SENDER_ID_SIZE]
            counter = int.from_bytes(trailer[SENDER_ID_SIZE:], "big")
            if not self._window.check(sender, counter):
                self.replayed += 1
                return None
            self._window.record(sender, counter)
        self.verified += 1
        return payload

    def stats(self):
        """Counters as a dict: verified, forged, replayed, malformed."""
        return {"verified": self.verified, "forged": self.forged,
                "replayed": self.replayed, "malformed": self.malformed}
