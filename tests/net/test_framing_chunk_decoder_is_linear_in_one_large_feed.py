"""ChunkDecoder is linear in one large feed holding many chunks (a file read whole, a large
socket read), not only in many small feeds: each chunk found does not copy the rest of the feed
again. The same bytes cost about the same whether fed whole or in 4 KiB pieces."""
import time

from kamaelia_lite.net.framing import ChunkDecoder, FrameTooLarge, escape_sync

SYNC = b"XXXX"


def _cpu(pieces, **kw):
    best = None
    for _ in range(2):
        dec = ChunkDecoder(SYNC, **kw)
        t = time.process_time()
        out = []
        for p in pieces:
            out += dec.feed(p)
        out += dec.flush()
        t = time.process_time() - t
        best = t if best is None else min(best, t)
    return best, out


def test_many_chunks_in_one_feed_cost_what_they_cost_in_small_feeds():
    messages = [b"m%d" % i for i in range(100000)]
    stream = b"".join(SYNC + escape_sync(m, SYNC) for m in messages)
    t_whole, whole = _cpu([stream])
    t_pieces, pieces = _cpu([stream[i:i + 4096] for i in range(0, len(stream), 4096)])
    assert whole == pieces == messages
    assert t_whole < 3 * max(t_pieces, 1e-3), "whole %.3fs, 4 KiB pieces %.3fs" % (t_whole, t_pieces)


def test_oversized_chunks_in_one_feed_are_reported_and_the_rest_delivered():
    stream = SYNC + b"a" * 50 + SYNC + b"ok" + SYNC + b"b" * 51 + SYNC + b"last"
    _, out = _cpu([stream], max_chunk=50)
    assert [type(e).__name__ if isinstance(e, FrameTooLarge) else e for e in out] == [
        b"a" * 50, b"ok", "FrameTooLarge", b"last"]
