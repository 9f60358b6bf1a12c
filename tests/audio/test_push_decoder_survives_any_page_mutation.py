"""Property (the class the fuzzer searches, kept in CI): real Ogg Vorbis pages with any header
field changed (granule position, sequence number, flags, serial), pages dropped, repeated or
with a body byte changed, all with valid CRCs so that libogg passes them on to libvorbis, fed
in any chunking with or without an output budget: the push decoder returns events and never
raises, an AudioError is the last event if any, each call's PCM stays within its budget
(plus one gap's zeros and one packet), and the result does not depend on the chunking."""
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from tools.fuzz.compare import audio_events, decoded

_pages = {}


def pages_of(path):
    if path not in _pages:
        _pages[path] = [p.data for p in OggPageSplitter(check_crc=True).feed(open(path, "rb").read())]
    return _pages[path]


def mutate(pages, ops):
    out = [bytearray(p) for p in pages]
    for kind, idx, value in ops:
        if not out:
            break
        i = idx % len(out)
        p = out[i]
        if kind == "granule":
            p[6:14] = struct.pack("<q", value)
        elif kind == "pageno":
            p[18:22] = struct.pack("<I", value & 0xFFFFFFFF)
        elif kind == "flags":
            p[5] = value & 7
        elif kind == "serial":
            p[14:18] = struct.pack("<I", value & 0xFFFFFFFF)
        elif kind == "byte":
            j = 27 + p[26] + value % max(1, len(p) - 27 - p[26])
            if j < len(p):
                p[j] ^= (value >> 8) & 0xFF or 1
        elif kind == "drop":
            del out[i]
            continue
        elif kind == "repeat":
            out.insert(i, bytearray(p))
        p[22:26] = bytes(4)
        p[22:26] = struct.pack("<I", ogg_crc(p))
    return b"".join(bytes(p) for p in out)


def decode(chunks, budget):
    return decoded(VorbisPushDecoder(max_output_bytes=budget), chunks, 2 * 8192 * 2)


ops = st.lists(st.tuples(st.sampled_from(["granule", "pageno", "flags", "serial", "byte", "drop", "repeat"]),
                         st.integers(0, 50),
                         st.one_of(st.integers(-1, 1 << 20), st.integers(-(1 << 63), (1 << 63) - 1))),
               max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops, st.lists(st.integers(1, 5000), min_size=1, max_size=4), st.sampled_from([None, 4096, 65536]))
def test_mutated_pages_give_events_not_exceptions_whatever_the_chunking(stereo_ogg, ops, sizes, budget):
    data = mutate(pages_of(stereo_ogg), ops)
    whole = audio_events(decode([data], None))
    chunks, pos, i = [], 0, 0
    while pos < len(data):
        chunks.append(data[pos:pos + sizes[i % len(sizes)]])
        pos += sizes[i % len(sizes)]
        i += 1
    assert audio_events(decode(chunks, budget)) == whole
