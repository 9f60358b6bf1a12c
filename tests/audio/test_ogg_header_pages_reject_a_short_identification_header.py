"""A BOS page whose body starts like a Vorbis identification header but stops short of its
sample rate is not a Vorbis stream's start: VorbisHeaderPages says no (and the pacer reports the
file as not Vorbis) instead of raising IndexError or struct.error out of a file's bytes."""
import struct

import pytest
from audio_helpers import Recorder, chain, run_all

from kamaelia_lite.audio.messages import AudioError
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages, ogg_crc
from kamaelia_lite.audio.ratecontrol import OggPagePacer


def bos_page(body, serial=5):
    lacing = bytes([255] * (len(body) // 255) + [len(body) % 255])
    page = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, 2, 0, serial, 0, 0, len(lacing)) + lacing + body)
    page[22:26] = struct.pack("<I", ogg_crc(page))
    return bytes(page)


@pytest.mark.parametrize("cut", [7, 8, 11, 12, 15, 29])
def test_a_short_identification_header_is_not_taken_for_vorbis_headers(cut):
    ident = b"\x01vorbis" + struct.pack("<IBI", 0, 2, 44100) + bytes(15)
    pages = OggPageSplitter(check_crc=True).feed(bos_page(ident[:cut]))
    assert len(pages) == 1
    hp = VorbisHeaderPages()
    assert hp.add(pages[0]) is False
    assert hp.serial is None and not hp.complete


def test_the_pacer_reports_a_file_with_a_short_identification_header_as_not_vorbis(tmp_path):
    path = str(tmp_path / "short.ogg")
    with open(path, "wb") as f:
        f.write(bos_page(b"\x01vorbis\x00"))
    pacer, rec = chain(OggPagePacer(path), Recorder())
    from microaxon import Scheduler
    sched = Scheduler()
    run_all(sched, pacer, rec)
    assert not sched.failures
    err = rec.control_got[-1]
    assert isinstance(err, AudioError) and err.kind == "not-vorbis"
