"""The push decoder resyncs after lost/corrupt pages (silence of reported length, no desync),
skips in-band repeated headers, joins mid-stream on them, and follows a looping sender."""
import random

from audio_helpers import pyogg_decode

from kamaelia_lite.audio.messages import AudioFormat, StreamGap, StreamRestart
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder


def _pages(path):
    return OggPageSplitter(check_crc=True).feed(open(path, "rb").read())


def _decode(chunks):
    dec = VorbisPushDecoder()
    out = []
    for c in chunks:
        out += dec.feed(c)
    out += dec.finish()
    dec.close()
    return out, dec


def _pcm(out):
    return b"".join(x for x in out if isinstance(x, bytes))


def _check_gaps(out, ref, fb):
    """Output = reference, except the reported gaps, which are zeros of exactly the reported length."""
    pos = 0
    gaps = []
    for ev in out:
        if isinstance(ev, bytes):
            pos += len(ev)
        elif isinstance(ev, StreamGap):
            gaps.append((pos, ev.silence_frames * fb))
    pcm = _pcm(out)
    assert len(pcm) == len(ref)  # still time-aligned: no desync
    prev = 0
    for start, n in gaps:
        assert pcm[prev:start] == ref[prev:start]
        assert pcm[start:start + n] == bytes(n)
        prev = start + n
    assert pcm[prev:] == ref[prev:]
    return gaps


def test_a_lost_page_becomes_reported_silence_of_the_right_length(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    lost = len(pages) // 2
    out, dec = _decode([p.data for i, p in enumerate(pages) if i != lost])
    gaps = _check_gaps(out, ref, 2 * ch)
    assert len(gaps) == 1
    gap_ev = [e for e in out if isinstance(e, StreamGap)][0]
    assert gap_ev.pages_lost == 1
    # the silence covers at least the lost page's audio
    lost_frames = pages[lost].granulepos - pages[lost - 1].granulepos
    assert gap_ev.silence_frames >= lost_frames
    assert dec.failed is None


def test_corrupt_bytes_resync_at_the_next_page(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    data = bytearray(open(long_ogg, "rb").read())
    pages = _pages(long_ogg)
    off = sum(len(p) for p in pages[:len(pages) // 2])
    for i in range(off + 100, off + 140):
        data[i] ^= 0x5A  # CRC now fails: libogg drops the page and hunts for the next
    out, dec = _decode([bytes(data[i:i + 777]) for i in range(0, len(data), 777)])
    gaps = _check_gaps(out, ref, 2 * ch)
    assert len(gaps) == 1
    ev = [e for e in out if isinstance(e, StreamGap)][0]
    assert ev.bytes_skipped > 0


def test_heavy_random_loss_never_desyncs(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    rnd = random.Random(7)
    kept = [p.data for i, p in enumerate(pages) if i < 3 or i == len(pages) - 1 or rnd.random() > 0.3]
    out, dec = _decode(kept)
    gaps = _check_gaps(out, ref, 2 * ch)
    assert gaps
    assert dec.failed is None


def test_in_band_repeated_headers_are_skipped_and_let_late_joiners_start(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    hp = VorbisHeaderPages()
    for p in pages:
        if not hp.add(p):
            break
    nh = len(hp.pages)
    assert hp.complete and hp.rate == rate and hp.channels == ch
    # the sender repeats the header pages before every 3rd data page
    sent = [p.data for p in pages[:nh]]
    for i, p in enumerate(pages[nh:]):
        if i and i % 3 == 0:
            sent.append(hp.data)
        sent.append(p.data)
    out, _ = _decode(sent)
    assert _pcm(out) == ref
    assert [e for e in out if not isinstance(e, bytes)] == [AudioFormat(rate, ch)]
    # a receiver that joins in the middle waits for the next header pages, then decodes the rest
    cut = len(sent) // 2
    late_out, late_dec = _decode(sent[cut:])
    pcm = _pcm(late_out)
    assert late_dec.pages_waiting_for_headers >= 1
    assert pcm and len(pcm) < len(ref)
    assert ref.endswith(pcm)


def test_a_looping_sender_gives_the_file_again_even_if_the_last_page_is_lost(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    data = [p.data for p in pages]
    out, _ = _decode(data + data + data)
    assert _pcm(out) == ref * 3
    assert len([e for e in out if isinstance(e, StreamRestart)]) == 2
    # the end-of-stream page of the first pass goes missing: the second pass still starts clean
    out, dec = _decode(data[:-1] + data)
    pcm = _pcm(out)
    assert pcm.endswith(ref)
    assert ref.startswith(pcm[:len(pcm) - len(ref)])
    assert dec.failed is None
