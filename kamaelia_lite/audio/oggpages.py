"""Pure-Python Ogg page framing (sans-IO; runs on MicroPython too).

- :class:`OggPageSplitter`: bytes in (any chunking) -> whole :class:`OggPage` objects out, resyncing
  past junk (and, if asked, past pages whose CRC does not match).
- :class:`VorbisHeaderPages`: recognises the header pages of a Vorbis logical stream (the BOS page
  and the pages up to the end of the third header packet) and the stream's sample rate.
- :func:`pack_pages`: groups whole pages into datagrams of at most ``max_size`` bytes (a page larger
  than that is cut into consecutive pieces, which an Ogg sync layer glues back together).

Page layout (RFC 3533): "OggS", version, flags (1 continued, 2 BOS, 4 EOS), granule position
(int64 LE), serial (uint32 LE), sequence number (uint32 LE), CRC (uint32 LE), segment count, lacing
values, body.
"""

import struct

__all__ = ["OggPage", "OggPageSplitter", "VorbisHeaderPages", "pack_pages", "ogg_crc"]

CAPTURE = b"OggS"
HEADER_FIXED = 27
FLAG_CONTINUED = 1
FLAG_BOS = 2
FLAG_EOS = 4
MAX_PAGE = HEADER_FIXED + 255 + 255 * 255
VORBIS_ID_LEN = 30  # a Vorbis identification header packet is exactly 30 bytes

_crc_table = None
try:  # CPython: zlib's CRC-32 in C, on bit-reversed bytes (Ogg's CRC is the unreflected form)
    from zlib import crc32 as _zcrc32

    _REV = bytes([sum([((i >> k) & 1) << (7 - k) for k in range(8)]) for i in range(256)])
    b"".translate(_REV)
except (ImportError, AttributeError):  # MicroPython: the table below
    _zcrc32 = None


def _table():
    global _crc_table
    if _crc_table is None:
        t = []
        for i in range(256):
            r = i << 24
            for _ in range(8):
                if r & 0x80000000:
                    r = ((r << 1) ^ 0x04C11DB7) & 0xFFFFFFFF
                else:
                    r = (r << 1) & 0xFFFFFFFF
            t.append(r)
        _crc_table = t
    return _crc_table


def ogg_crc(page):
    """Ogg's CRC-32 (polynomial 0x04c11db7, no reflection) of ``page`` with its CRC field zeroed.

    In C where zlib is there: junk full of would-be page headers, each claiming a 64 KB page,
    makes a CRC-checking splitter check up to 64 KB per 282 bytes of input."""
    if _zcrc32 is not None:
        b = bytearray(page)
        b[22:26] = bytes(len(b[22:26]))
        r = _zcrc32(bytes(b).translate(_REV), 0xFFFFFFFF) ^ 0xFFFFFFFF
        return int.from_bytes(r.to_bytes(4, "big").translate(_REV), "little")
    t = _table()
    crc = 0
    for i in range(len(page)):
        b = 0 if 22 <= i < 26 else page[i]
        crc = ((crc << 8) & 0xFFFFFFFF) ^ t[((crc >> 24) & 0xFF) ^ b]
    return crc


class OggPage:
    """One whole page: ``data`` (all its bytes) and its parsed header fields."""

    def __init__(self, data):
        self.data = data
        (self.version, self.flags, self.granulepos, self.serial, self.pageno, self.crc, nseg) = struct.unpack(
            "<BBqIIIB", data[4:HEADER_FIXED]
        )
        self.lacing = data[HEADER_FIXED:HEADER_FIXED + nseg]
        self.header_len = HEADER_FIXED + nseg
        done = 0
        for v in self.lacing:
            if v < 255:
                done += 1
        self.packets_completed = done

    @property
    def bos(self):
        return bool(self.flags & FLAG_BOS)

    @property
    def eos(self):
        return bool(self.flags & FLAG_EOS)

    @property
    def continued(self):
        return bool(self.flags & FLAG_CONTINUED)

    @property
    def body(self):
        return self.data[self.header_len:]

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return "OggPage(serial=%d, pageno=%d, granule=%d, flags=%d, %d bytes)" % (
            self.serial,
            self.pageno,
            self.granulepos,
            self.flags,
            len(self.data),
        )


