"""With SDL's disk audio driver, the PCM that reaches the "speaker" is exactly the decoder's output."""
import os

import pytest
from audio_helpers import Feeder, Recorder, chain, pyogg_decode

from kamaelia_lite.audio.messages import AudioError, AudioFormat, Underrun
from kamaelia_lite.audio.playback import AudioPlayback, WavWriter
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from kamaelia_lite.audio.vorbisfile import VorbisFileDecoder
from microaxon import component, now, producerFinished


@pytest.fixture
def disk_audio(tmp_path, monkeypatch):
    path = str(tmp_path / "speaker.raw")
    monkeypatch.setenv("SDL_AUDIODRIVER", "disk")
    monkeypatch.setenv("SDL_DISKAUDIOFILE", path)
    return path


def assert_played_exactly(raw_path, pcm):
    """``pcm`` appears as one contiguous run in the device output, with only zeros around it."""
    raw = open(raw_path, "rb").read()
    # skip the silence SDL wrote before the first sound; the run must start at the first non-zero
    first = next(i for i, b in enumerate(raw) if b)
    lead = pcm.index(next(b for b in pcm if b).to_bytes(1, "little"))
    start = first - lead
    assert start >= 0 and start % 2 == 0
    assert raw[start:start + len(pcm)] == pcm
    assert not any(raw[:start]) and not any(raw[start + len(pcm):])


def test_file_decode_played_reaches_the_device_unchanged(mono_ogg, disk_audio, scheduler):
    ref, rate, ch = pyogg_decode(mono_ogg)
    dec, play = chain(VorbisFileDecoder(mono_ogg), AudioPlayback(prebuffer=0.1))
    for c in (dec, play):
        c.activate(scheduler)
    scheduler.run()
    assert not scheduler.failures
    assert play.frames_played * 2 * ch == len(ref)
    assert_played_exactly(disk_audio, ref)


def test_stream_decode_played_reaches_the_device_unchanged(stereo_ogg, disk_audio, scheduler):
    ref, rate, ch = pyogg_decode(stereo_ogg)
    data = open(stereo_ogg, "rb").read()
    feeder, dec, play, rec = chain(Feeder([data[i:i + 1400] for i in range(0, len(data), 1400)]),
                                   VorbisDecode(), AudioPlayback(), Recorder())
    for c in (feeder, dec, play, rec):
        c.activate(scheduler)
    scheduler.run()
    assert not scheduler.failures
    assert_played_exactly(disk_audio, ref)
    assert type(rec.control_got[-1]) is producerFinished
    assert play.underruns == 0


class _Trickle(component):
    """Sends a format and one burst of PCM; once the player has started, stalls for ``stall``
    seconds (a network outage), then sends the rest."""

    def __init__(self, fmt, first, rest, stall, player, **argd):
        super().__init__(**argd)
        self.fmt, self.first, self.rest, self.stall, self.player = fmt, first, rest, stall, player

    def main(self):
        self.send(self.fmt, "outbox")
        self.send(self.first, "outbox")
        while not self.player.frames_played:  # the device may take a moment to open
            self.pause(0.01)
            yield 1
        self.pause(self.stall)
        yield 1
        self.send(self.rest, "outbox")
        self.send(producerFinished(), "signal")


