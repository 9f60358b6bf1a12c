"""The file decoder and the push decoder give exactly pyogg's (libvorbisfile's) PCM."""
import random

import pytest
from audio_helpers import Feeder, Recorder, chain, pyogg_decode, run_all

from kamaelia_lite.audio.messages import AudioFormat
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder, split_header_pages
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from kamaelia_lite.audio.vorbisfile import VorbisFileDecoder
from microaxon import producerFinished


def _push_decode(data, chunk_sizes, **kw):
    dec = VorbisPushDecoder(**kw)
    out = []
    i = 0
    for n in chunk_sizes:
        out += dec.feed(data[i:i + n])
        i += n
        if i >= len(data):
            break
    out += dec.feed(data[i:])
    out += dec.finish()
    dec.close()
    return out


@pytest.mark.parametrize("which", ["stereo_ogg", "mono_ogg"])
def test_file_decoder_component_equals_pyogg_whole_file_decode(which, request, scheduler):
    path = request.getfixturevalue(which)
    ref, rate, channels = pyogg_decode(path)
    dec = VorbisFileDecoder(path)
    rec = Recorder()
    run_all(scheduler, *chain(dec, rec))
    assert isinstance(rec.got[0], AudioFormat)
    assert (rec.got[0].rate, rec.got[0].channels) == (rate, channels)
    assert rec.pcm == ref
    assert len(rec.got) > 2  # it came in several chunks, not one blob
    assert type(rec.control_got[-1]) is producerFinished


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_push_decoder_fed_random_chunks_equals_file_decode(stereo_ogg, seed):
    ref, rate, channels = pyogg_decode(stereo_ogg)
    data = open(stereo_ogg, "rb").read()
    rnd = random.Random(seed)
    sizes = [rnd.choice([1, 7, 100, 4096, rnd.randint(1, 9000)]) for _ in range(len(data))]
    out = _push_decode(data, sizes)
    assert out[0] == AudioFormat(rate, channels)
    assert b"".join(x for x in out if isinstance(x, bytes)) == ref
    assert [x for x in out if not isinstance(x, bytes)] == [AudioFormat(rate, channels)]


def test_push_decoder_mono_and_pure_python_conversion_equal_file_decode(mono_ogg):
    ref, rate, channels = pyogg_decode(mono_ogg)
    data = open(mono_ogg, "rb").read()
    out = _push_decode(data, [333] * (len(data) // 333 + 1), use_numpy=False)
    assert out[0] == AudioFormat(rate, 1)
    assert b"".join(x for x in out if isinstance(x, bytes)) == ref


def test_push_decoder_one_byte_at_a_time(mono_ogg):
    ref, _, _ = pyogg_decode(mono_ogg)
    data = open(mono_ogg, "rb").read()
    dec = VorbisPushDecoder()
    out = []
    for i in range(len(data)):
        out += dec.feed(data[i:i + 1])
    out += dec.finish()
    dec.close()
    assert b"".join(x for x in out if isinstance(x, bytes)) == ref
    assert dec.ended


def test_vorbis_decode_component_equals_file_decode(stereo_ogg, scheduler):
    ref, rate, channels = pyogg_decode(stereo_ogg)
    data = open(stereo_ogg, "rb").read()
    chunks = [data[i:i + 1500] for i in range(0, len(data), 1500)]
    feeder, dec, rec = chain(Feeder(chunks), VorbisDecode(), Recorder())
    run_all(scheduler, feeder, dec, rec)
    assert rec.got[0] == AudioFormat(rate, channels)
    assert rec.pcm == ref
    assert type(rec.control_got[-1]) is producerFinished
    assert dec.decoder.closed  # native state freed on the way out


def test_out_of_band_headers_let_a_late_joiner_decode_from_a_later_page(stereo_ogg):
    ref, _, _ = pyogg_decode(stereo_ogg)
    data = open(stereo_ogg, "rb").read()
    headers = split_header_pages(data)
    assert len(headers) == 3 and headers[0].startswith(b"\x01vorbis")
    # join at an arbitrary byte well into the stream (mid-page)
    late = data[len(data) // 3:]
    for hdr in (headers, data[:8000]):
        out = _push_decode(late, [1000] * 200, headers=hdr)
        pcm = b"".join(x for x in out if isinstance(x, bytes))
        assert isinstance(out[0], AudioFormat)
        assert len(pcm) > len(ref) // 3
        start = ref.find(pcm[:4096])
        assert start > 0 and start % 4 == 0
        assert ref[start:] == pcm  # exactly the rest of the file, not a glitch in between


def test_a_chained_file_changes_format_in_both_decoders(stereo_ogg, mono_ogg, audio_dir, scheduler):
    import os

    ref_s, rate_s, ch_s = pyogg_decode(stereo_ogg)
    ref_m, rate_m, ch_m = pyogg_decode(mono_ogg)
    chained = os.path.join(audio_dir, "chained.ogg")
    with open(chained, "wb") as f:
        f.write(open(stereo_ogg, "rb").read() + open(mono_ogg, "rb").read())
    dec, rec = chain(VorbisFileDecoder(chained), Recorder())
    run_all(scheduler, dec, rec)
    formats = rec.of_type(AudioFormat)
    assert formats == [AudioFormat(rate_s, ch_s), AudioFormat(rate_m, ch_m)]
    i = rec.got.index(formats[1])
    assert b"".join(m for m in rec.got[:i] if isinstance(m, bytes)) == ref_s
    assert b"".join(m for m in rec.got[i:] if isinstance(m, bytes)) == ref_m
    data = open(chained, "rb").read()
    out = _push_decode(data, [4000] * (len(data) // 4000 + 1))
    fmts = [x for x in out if isinstance(x, AudioFormat)]
    assert fmts == formats
    j = out.index(fmts[1])
    assert b"".join(x for x in out[:j] if isinstance(x, bytes)) == ref_s
    assert b"".join(x for x in out[j:] if isinstance(x, bytes)) == ref_m


def test_vorbis_decode_component_with_out_of_band_headers_joins_late(stereo_ogg, scheduler):
    ref, rate, ch = pyogg_decode(stereo_ogg)
    data = open(stereo_ogg, "rb").read()
    late = data[len(data) // 2:]
    feeder, dec, rec = chain(Feeder([late[i:i + 700] for i in range(0, len(late), 700)]),
                             VorbisDecode(headers=data[:6000], expect_end=True), Recorder())
    run_all(scheduler, feeder, dec, rec)
    assert rec.got[0] == AudioFormat(rate, ch)
    pcm = rec.pcm
    assert 0 < len(pcm) < len(ref) and ref.endswith(pcm)
    assert type(rec.control_got[-1]) is producerFinished  # the stream ran to its end page
