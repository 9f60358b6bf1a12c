"""The sans-IO framing module under the real micropython binary (also with -X heapsize=128k from source; 64k once compiled with mpy-cross):
lines, length-prefixed frames, netstrings, packetising and fragment reassembly, plus a small
deterministic fuzz (only documented errors, bounded buffers).
Plain script: raises on failure, prints ok.
# micropython-heap: 128k
"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.net import framing as f  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)


_seed = [12345]


def rnd(n):
    """Small LCG (the same on every port): an int in [0, n)."""
    _seed[0] = (_seed[0] * 1103515245 + 12345) & 0x7FFFFFFF
    return _seed[0] % n if n else 0


def rbytes(n):
    return bytes([rnd(256) for _ in range(n)])


def feed_chunks(dec, data):
    out = []
    i = 0
    while i < len(data):
        j = i + 1 + rnd(17)
        if dec.failed is not None:
            try:
                dec.feed(data[i:j])
            except f.FramingError:
                pass
            else:
                raise AssertionError("failed decoder accepted input")
        else:
            out += dec.feed(data[i:j])
        i = j
    return out


# lines
d = f.LineDecoder(max_line=8)
ev = d.feed(b"short\n" + b"x" * 50 + b"\nnext\r\n")
check(ev[0] == b"short" and isinstance(ev[1], f.LineTooLong) and ev[2] == b"next", ev)
lines = [b"a", b"", b"bb", b"ccc"] * 20
check(feed_chunks(f.LineDecoder(max_line=8), b"".join(f.encode_line(x) for x in lines)) == lines, "lines")

# length-prefixed and netstrings
msgs = [b"", b"hello", rbytes(300), b"z"]
check(feed_chunks(f.LengthPrefixDecoder(), b"".join(f.encode_length_prefixed(m) for m in msgs)) == msgs, "lp")
check(feed_chunks(f.NetstringDecoder(), b"".join(f.encode_netstring(m) for m in msgs)) == msgs, "ns")
bad = f.NetstringDecoder().feed(b"05:hello,")
check(len(bad) == 1 and isinstance(bad[0], f.MalformedFrame) and bad[0].fatal, bad)

# packetising and fragments
p = f.Packetiser(100)
pk = p.feed(rbytes(250)) + p.flush()
check([len(x) for x in pk] == [100, 100, 50], pk)
fr = f.Fragmenter(max_datagram=64)
r = f.Reassembler()
ds = fr.encode(rbytes(500))
got = []
for k in range(len(ds) - 1, -1, -1):
    got += r.feed(ds[k])
check(len(got) == 1 and len(got[0]) == 500, "reassembly")

# fuzz: random bytes into every decoder
for _round in range(60):
    data = rbytes(rnd(400))
    for dec, bound in ((f.LineDecoder(max_line=16), 16), (f.LengthPrefixDecoder(max_frame=64), 68),
                       (f.NetstringDecoder(max_frame=64), 66)):
        for ev in feed_chunks(dec, data):
            check(isinstance(ev, (bytes, f.FramingError)), ev)
        check(dec.pending <= bound, (type(dec), dec.pending))
    ra = f.Reassembler(max_message=256, max_pending=2)
    for k in range(0, len(data), 40):
        for ev in ra.feed(data[k:k + 40]):
            check(isinstance(ev, (bytes, f.FramingError)) and not getattr(ev, "fatal", False), ev)

print("ok")
