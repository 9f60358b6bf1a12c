"""A few kilobytes of Ogg can decode to megabytes of PCM: a Vorbis audio packet of one byte is a
whole block (1024 frames of a 44.1 kHz stereo stream), so one 1400-byte datagram of such packets
stands for 2.8 MB and a 64 KB one for 128 MB. With ``max_output_bytes`` the push decoder returns
about that much per call (plus one packet's worth, or audio held back until a granule position
placed it, at most max_silence) and says so with ``backlog``; ``feed(b"")``
gives the rest, and all of it together is exactly what the unbounded decoder gives. VorbisDecode
uses a 1 MiB budget: it decodes as its outbox makes room."""
import struct

from audio_helpers import Feeder, Recorder, chain, pyogg_decode, run_all

from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from microaxon import Scheduler

BUDGET = 256 * 1024
PACKET_PCM = 2048 * 4  # the most one packet of this stream decodes to (blocksize 2048, stereo)
HELD_PCM = 10 * 44100 * 4  # max_silence (10 s) of audio held until a granule position places it


def page(serial, pageno, packets, granule, flags=0):
    lacing = b"".join(bytes([255] * (len(p) // 255) + [len(p) % 255]) for p in packets)
    p = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, pageno, 0, len(lacing)) + lacing
                  + b"".join(packets))
    p[22:26] = struct.pack("<I", ogg_crc(p))
    return bytes(p)


def tiny_packet_stream(path, n_pages=8):
    """The file's header pages, then pages of 255 one-byte long-block packets each."""
    pages = OggPageSplitter(check_crc=True).feed(open(path, "rb").read())
    serial = pages[0].serial
    body = [page(serial, 2 + i, [b"\x02"] * 255, 261120 * (i + 1), flags=4 if i == n_pages - 1 else 0)
            for i in range(n_pages)]
    return pages[0].data + pages[1].data + b"".join(body)


def decode_with_budget(data, budget):
    dec = VorbisPushDecoder(max_output_bytes=budget)
    calls = [dec.feed(data)]
    while dec.backlog:
        calls.append(dec.feed(b""))
    calls.append(dec.finish())
    dec.close()
    return calls


def pcm_of(events):
    return b"".join(e for e in events if isinstance(e, bytes))


def test_each_call_returns_at_most_the_budget_and_the_rest_follows(stereo_ogg):
    data = tiny_packet_stream(stereo_ogg)
    assert len(data) < 12_000
    whole = VorbisPushDecoder()
    ref = whole.feed(data) + whole.finish()
    whole.close()
    assert len(pcm_of(ref)) > 8_000_000  # 12 kB of input, 8 MB of PCM
    calls = decode_with_budget(data, BUDGET)
    assert len(calls) >= 8_000_000 // BUDGET
    sizes = [len(pcm_of(events)) for events in calls]
    assert sizes[0] <= BUDGET + PACKET_PCM + HELD_PCM  # the first page's audio, held to its end
    assert max(sizes[1:]) <= BUDGET + PACKET_PCM
    assert pcm_of(sum(calls, [])) == pcm_of(ref)
    assert [repr(e) for e in sum(calls, []) if not isinstance(e, bytes)] == \
        [repr(e) for e in ref if not isinstance(e, bytes)]


def test_a_real_file_fed_whole_decodes_the_same_with_a_budget(stereo_ogg):
    ref, _, _ = pyogg_decode(stereo_ogg)
    calls = decode_with_budget(open(stereo_ogg, "rb").read(), 20_000)
    assert len(calls) > 3 and pcm_of(sum(calls, [])) == ref


def test_vorbis_decode_decodes_a_small_message_of_tiny_packets_as_its_outbox_makes_room(stereo_ogg):
    data = tiny_packet_stream(stereo_ogg)
    whole = VorbisPushDecoder()
    ref = pcm_of(whole.feed(data) + whole.finish())
    whole.close()
    feeder, dec, rec = chain(Feeder([data]), VorbisDecode(), Recorder())
    run_all(Scheduler(), feeder, dec, rec)
    assert dec.max_output_bytes == 1 << 20
    assert rec.pcm == ref
    assert max(len(m) for m in rec.got if isinstance(m, bytes)) <= (1 << 20) + PACKET_PCM
