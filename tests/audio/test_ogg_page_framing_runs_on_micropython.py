"""The pure-Python Ogg page framing gives the same pages under the real micropython binary as on
CPython (and as libogg: the granule positions match the page headers pyogg's libogg reads)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(HERE, "oggpages_micropython_script.py")


def test_page_framing_is_the_same_on_micropython_and_cpython(long_ogg):
    mp = subprocess.run(["micropython", "-X", "heapsize=2M", SCRIPT, ROOT, long_ogg],
                        capture_output=True, text=True, timeout=60)
    assert mp.returncode == 0, mp.stderr
    cp = subprocess.run([sys.executable, SCRIPT, ROOT, long_ogg], capture_output=True, text=True, timeout=60)
    assert cp.returncode == 0, cp.stderr
    assert mp.stdout == cp.stdout
    lines = dict(line.split(" ", 1) for line in cp.stdout.strip().splitlines())
    n, skipped, pending = lines["pages"].split()
    assert int(n) > 5 and skipped == "0" and pending == "0"
    assert lines["headers"].split() == ["2", "44100", "2", "True"]
    assert lines["datagrams"].split()[1:] == ["1400", "True"]
    ncorrupt, skipped = lines["corrupt"].split()
    assert int(ncorrupt) == int(n) - 1 and skipped == "True"  # exactly the damaged page dropped


def test_granule_positions_agree_with_libogg(long_ogg):
    import ctypes

    from kamaelia_lite.audio.native import OggPage, ogg, opaque
    from kamaelia_lite.audio.oggpages import OggPageSplitter

    data = open(long_ogg, "rb").read()
    ours = OggPageSplitter(check_crc=True).feed(data)
    sync = opaque(128)
    ogg.sync_init(sync)
    buf = ogg.sync_buffer(sync, len(data))
    ctypes.memmove(buf, data, len(data))
    ogg.sync_wrote(sync, len(data))
    page = OggPage()
    theirs = []
    while ogg.sync_pageout(sync, ctypes.byref(page)) == 1:
        theirs.append((ogg.page_serialno(ctypes.byref(page)) & 0xFFFFFFFF, ogg.page_pageno(ctypes.byref(page)),
                       ogg.page_granulepos(ctypes.byref(page)), bool(ogg.page_eos(ctypes.byref(page)))))
    ogg.sync_clear(sync)
    assert [(p.serial, p.pageno, p.granulepos, p.eos) for p in ours] == theirs
