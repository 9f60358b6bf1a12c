"""Audio decoded before any granule position says where it belongs is held back, but only up to
the decoder's bounds (max_silence seconds, max_silence_bytes): pages whose packets end but whose
granule position is always -1 (a corrupt or hostile sender) used to make the decoder hold every
decoded sample for ever, growing without bound and emitting nothing. Past the bound the held audio
is played where the stream is (as at the end of input)."""
import struct

from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder


def page(serial, pageno, packets, granule):
    lacing = b"".join(bytes([255] * (len(p) // 255) + [len(p) % 255]) for p in packets)
    p = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, 0, granule, serial, pageno, 0, len(lacing)) + lacing
                  + b"".join(packets))
    p[22:26] = struct.pack("<I", ogg_crc(p))
    return bytes(p)


def test_audio_without_a_granule_position_is_not_held_for_ever(stereo_ogg):
    pages = OggPageSplitter(check_crc=True).feed(open(stereo_ogg, "rb").read())
    rate = 44100
    dec = VorbisPushDecoder(expect_start=False)
    out = dec.feed(pages[0].data + pages[1].data)  # the header pages
    # one-byte audio packets (a long block each: ~1024 frames), never a granule position
    fed = 0
    for i in range(12):
        data = page(pages[0].serial, 2 + i, [b"\x02"] * 255, -1)
        fed += len(data)
        out += dec.feed(data)
    pcm = sum(len(e) for e in out if isinstance(e, bytes))
    decoded = dec.frames_out + dec._stream.held_frames
    assert decoded > 30 * rate  # the pages did decode to a minute of audio...
    held = dec._stream.held_frames
    assert held <= dec.max_silence * rate  # ...of which no more than max_silence is held back
    assert pcm >= (decoded - held) * 4 > 0  # the rest came out
    dec.close()
