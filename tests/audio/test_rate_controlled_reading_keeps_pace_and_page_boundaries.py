"""RateControlledFileReader sends the whole file no faster than its rate, in the sizes asked for;
in "oggpages" mode every message holds whole pages; OggPagePacer streams an .ogg in real time
(by granule position) with the header pages repeated in band, and it decodes back to the file."""
import os

from audio_helpers import Recorder, chain, pyogg_decode

from kamaelia_lite.audio.messages import AudioError, AudioFormat
from kamaelia_lite.audio.oggpages import OggPageSplitter
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from kamaelia_lite.audio.ratecontrol import OggPagePacer, RateControlledFileReader
from microaxon import now, producerFinished, shutdownMicroprocess


def _run(scheduler, *comps):
    for c in comps:
        c.activate(scheduler)
    t = now()
    scheduler.run()
    return now() - t


def test_bytes_mode_sends_the_file_in_chunks_at_the_rate(stereo_ogg, scheduler):
    data = open(stereo_ogg, "rb").read()
    reader, rec = chain(RateControlledFileReader(stereo_ogg, rate=len(data) * 2, chunksize=len(data) // 10),
                        Recorder())
    took = _run(scheduler, reader, rec)
    assert b"".join(rec.got) == data
    assert all(len(m) == len(data) // 10 for m in rec.got[:-1])
    # ~11 chunks at ~20 chunks/s: the last one is due no earlier than 0.5 s after the first
    assert took >= 0.45
    assert type(rec.control_got[-1]) is producerFinished


def test_lines_mode_counts_lines(tmp_path, scheduler):
    path = str(tmp_path / "lines.txt")
    with open(path, "w") as f:
        for i in range(30):
            f.write("line %d\n" % i)
    reader, rec = chain(RateControlledFileReader(path, readmode="lines", rate=100, chunksize=4), Recorder())
    took = _run(scheduler, reader, rec)
    assert "".join(rec.got) == open(path).read()
    assert [m.count("\n") for m in rec.got] == [4] * 7 + [2]
    assert took >= 0.25


def test_oggpages_mode_messages_hold_whole_pages(long_ogg, scheduler):
    data = open(long_ogg, "rb").read()
    reader, rec = chain(RateControlledFileReader(long_ogg, readmode="oggpages", rate=10 ** 6, chunksize=9000),
                        Recorder())
    _run(scheduler, reader, rec)
    assert b"".join(rec.got) == data
    for m in rec.got:
        sp = OggPageSplitter(check_crc=True)
        pages = sp.feed(m)
        assert pages and sp.pending == 0 and sp.bytes_skipped == 0  # whole pages, nothing else
        assert len(m) <= 9000


def test_big_pages_are_cut_to_the_datagram_size(long_ogg, scheduler):
    data = open(long_ogg, "rb").read()
    reader, rec = chain(RateControlledFileReader(long_ogg, readmode="oggpages", rate=10 ** 6, chunksize=1400),
                        Recorder())
    _run(scheduler, reader, rec)
    assert b"".join(rec.got) == data
    assert max(len(m) for m in rec.got) == 1400


def test_missing_file_is_an_error_on_signal(audio_dir, scheduler):
    reader, rec = chain(RateControlledFileReader(os.path.join(audio_dir, "absent.ogg")), Recorder())
    _run(scheduler, reader, rec)
    assert isinstance(rec.control_got[-1], AudioError) and rec.control_got[-1].kind == "missing"


def test_pacer_streams_in_real_time_with_repeated_headers_and_decodes_to_the_file(stereo_ogg, scheduler):
    ref, rate, ch = pyogg_decode(stereo_ogg)
    pacer = OggPagePacer(stereo_ogg, speed=4.0, lead=0.1, header_interval=0.1, max_datagram=1400)
    raw = Recorder()
    pacer.link((pacer, "outbox"), (raw, "inbox"))
    pacer.link((pacer, "signal"), (raw, "control"))
    took = _run(scheduler, pacer, raw)
    assert took >= 2.0 / 4.0 - 0.1 - 0.05  # no faster than 4x real time (less the lead)
    assert all(len(d) <= 1400 for d in raw.got)
    stream = b"".join(raw.got)
    assert len(stream) > os.path.getsize(stereo_ogg)  # header pages were repeated in band
    dec = VorbisDecode()
    from audio_helpers import Feeder

    feeder, dec, rec = chain(Feeder(raw.got), dec, Recorder())
    _run(scheduler, feeder, dec, rec)
    assert rec.got[0] == AudioFormat(rate, ch)
    assert rec.pcm == ref


def test_pacer_loops_until_shut_down(mono_ogg, scheduler):
    ref, rate, ch = pyogg_decode(mono_ogg)
    pacer = OggPagePacer(mono_ogg, speed=20.0, lead=0.05, header_interval=0, loop=True)
    dec = VorbisDecode()
    rec = Recorder()
    pacer.link((pacer, "outbox"), (dec, "inbox"))
    dec.link((dec, "outbox"), (rec, "inbox"))
    dec.link((dec, "signal"), (rec, "control"))

    from microaxon import component

    class StopAfter(component):
        def main(self):
            self.pause(1.5 * 1.5 / 20.0 * 2)  # about two passes
            yield 1
            self.send(shutdownMicroprocess(), "outbox")

    stopper = StopAfter()
    stopper.link((stopper, "outbox"), (pacer, "control"))
    pacer.link((pacer, "signal"), (dec, "control"))
    _run(scheduler, pacer, dec, rec, stopper)
    assert pacer.passes >= 2
    assert rec.pcm.startswith(ref + ref[:1000])
