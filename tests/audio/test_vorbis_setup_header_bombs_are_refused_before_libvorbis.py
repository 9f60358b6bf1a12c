"""A Vorbis setup header is checked before libvorbis reads it. libvorbis allocates each codebook
as it reads it, and a book of 2**23 entries takes a dozen bytes to describe: a 3 KB setup header
of 256 such books made it allocate 2 GB and spend seconds before finding the header invalid, and
where memory is short (here: an address-space limit) a failed allocation made it write through
NULL: the whole process died of SIGSEGV. The header now gets the documented error at once, in
band (AudioError "corrupt"), out of band (HeaderError) and from a file (AudioError on signal).

Each decode runs in a child process with its address space limited to 1.5 GB."""
import os
import struct
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc
from kamaelia_lite.audio.push_decoder import split_header_pages
from kamaelia_lite.audio.vorbis_setup import MAX_ENTRIES, setup_header_problem


class BitWriter:
    def __init__(self):
        self.bits = []

    def put(self, value, n):
        self.bits += [(value >> i) & 1 for i in range(n)]

    def data(self):
        bits = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(sum(bits[i + j] << j for j in range(8)) for i in range(0, len(bits), 8))


def codebook_bomb(books=256, entries=(1 << 23) - 1):
    """A setup header of ``books`` codebooks of ``entries`` one-dimensional entries, each all of
    one code length (ordered, a single run: 13 bytes a book)."""
    w = BitWriter()
    w.put(books - 1, 8)
    for _ in range(books):
        w.put(0x564342, 24)
        w.put(1, 16)
        w.put(entries, 24)
        w.put(1, 1)
        w.put(22, 5)
        w.put(entries, entries.bit_length())
        w.put(0, 4)
    w.put(0, 6)
    w.put(0, 16)
    return b"\x05vorbis" + w.data() + bytes(64)


def page(serial, pageno, packets, granule=0, flags=0):
    lacing = b"".join(bytes([255] * (len(p) // 255) + [len(p) % 255]) for p in packets)
    p = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, pageno, 0, len(lacing)) + lacing
                  + b"".join(packets))
    p[22:26] = struct.pack("<I", ogg_crc(p))
    return bytes(p)


def bomb_stream(mono_ogg, serial=None):
    """mono_ogg with its setup header replaced by the bomb (header pages, then its audio)."""
    data = open(mono_ogg, "rb").read()
    ident, comment, _ = split_header_pages(data)
    pages = OggPageSplitter(check_crc=True).feed(data)
    serial = pages[0].serial if serial is None else serial
    head = page(serial, 0, [ident], flags=2) + page(serial, 1, [comment, codebook_bomb()])
    return head + b"".join(_reserial(p, serial) for p in pages[2:])


def _reserial(p, serial):
    d = bytearray(p.data)
    d[14:18] = struct.pack("<I", serial)
    d[22:26] = bytes(4)
    d[22:26] = struct.pack("<I", ogg_crc(d))
    return bytes(d)


CHILD = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if mode == "in-band":
    from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
    dec = VorbisPushDecoder()
    events = dec.feed(data) + dec.finish()
    dec.close()
    print(events[-1].kind, events[-1].reason)
elif mode == "out-of-band":
    from kamaelia_lite.audio.push_decoder import HeaderError, VorbisPushDecoder
    try:
        VorbisPushDecoder(headers=data)
    except HeaderError as e:
        print("HeaderError", e)
elif mode == "reader":
    from kamaelia_lite.audio.messages import AudioException
    from kamaelia_lite.audio.vorbisfile import OggVorbisFileReader
    try:
        OggVorbisFileReader(path)
    except AudioException as e:
        print(e.kind, e)
else:
    from audio_helpers import Recorder, chain, run_all
    from kamaelia_lite.audio.vorbisfile import VorbisFileDecoder
    from microaxon import Scheduler
    dec, rec = chain(VorbisFileDecoder(path), Recorder())
    run_all(Scheduler(), dec, rec)
    print(rec.control_got[-1].kind, rec.control_got[-1].reason)
"""


@pytest.mark.parametrize("mode,expect", [("in-band", "corrupt"), ("out-of-band", "HeaderError"),
                                         ("file", "corrupt"), ("chained-file", "corrupt"),
                                         ("reader", "corrupt")])
def test_a_codebook_bomb_gets_the_documented_error_not_a_crash(mode, expect, mono_ogg, tmp_path):
    path = str(tmp_path / "bomb.ogg")
    with open(path, "wb") as f:
        if mode == "chained-file":  # the bomb in the second link of a chained file
            f.write(open(mono_ogg, "rb").read() + bomb_stream(mono_ogg, serial=4242))
            mode = "file"
        else:
            f.write(bomb_stream(mono_ogg))
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), here]))
    r = subprocess.run([sys.executable, "-c", CHILD, mode, path], capture_output=True, text=True, timeout=120,
                       env=env)
    assert r.returncode == 0, (r.returncode, r.stderr[-1500:])
    assert r.stdout.split()[0] == expect, r.stdout
    assert "codebook" in r.stdout, r.stdout


def test_real_setup_headers_pass(stereo_ogg, mono_ogg, long_ogg):
    for path in (stereo_ogg, mono_ogg, long_ogg):
        assert setup_header_problem(split_header_pages(open(path, "rb").read())[2]) is None


def test_a_zero_dimension_codebook_is_refused():
    w = BitWriter()
    w.put(0, 8)
    w.put(0x564342, 24)
    w.put(0, 16)
    w.put(4, 24)
    assert "zero dimensions" in setup_header_problem(b"\x05vorbis" + w.data() + bytes(8))


def test_books_over_the_bound_are_refused_and_under_it_read_through():
    assert "entries" in setup_header_problem(codebook_bomb(books=2, entries=MAX_ENTRIES // 2 + 1))
    assert setup_header_problem(codebook_bomb(books=1, entries=1000)) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_none_or_a_reason(tail):
    for packet in (b"\x05vorbis" + tail, tail):
        r = setup_header_problem(packet)
        assert r is None or isinstance(r, str)