class OggPageSplitter:
    """Cut a byte stream into whole Ogg pages: ``feed(bytes) -> [OggPage]``.

    ``check_crc``: verify each page's CRC (pure Python: fine for kbit/s streams, slow for bulk).
    ``bytes_skipped`` counts junk thrown away while looking for the next page.
    """

    def __init__(self, check_crc=False):
        self.check_crc = check_crc
        self._buf = b""
        self._more = []         # pieces fed since, while the page begun in _buf cannot be whole
        self._have = 0          # bytes held: _buf and _more
        self._need = 0          # bytes the page begun in _buf needs at least (0: look again)
        self.bytes_skipped = 0
        self.pages = 0

    def feed(self, data):
        data = bytes(data)
        if self._have + len(data) < self._need:     # the page under way is still incomplete:
            self._more.append(data)                 # hold the piece, look at it when it can be
            self._have += len(data)                 # (a page dribbled in tiny pieces costs
            return []                               # time in proportion to its size)
        if self._more:
            buf = b"".join([self._buf] + self._more + [data])
            self._more = []
        else:
            buf = self._buf + data if self._buf else data
        out = []
        pos = 0
        n = len(buf)
        need = 0
        while True:
            i = buf.find(CAPTURE, pos)
            if i < 0:
                keep = max(pos, n - 3)  # a capture pattern may straddle the chunk boundary
                self.bytes_skipped += keep - pos
                pos = keep
                break
            if i > pos:
                self.bytes_skipped += i - pos
                pos = i
            if n - pos < HEADER_FIXED:
                need = HEADER_FIXED
                break
            nseg = buf[pos + 26]
            if n - pos < HEADER_FIXED + nseg:
                need = HEADER_FIXED + nseg
                break
            body = 0
            for v in buf[pos + HEADER_FIXED:pos + HEADER_FIXED + nseg]:
                body += v
            total = HEADER_FIXED + nseg + body
            if n - pos < total:
                need = total
                break
            data_ = buf[pos:pos + total]
            ok = data_[4] == 0
            if ok and self.check_crc:
                ok = ogg_crc(data_) == struct.unpack("<I", data_[22:26])[0]
            if not ok:  # not a page after all: skip this capture pattern
                self.bytes_skipped += 1
                pos += 1
                continue
            out.append(OggPage(data_))
            self.pages += 1
            pos += total
        self._buf = buf[pos:]
        self._have = n - pos
        self._need = need
        return out

    @property
    def pending(self):
        """Bytes held back waiting for the rest of a page."""
        return self._have

    def flush(self):
        """Return (and forget) the bytes held back: an incomplete last page, at end of input."""
        rest = b"".join([self._buf] + self._more) if self._more else self._buf
        self._buf = b""
        self._more = []
        self._have = self._need = 0
        return rest


class VorbisHeaderPages:
    """Watches pages; remembers the header pages of the first Vorbis logical stream.

    ``add(page)`` returns True while the page is a header page. Afterwards ``pages`` holds them,
    ``data`` their bytes joined, ``rate``/``channels`` the stream's format, ``serial`` its serial.
    """

    def __init__(self):
        self.pages = []
        self.serial = None
        self.rate = 0
        self.channels = 0
        self.complete = False
        self._packets = 0

    def add(self, page):
        if self.serial is None or (page.bos and self.complete and page.serial != self.serial):
            body = page.body
            if not page.bos or len(body) < VORBIS_ID_LEN or not body.startswith(b"\x01vorbis"):
                return False  # not the start of a Vorbis stream (or too short to be one)
            self.pages = []
            self._packets = 0
            self.complete = False
            self.serial = page.serial
            self.channels = body[11]
            self.rate = struct.unpack("<I", body[12:16])[0]
        elif page.serial != self.serial:
            return False
        elif self.complete:
            return page.bos  # the same headers again (a looped file)
        self.pages.append(page)
        self._packets += page.packets_completed
        if self._packets >= 3:
            self.complete = True
        return True

    @property
    def data(self):
        return b"".join([p.data for p in self.pages])


def pack_pages(pages, max_size):
    """Group whole pages into datagrams of at most ``max_size`` bytes (list of bytes).

    Pages stay whole wherever they fit; a page bigger than ``max_size`` is cut into pieces.
    """
    out = []
    cur = []
    cur_len = 0
    for p in pages:
        data = p.data if isinstance(p, OggPage) else p
        if cur_len + len(data) > max_size and cur:
            out.append(b"".join(cur))
            cur = []
            cur_len = 0
        if len(data) > max_size:
            for i in range(0, len(data), max_size):
                out.append(data[i:i + max_size])
            continue
        cur.append(data)
        cur_len += len(data)
    if cur:
        out.append(b"".join(cur))
    return out
