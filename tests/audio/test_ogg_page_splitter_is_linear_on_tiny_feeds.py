"""OggPageSplitter is amortised linear in what it is fed, however small the pieces: a page
dribbled in one byte at a time (a slow or hostile network peer) is found once, and an 8x bigger
page costs about 8x (not 64x) the CPU time. (Before, each piece copied and rescanned everything
held: a 64 KB page fed byte by byte took most of a second.)"""
import time

from test_ogg_page_splitter_finds_the_same_pages_however_the_input_is_cut import page

from kamaelia_lite.audio.oggpages import OggPageSplitter


def bytewise(splitter, stream):
    out = []
    for i in range(len(stream)):
        out += splitter.feed(stream[i:i + 1])
    return out


def test_a_page_fed_byte_by_byte_is_found_once_with_nothing_held():
    stream = b"junk" + page(b"x" * 5000) + page(b"y" * 3, pageno=1)
    sp = OggPageSplitter(check_crc=True)
    got = bytewise(sp, stream)
    assert [p.data for p in got] == [page(b"x" * 5000), page(b"y" * 3, pageno=1)]
    assert sp.pending == 0 and sp.bytes_skipped == 4 and sp.flush() == b""


def test_a_half_fed_page_is_given_back_whole_by_flush():
    stream = page(b"z" * 3000)
    sp = OggPageSplitter()
    assert bytewise(sp, stream[:2000]) == []
    assert sp.pending == 2000 and sp.flush() == stream[:2000] and sp.pending == 0
    assert [p.data for p in bytewise(sp, stream)] == [stream]


def cpu_to_split(body):
    stream = page(b"a" * body)
    best = None
    for _ in range(3):
        sp = OggPageSplitter()
        t = time.process_time()
        got = bytewise(sp, stream)
        t = time.process_time() - t
        assert [p.data for p in got] == [stream]
        best = t if best is None else min(best, t)
    return best


def test_a_page_fed_byte_by_byte_costs_linear_time():
    small = cpu_to_split(8000)
    large = cpu_to_split(64000)                     # 8x the bytes (the largest pages are 65 KB)
    assert large < 24 * max(small, 1e-3), "%.3fs for 8 KB, %.3fs for 64 KB" % (small, large)