def test_an_underrun_is_reported_and_the_audio_is_still_exact(disk_audio, scheduler):
    import random

    rnd = random.Random(5)
    pcm = bytes(rnd.randrange(1, 256) for _ in range(22050 * 2 * 6 // 10))  # 0.6 s, 22.05 kHz mono
    first, rest = pcm[:len(pcm) // 3], pcm[len(pcm) // 3:]  # 0.2 s, then 0.4 s
    play = AudioPlayback(prebuffer=0.05, chunk=0.05)
    src, play, rec = chain(_Trickle(AudioFormat(22050, 1), first, rest, 0.6, play), play, Recorder())
    for c in (src, play, rec):
        c.activate(scheduler)
    scheduler.run()
    underruns = rec.of_type(Underrun)
    assert len(underruns) == 1 and 0.2 < underruns[0].seconds < 0.8, underruns
    raw = open(disk_audio, "rb").read()
    a = raw.find(first)
    b = raw.find(rest)
    assert a >= 0 and b > a + len(first) + 2 * 22050 // 5  # both parts exact, >0.2 s of silence between
    assert not any(raw[a + len(first):b]) and not any(raw[:a]) and not any(raw[b + len(rest):])


def test_wav_writer_writes_the_decoded_pcm(stereo_ogg, tmp_path, scheduler):
    import wave

    ref, rate, ch = pyogg_decode(stereo_ogg)
    out = str(tmp_path / "out.wav")
    dec, wav = chain(VorbisFileDecoder(stereo_ogg), WavWriter(out))
    for c in (dec, wav):
        c.activate(scheduler)
    scheduler.run()
    with wave.open(out, "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (rate, ch, 2)
        assert w.readframes(w.getnframes()) == ref


def test_a_missing_file_reaches_the_end_of_a_playback_pipeline_as_an_error(audio_dir, disk_audio, scheduler):
    dec, play, rec = chain(VorbisFileDecoder(os.path.join(audio_dir, "nope.ogg")), AudioPlayback(), Recorder())
    for c in (dec, play, rec):
        c.activate(scheduler)
    scheduler.run()
    assert isinstance(rec.control_got[-1], AudioError) and rec.control_got[-1].kind == "missing"
    assert not scheduler.failures


class _Ticker(component):
    """Counts its own 20 ms timer wake-ups until told to stop: shows the scheduler stays free."""

    def __init__(self, **argd):
        super().__init__(**argd)
        self.ticks = 0

    def main(self):
        while not self.dataReady("control"):
            self.pause(0.02)
            yield 1
            self.ticks += 1


def test_kamaelia_style_pipeline_plays_exactly_and_never_blocks_the_scheduler(stereo_ogg, disk_audio, scheduler):
    from kamaelia_lite.audio.ratecontrol import RateControlledFileReader
    from kamaelia_lite.chassis import Pipeline

    ref, rate, ch = pyogg_decode(stereo_ogg)
    size = os.path.getsize(stereo_ogg)
    pipe = Pipeline(RateControlledFileReader(stereo_ogg, readmode="bytes", rate=size * 4, chunksize=1024),
                    VorbisDecode(), AudioPlayback())
    ticker = _Ticker()
    pipe.link((pipe, "signal"), (ticker, "control"))
    pipe.activate(scheduler)
    ticker.activate(scheduler)
    t = now()
    scheduler.run()
    took = now() - t
    assert not scheduler.failures
    assert_played_exactly(disk_audio, ref)
    assert took >= 2.0  # 2 s of audio really played out, in real time
    # the 20 ms ticker kept running all along: nothing blocked the scheduler while playing
    assert ticker.ticks >= 0.5 * took / 0.02


def test_a_format_change_reopens_the_device_and_plays_the_new_format_exactly(disk_audio, scheduler):
    import random

    rnd = random.Random(9)
    mono = bytes(rnd.randrange(1, 256) for _ in range(22050 * 2 // 4 + 1))  # 0.25 s and a stray byte
    stereo = bytes(rnd.randrange(1, 256) for _ in range(44100 * 4 // 4))  # 0.25 s
    src, play, rec = chain(Feeder([AudioFormat(22050, 1), mono, AudioFormat(44100, 2), stereo]),
                           AudioPlayback(prebuffer=0.05), Recorder())
    for c in (src, play, rec):
        c.activate(scheduler)
    scheduler.run()
    assert not scheduler.failures
    assert play.frames_played == len(mono) // 2 + len(stereo) // 4  # the stray half frame is dropped
    # SDL rewrote the disk file when the device reopened at 44.1 kHz stereo: only that part is in it
    assert_played_exactly(disk_audio, stereo)
    assert type(rec.control_got[-1]) is producerFinished
