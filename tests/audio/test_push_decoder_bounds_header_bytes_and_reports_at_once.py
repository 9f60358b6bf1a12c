"""A header packet that never ends (a "header bomb") is stopped at the decoder's byte budget and
reported at once with an AudioError, not at end of stream; audio decoded before it is all
delivered first. The same holds for an audio packet continued for ever."""
import struct

from audio_helpers import pyogg_decode

from kamaelia_lite.audio.messages import AudioError
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages, ogg_crc
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder

BUDGET = 1 << 20  # the default byte budget is at most 1 MiB
BODY = bytes(range(255)) * 255  # 65,025 bytes of a never-ending packet per page


_made = {}


def continued_page(serial, pageno, granule=-1, continued=True, body=BODY):
    """An Ogg page whose lacing values are all 255: its packet goes on into the next page."""
    key = (serial, pageno, granule, continued, body[:8])
    if key not in _made:  # the CRC is computed in pure Python: make each page once
        _made[key] = _continued_page(serial, pageno, granule, continued, body)
    return _made[key]


def _continued_page(serial, pageno, granule, continued, body):
    nseg = len(body) // 255
    assert nseg * 255 == len(body) and nseg <= 255
    hdr = b"OggS" + struct.pack("<BBqIIIB", 0, 1 if continued else 0, granule, serial, pageno, 0, nseg)
    page = bytearray(hdr + bytes([255] * nseg) + body)
    page[22:26] = struct.pack("<I", ogg_crc(page))
    return bytes(page)


def _header_pages(path):
    hp = VorbisHeaderPages()
    pages = OggPageSplitter().feed(open(path, "rb").read())
    for p in pages:
        if not hp.add(p):
            break
    return hp, pages


def header_bomb(path, serial, pages):
    """The file's identification header page, then a comment header that never ends."""
    hp, _ = _header_pages(path)
    first = hp.pages[0]
    hdr = bytearray(first.data[:first.header_len])
    hdr[14:18] = struct.pack("<I", serial)
    hdr[22:26] = bytes(4)
    bos = bytearray(bytes(hdr) + first.body)
    bos[22:26] = struct.pack("<I", ogg_crc(bos))
    bomb = [continued_page(serial, 1, continued=False, body=b"\x03vorbis" + BODY[7:])]
    bomb += [continued_page(serial, 2 + i) for i in range(pages - 1)]
    return [bytes(bos)] + bomb


def _feed_until_error(dec, chunks):
    out, fed = [], 0
    for c in chunks:
        fed += len(c)
        out += dec.feed(c)
        if any(isinstance(e, AudioError) for e in out):
            return out, fed
    return out, None


def test_an_endless_header_packet_is_reported_as_soon_as_it_passes_the_budget(stereo_ogg):
    dec = VorbisPushDecoder()
    chunks = header_bomb(stereo_ogg, 0x5EED, pages=20)  # 1.3 MB of "comment header"
    out, fed = _feed_until_error(dec, chunks)
    assert fed is not None, "no AudioError while the header kept growing"
    assert fed <= BUDGET + 2 * len(chunks[-1])  # within a page of the budget
    err = [e for e in out if isinstance(e, AudioError)][0]
    assert err.kind == "too-large" and dec.failed is err
    assert "header" in err.reason and str(dec.max_header_bytes) in err.reason
    assert dec.max_header_bytes <= BUDGET
    assert dec.feed(chunks[-1]) == []  # stopped: nothing more is buffered
    dec.close()


def test_a_smaller_budget_is_honoured(stereo_ogg):
    dec = VorbisPushDecoder(max_header_bytes=100_000)
    out, fed = _feed_until_error(dec, header_bomb(stereo_ogg, 9, pages=10))
    assert fed is not None and fed <= 100_000 + 2 * 65_536
    dec.close()


def test_audio_decoded_before_a_header_bomb_is_all_delivered_first(stereo_ogg):
    ref, rate, ch = pyogg_decode(stereo_ogg)
    good = open(stereo_ogg, "rb").read()
    dec = VorbisPushDecoder()
    out, fed = _feed_until_error(dec, [good] + header_bomb(stereo_ogg, 0xB0B, pages=20))
    assert fed is not None
    errors = [i for i, e in enumerate(out) if isinstance(e, AudioError)]
    assert errors and errors[0] == len(out) - 1  # the error is the last event
    assert b"".join(e for e in out if isinstance(e, bytes)) == ref
    dec.close()


def test_an_endless_audio_packet_is_reported_at_the_budget_after_the_good_audio(stereo_ogg):
    ref, rate, ch = pyogg_decode(stereo_ogg)
    hp, pages = _header_pages(stereo_ogg)
    nh = len(hp.pages)
    data_pages = [p for p in pages[nh:] if not p.eos]
    last = data_pages[-1]
    # the audio so far, then a packet that never ends, in the same logical stream
    chunks = [p.data for p in pages[:nh]] + [p.data for p in data_pages]
    chunks += [continued_page(last.serial, last.pageno + 1 + i, continued=(i > 0)) for i in range(20)]
    dec = VorbisPushDecoder()
    out, fed = _feed_until_error(dec, chunks)
    assert fed is not None, "no AudioError while the packet kept growing"
    assert fed - sum(len(p.data) for p in pages[:nh] + data_pages) <= BUDGET + 2 * 65_536
    err = out[-1]
    assert isinstance(err, AudioError) and err.kind == "too-large" and "packet" in err.reason
    pcm = b"".join(e for e in out if isinstance(e, bytes))
    assert pcm and ref.startswith(pcm)
    dec.close()


def test_the_vorbis_decode_component_signals_the_error_after_the_good_audio(stereo_ogg):
    from audio_helpers import Feeder, Recorder, chain, run_all

    from kamaelia_lite.audio.push_decoder_components import VorbisDecode
    from microaxon import Scheduler

    ref, rate, ch = pyogg_decode(stereo_ogg)
    good = open(stereo_ogg, "rb").read()
    feeder, dec, rec = chain(Feeder([good] + header_bomb(stereo_ogg, 0xB0B, pages=20)), VorbisDecode(), Recorder())
    run_all(Scheduler(), feeder, dec, rec)
    assert rec.pcm == ref
    err = rec.control_got[-1]
    assert isinstance(err, AudioError) and err.kind == "too-large"
    assert dec.decoder.bytes_in < len(good) + 18 * 65_536  # it stopped at the budget, not at the end of input
