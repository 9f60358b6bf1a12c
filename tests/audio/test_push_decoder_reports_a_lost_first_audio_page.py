"""Losing the first audio page(s) of a stream that the decoder saw from its start is reported: a
StreamGap and silence of exactly the missing length, so the output stays on the sender's timeline
(the same as a loss later in the stream). A late joiner (data pages before the headers, or a
live stream: expect_start=False) still starts where it joins, silently."""
from audio_helpers import pyogg_decode

from kamaelia_lite.audio.messages import AudioError, StreamGap
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder


def _pages(path):
    return OggPageSplitter(check_crc=True).feed(open(path, "rb").read())


def _header_count(pages):
    hp = VorbisHeaderPages()
    for p in pages:
        if not hp.add(p):
            break
    return len(hp.pages)


def _decode(chunks, **options):
    dec = VorbisPushDecoder(**options)
    out = []
    for c in chunks:
        out += dec.feed(c)
    out += dec.finish()
    dec.close()
    return out, dec


def _split_at_gaps(out, fb):
    """[(byte offset in the PCM, silence bytes)] for each StreamGap, and the whole PCM."""
    pos, gaps = 0, []
    for ev in out:
        if isinstance(ev, bytes):
            pos += len(ev)
        elif isinstance(ev, StreamGap):
            gaps.append((pos, ev.silence_frames * fb, ev))
    return gaps, b"".join(e for e in out if isinstance(e, bytes))


def test_a_lost_first_audio_page_is_reported_silence_and_the_timeline_holds(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    fb = 2 * ch
    pages = _pages(long_ogg)
    nh = _header_count(pages)
    lost = pages[nh]
    out, dec = _decode([p.data for i, p in enumerate(pages) if i != nh])
    gaps, pcm = _split_at_gaps(out, fb)
    assert len(gaps) == 1, [e for e in out if not isinstance(e, bytes)]
    start, n, ev = gaps[0]
    assert start == 0 and ev.pages_lost == 1
    assert ev.silence_frames >= lost.granulepos  # at least the lost page's audio
    assert len(pcm) == len(ref)  # time-aligned: nothing shifted
    assert pcm[:n] == bytes(n) and pcm[n:] == ref[n:]
    assert not [e for e in out if isinstance(e, AudioError)]


def test_losing_the_first_two_audio_pages_is_one_gap_of_both(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    nh = _header_count(pages)
    out, dec = _decode([p.data for i, p in enumerate(pages) if i not in (nh, nh + 1)])
    gaps, pcm = _split_at_gaps(out, 2 * ch)
    assert len(gaps) == 1 and gaps[0][2].pages_lost == 2
    assert gaps[0][2].silence_frames >= pages[nh + 1].granulepos
    assert len(pcm) == len(ref) and pcm[gaps[0][1]:] == ref[gaps[0][1]:]


def test_nothing_lost_means_no_gap(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    out, dec = _decode([p.data for p in _pages(long_ogg)])
    assert not [e for e in out if isinstance(e, StreamGap)]
    assert b"".join(e for e in out if isinstance(e, bytes)) == ref


def test_a_late_joiner_on_repeated_headers_starts_where_it_joins_without_a_gap(long_ogg):
    ref, rate, ch = pyogg_decode(long_ogg)
    pages = _pages(long_ogg)
    nh = _header_count(pages)
    headers = [p.data for p in pages[:nh]]
    rest = [p.data for p in pages[nh + 4:]]
    # a receiver that saw data pages before the headers joined mid-stream: it plays from there
    out, dec = _decode([p.data for p in pages[nh + 2:nh + 4]] + headers + rest)
    gaps, pcm = _split_at_gaps(out, 2 * ch)
    assert not gaps and pcm and len(pcm) < len(ref) and ref.endswith(pcm)
    # a live receiver (expect_start=False) given the header pages, then the current page (what a
    # TCP radio server sends a new listener) joined too
    out, dec = _decode(headers + rest, expect_start=False)
    gaps, pcm = _split_at_gaps(out, 2 * ch)
    assert not gaps and pcm and len(pcm) < len(ref) and ref.endswith(pcm)
    # the same bytes where the stream is expected from its start: 4 pages were lost, reported
    out, dec = _decode(headers + rest)
    gaps, pcm = _split_at_gaps(out, 2 * ch)
    assert len(gaps) == 1 and gaps[0][0] == 0 and gaps[0][2].pages_lost == 4
    assert len(pcm) == len(ref)
