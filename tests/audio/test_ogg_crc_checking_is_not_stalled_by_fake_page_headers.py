"""A CRC-checking OggPageSplitter (the pacer reading a file, check_ogg_ending reading a file's
last 130 KB) must check every capture pattern it meets, and a would-be page header can claim a
64 KB page: junk made of such headers, one every 282 bytes, costs 64 KB of CRC per 282 bytes of
input. The pure-Python CRC took 4.4 s for a 130 KB file tail (35 s for 1 MB), in one scheduler
step; the CRC now runs in C (zlib on bit-reversed bytes) where zlib is there. ogg_crc still
equals libogg's CRC, and the table kept for MicroPython.

The stall test runs in a child process with a 20 s timeout: a guard against a hang, not a speed
measurement (it takes a fraction of a second)."""
import ctypes
import os
import struct
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.audio import oggpages
from kamaelia_lite.audio.native import OggPage as NativePage
from kamaelia_lite.audio.native import libogg
from kamaelia_lite.audio.oggpages import ogg_crc

FAKE = b"OggS\x00" + bytes(21) + b"\xff" + b"\xff" * 255  # a header claiming 255 * 255 body bytes

CHILD = r"""
import struct, sys
from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc
fake = %r
real = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, 2, 0, 7, 0, 0, 1) + b"\x05" + b"hello")
real[22:26] = struct.pack("<I", ogg_crc(real))
sp = OggPageSplitter(check_crc=True)
pages = sp.feed(fake * 3600 + bytes(70000) + bytes(real))
print(len(pages), pages[0].serial if pages else None, sp.bytes_skipped)
""" % (FAKE,)


def test_a_megabyte_of_fake_page_headers_is_skipped_without_stalling():
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    r = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=20, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "7", str(len(FAKE) * 3600 + 70000)]


_set = libogg["ogg_page_checksum_set"]
_set.restype = None
_set.argtypes = [ctypes.POINTER(NativePage)]


def libogg_crc(page):
    hdr = ctypes.create_string_buffer(page[:27], 27)
    body = ctypes.create_string_buffer(page[27:], max(1, len(page) - 27))
    p = NativePage()
    p.header = ctypes.cast(hdr, ctypes.POINTER(ctypes.c_ubyte))
    p.header_len = 27
    p.body = ctypes.cast(body, ctypes.POINTER(ctypes.c_ubyte))
    p.body_len = len(page) - 27
    _set(ctypes.byref(p))
    return struct.unpack("<I", hdr.raw[22:26])[0]


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=27, max_size=3000))
def test_ogg_crc_is_libogg_crc_in_c_and_in_the_micropython_table(page):
    want = libogg_crc(page)
    assert ogg_crc(page) == want
    saved = oggpages._zcrc32
    oggpages._zcrc32 = None  # the table path, as on MicroPython
    try:
        assert ogg_crc(page) == want
    finally:
        oggpages._zcrc32 = saved
