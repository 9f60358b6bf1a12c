"""Checks a Vorbis setup header's codebooks before libvorbis sees them (pure logic).

libvorbis allocates each codebook as it reads it: a book of 2**23 entries is described in a
dozen bytes, so a 3 KB setup header can make it allocate 2 GB (and take seconds) before it
finds the header invalid; where memory is short, an allocation fails and libvorbis writes
through the NULL pointer (a segfault). Real encoders' setup headers hold some 20-45 books with
about 15,000 entries and 65,000 values in all; :func:`setup_header_problem` refuses books that
together hold more than :data:`MAX_ENTRIES` entries or :data:`MAX_VALUES` values (entries times
dimensions), a zero-dimension book (which libvorbis divides by) and a truncated codebook list.

The bit layout is the Vorbis I specification's (section 3.2.1): bits are read least
significant first.
"""

from typing import Optional

__all__ = ["setup_header_problem", "MAX_ENTRIES", "MAX_VALUES"]

MAX_ENTRIES = 1 << 20
MAX_VALUES = 1 << 21
_SYNC = 0x564342


class _Bits:
    """Reads little-endian bit fields of up to 32 bits from ``data``."""

    def __init__(self, data: bytes, byte: int) -> None:
        self.data = data
        self.pos = 8 * byte
        self.end = 8 * len(data)

    def read(self, n: int) -> int:
        if self.pos + n > self.end:
            raise EOFError
        b = self.pos >> 3
        v = int.from_bytes(self.data[b:b + 5], "little") >> (self.pos & 7)
        self.pos += n
        return v & ((1 << n) - 1)

    def skip(self, n: int) -> None:
        if self.pos + n > self.end:
            raise EOFError
        self.pos += n


def _lookup1_values(entries: int, dim: int) -> int:
    """The largest v with v ** dim <= entries (the spec's lookup1_values)."""
    if dim > 24:
        return 1  # 2 ** dim exceeds any 24-bit entry count
    v = int(round(entries ** (1.0 / dim)))
    while v > 0 and v ** dim > entries:
        v -= 1
    while (v + 1) ** dim <= entries:
        v += 1
    return v


def setup_header_problem(packet: bytes) -> Optional[str]:
    """None if the setup header's codebooks are within bounds, else why not (one line)."""
    if len(packet) < 8 or packet[:7] != b"\x05vorbis":
        return "not a Vorbis setup header"
    bits = _Bits(packet, 7)
    entries_total = 0
    values_total = 0
    try:
        count = bits.read(8) + 1
        for book in range(count):
            if bits.read(24) != _SYNC:
                return "codebook %d has no sync pattern" % book
            dim = bits.read(16)
            entries = bits.read(24)
            if dim == 0:
                return "codebook %d has zero dimensions" % book
            entries_total += entries
            values_total += entries * dim
            if entries_total > MAX_ENTRIES or values_total > MAX_VALUES:
                return ("codebooks 0-%d hold %d entries / %d values, beyond the %d / %d this decoder "
                        "allows (real encoders use under 20,000 / 70,000)"
                        % (book, entries_total, values_total, MAX_ENTRIES, MAX_VALUES))
            if bits.read(1):  # ordered: runs of entries per code length
                length = bits.read(5) + 1
                i = 0
                while i < entries:
                    if length > 32:
                        return "codebook %d has codes longer than 32 bits" % book
                    i += bits.read((entries - i).bit_length())
                    length += 1
                if i > entries:
                    return "codebook %d has more code lengths than entries" % book
            elif bits.read(1):  # sparse: a flag per entry, then a length if used
                for _ in range(entries):
                    if bits.read(1):
                        bits.skip(5)
            else:
                bits.skip(5 * entries)
            maptype = bits.read(4)
            if maptype in (1, 2):
                bits.skip(64)  # minimum and delta values
                quant_bits = bits.read(4) + 1
                bits.skip(1)
                quantvals = _lookup1_values(entries, dim) if maptype == 1 else entries * dim
                bits.skip(quantvals * quant_bits)
            elif maptype != 0:
                return "codebook %d has an unknown lookup type %d" % (book, maptype)
    except EOFError:
        return "the codebooks run past the end of the setup header"
    return None
