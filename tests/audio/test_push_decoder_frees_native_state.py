"""Native libogg/libvorbis state is freed by close() and when the component is shut down."""
from audio_helpers import Feeder, Recorder, chain

from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from microaxon import shutdownMicroprocess


def _rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _open_and_close(data):
    dec = VorbisPushDecoder()
    dec.feed(data)  # headers + some audio: the codebooks and the DSP state are allocated
    dec.close()
    dec.close()  # idempotent
    assert dec.closed


def test_close_frees_the_decoder_state(stereo_ogg):
    data = open(stereo_ogg, "rb").read()[:12000]
    for _ in range(20):
        _open_and_close(data)
    before = _rss_kib()
    for _ in range(400):
        _open_and_close(data)
    grown = _rss_kib() - before
    # one unfreed stream costs well over 100 KiB (codebooks, MDCT tables, PCM buffers)
    assert grown < 8 * 1024, "RSS grew by %d KiB over 400 decoders" % grown


def test_shutdown_mid_stream_frees_and_passes_the_message_on(stereo_ogg, scheduler):
    data = open(stereo_ogg, "rb").read()
    chunks = [data[i:i + 500] for i in range(0, len(data) // 2, 500)]
    stop = shutdownMicroprocess()
    feeder, dec, rec = chain(Feeder(chunks, final=stop), VorbisDecode(), Recorder())
    for c in (feeder, dec, rec):
        c.activate(scheduler)
    scheduler.run()
    assert rec.control_got[-1] is stop
    assert dec.decoder.closed
    assert not scheduler.failures
