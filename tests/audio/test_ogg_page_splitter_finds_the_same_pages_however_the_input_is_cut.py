"""Property (the class the fuzzer searches, kept in CI): whatever bytes come in, cut anywhere,
OggPageSplitter finds the same pages as when fed the whole input, accounts for every byte (pages,
skipped junk, held back), never holds back a page's worth, and VorbisHeaderPages and pack_pages
take whatever pages it finds without raising."""
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.audio.oggpages import MAX_PAGE, OggPageSplitter, VorbisHeaderPages, ogg_crc, pack_pages


def page(body, flags=0, serial=1, pageno=0, granule=0, good_crc=True):
    lacing = bytes([255] * (len(body) // 255) + [len(body) % 255])
    p = bytearray(b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, pageno, 0, len(lacing))
                  + lacing + body)
    if good_crc:
        p[22:26] = struct.pack("<I", ogg_crc(p))
    return bytes(p)


pieces = st.one_of(
    st.binary(max_size=40),  # junk
    st.builds(page, st.binary(max_size=600), st.sampled_from([0, 1, 2, 4, 6]), st.integers(0, 3),
              st.integers(0, 5), st.integers(-1, 1 << 40), st.booleans()),
    # BOS pages that start like a Vorbis identification header, of any length
    st.builds(lambda b, n: page((b"\x01vorbis" + b)[:n], flags=2), st.binary(max_size=40), st.integers(0, 47)),
    st.just(b"OggS"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(pieces, max_size=12), st.lists(st.integers(1, 200), min_size=1, max_size=6), st.booleans(),
       st.integers(1, 1500))
def test_pages_do_not_depend_on_how_the_input_is_cut(parts, sizes, check_crc, max_size):
    data = b"".join(parts)
    whole = OggPageSplitter(check_crc=check_crc)
    pages = whole.feed(data)
    assert whole.bytes_skipped + sum(len(p) for p in pages) + whole.pending == len(data)
    cut = OggPageSplitter(check_crc=check_crc)
    got, pos, i = [], 0, 0
    while pos < len(data):
        n = sizes[i % len(sizes)]
        got += cut.feed(data[pos:pos + n])
        assert cut.pending < MAX_PAGE
        pos += n
        i += 1
    assert [p.data for p in got] == [p.data for p in pages]
    assert cut.flush() == whole.flush()
    hp = VorbisHeaderPages()
    for p in pages:
        hp.add(p)
    grams = pack_pages(pages, max_size)
    assert all(len(g) <= max_size for g in grams)
    assert b"".join(grams) == b"".join(p.data for p in pages)
