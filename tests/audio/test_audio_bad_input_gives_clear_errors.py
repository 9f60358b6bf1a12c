"""Truncated files, random bytes, a non-Vorbis Ogg and a missing file: a clear AudioError on
signal from both decoders, while a healthy pipeline next to them runs to completion."""
import os
import random
import struct

import pytest
from audio_helpers import Feeder, Recorder, chain, pyogg_decode

from kamaelia_lite.audio.messages import AudioError
from kamaelia_lite.audio.oggpages import ogg_crc
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from kamaelia_lite.audio.vorbisfile import VorbisFileDecoder
from microaxon import producerFinished


def ogg_page(serial, pageno, packet, granule=0, flags=0):
    """One Ogg page holding one whole packet (built by hand, with a correct CRC)."""
    lacing = bytes([255] * (len(packet) // 255) + [len(packet) % 255])
    hdr = b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, pageno, 0, len(lacing)) + lacing
    page = bytearray(hdr + packet)
    page[22:26] = struct.pack("<I", ogg_crc(page))
    return bytes(page)


def opus_in_ogg():
    head = b"OpusHead" + bytes([1, 2]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0)
    pages = [ogg_page(77, 0, head, flags=2), ogg_page(77, 1, tags)]
    for i in range(5):
        pages.append(ogg_page(77, 2 + i, bytes([0xFC]) + bytes(80), granule=960 * (i + 1),
                              flags=4 if i == 4 else 0))
    return b"".join(pages)


@pytest.fixture(scope="module")
def bad_files(audio_dir, stereo_ogg):
    data = open(stereo_ogg, "rb").read()
    files = {}
    files["truncated"] = os.path.join(audio_dir, "truncated.ogg")
    with open(files["truncated"], "wb") as f:
        f.write(data[:int(len(data) * 0.6)])
    files["random"] = os.path.join(audio_dir, "random.ogg")
    with open(files["random"], "wb") as f:
        f.write(bytes(random.Random(3).randrange(256) for _ in range(20000)))
    files["opus"] = os.path.join(audio_dir, "opus.ogg")
    with open(files["opus"], "wb") as f:
        f.write(opus_in_ogg())
    files["missing"] = os.path.join(audio_dir, "no-such-file.ogg")
    return files


EXPECTED_KIND = {"truncated": "truncated", "random": "not-vorbis", "opus": "not-vorbis", "missing": "missing"}
STREAM_KIND = {"truncated": "truncated", "random": "not-ogg", "opus": "not-vorbis"}


def _healthy(path):
    dec = VorbisFileDecoder(path)
    rec = Recorder()
    chain(dec, rec)
    return dec, rec


@pytest.mark.parametrize("case", ["truncated", "random", "opus", "missing"])
def test_file_decoder_reports_bad_input_on_signal_and_the_rest_keeps_running(case, bad_files, stereo_ogg,
                                                                             scheduler):
    ref, _, _ = pyogg_decode(stereo_ogg)
    bad, bad_rec = chain(VorbisFileDecoder(bad_files[case]), Recorder())
    good, good_rec = _healthy(stereo_ogg)
    for c in (bad, bad_rec, good, good_rec):
        c.activate(scheduler)
    scheduler.run()
    err = bad_rec.control_got[-1]
    assert isinstance(err, AudioError), err
    assert err.kind == EXPECTED_KIND[case]
    assert bad_files[case] in str(err)
    assert not scheduler.failures
    assert good_rec.pcm == ref and type(good_rec.control_got[-1]) is producerFinished
    if case == "truncated":
        assert bad_rec.pcm and ref.startswith(bad_rec.pcm)  # the decodable part still played
    if case == "opus":
        assert "Vorbis" in err.reason


@pytest.mark.parametrize("case", ["truncated", "random", "opus"])
def test_stream_decoder_reports_bad_input_on_signal_and_the_rest_keeps_running(case, bad_files, stereo_ogg,
                                                                               scheduler):
    ref, _, _ = pyogg_decode(stereo_ogg)
    data = open(bad_files[case], "rb").read()
    chunks = [data[i:i + 1000] for i in range(0, len(data), 1000)]
    feeder, bad, bad_rec = chain(Feeder(chunks), VorbisDecode(), Recorder())
    good_data = open(stereo_ogg, "rb").read()
    gfeed, good, good_rec = chain(Feeder([good_data[i:i + 999] for i in range(0, len(good_data), 999)]),
                                  VorbisDecode(), Recorder())
    for c in (feeder, bad, bad_rec, gfeed, good, good_rec):
        c.activate(scheduler)
    scheduler.run()
    err = bad_rec.control_got[-1]
    assert isinstance(err, AudioError), err
    assert err.kind == STREAM_KIND[case], err
    assert not scheduler.failures
    assert bad.decoder.closed
    assert good_rec.pcm == ref and type(good_rec.control_got[-1]) is producerFinished
    if case == "opus":
        assert "Opus" in err.reason
    if case == "truncated":
        assert bad_rec.pcm and ref.startswith(bad_rec.pcm)


def test_push_decoder_names_the_codec_of_a_non_vorbis_stream():
    dec = VorbisPushDecoder()
    out = dec.feed(opus_in_ogg())
    assert len(out) == 1 and isinstance(out[0], AudioError)
    assert "Opus" in out[0].reason and dec.failed is out[0]
    assert dec.feed(b"more") == []  # a failed decoder stays quiet
    dec.close()
    assert dec.closed


def test_bad_out_of_band_headers_are_an_error_not_a_crash(scheduler):
    feeder, dec, rec = chain(Feeder([b"x"]), VorbisDecode(headers=[b"\x01vorbis-bogus", b"", b""]), Recorder())
    for c in (feeder, dec, rec):
        c.activate(scheduler)
    scheduler.run()
    assert isinstance(rec.control_got[-1], AudioError)
    assert rec.control_got[-1].kind == "corrupt"
    assert not scheduler.failures
