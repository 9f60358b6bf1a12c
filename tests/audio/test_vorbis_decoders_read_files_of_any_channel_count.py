"""Files with 3 or 6 channels (a 5.1 mix) decode exactly as pyogg decodes them, in the file
decoder and the push decoder. The file decoder asked libvorbisfile for the last few bytes of
each chunk even when they were less than one frame (16384 is not a multiple of 6 or 12 bytes),
and ov_read answers that with OV_EINVAL: every such file failed with "decoding failed: invalid
argument" after its first chunk."""
import pytest
from audio_helpers import Recorder, chain, make_ogg, pyogg_decode, run_all

from kamaelia_lite.audio.messages import AudioFormat
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from kamaelia_lite.audio.vorbisfile import OggVorbisFileReader, VorbisFileDecoder
from microaxon import producerFinished


@pytest.fixture(scope="module", params=[3, 6])
def multichannel_ogg(request, audio_dir):
    return make_ogg(audio_dir, "ch%d" % request.param, seconds=1.0, rate=44100, channels=request.param)


def test_the_file_decoder_component_reads_every_frame(multichannel_ogg, scheduler):
    ref, rate, channels = pyogg_decode(multichannel_ogg)
    rec = Recorder()
    run_all(scheduler, *chain(VorbisFileDecoder(multichannel_ogg), rec))
    assert rec.got[0] == AudioFormat(rate, channels)
    assert type(rec.control_got[-1]) is producerFinished, rec.control_got[-1]
    assert rec.pcm == ref


@pytest.mark.parametrize("max_bytes", [16384, 1000, 13])
def test_reads_of_any_size_give_whole_frames(multichannel_ogg, max_bytes):
    ref, rate, channels = pyogg_decode(multichannel_ogg)
    reader = OggVorbisFileReader(multichannel_ogg)
    parts = []
    try:
        while True:
            data = reader.read(max_bytes)
            if not data:
                break
            assert len(data) % (2 * channels) == 0 and len(data) <= max(max_bytes, 2 * channels)
            parts.append(data)
    finally:
        reader.close()
    assert b"".join(parts) == ref


def test_the_push_decoder_matches_too(multichannel_ogg):
    ref, rate, channels = pyogg_decode(multichannel_ogg)
    dec = VorbisPushDecoder()
    data = open(multichannel_ogg, "rb").read()
    out = []
    for i in range(0, len(data), 1000):
        out += dec.feed(data[i:i + 1000])
    out += dec.finish()
    dec.close()
    assert out[0] == AudioFormat(rate, channels)
    assert b"".join(e for e in out if isinstance(e, bytes)) == ref
