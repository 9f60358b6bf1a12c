"""Under the real micropython binary: auth.py's HMAC-SHA256 matches known vectors (RFC 4231),
signed datagrams verify and forged/replayed ones are refused; the GF(256) erasure code and the
reliable-multicast state machines repair loss, reorder, drop duplicates and report gaps.
micropython-heap: 64k (also run from .mpy modules in a 64 KiB heap)
Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.net import fec  # noqa: E402
from kamaelia_lite.net.auth import DatagramAuthenticator, compare_digest, hmac_sha256  # noqa: E402
from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def hexof(b):
    return "".join(["%02x" % x for x in b])


# RFC 4231 test cases 1, 2 and 6 (key longer than a block)
check(hexof(hmac_sha256(b"\x0b" * 20, b"Hi There"))
      == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "rfc4231 1")
check(hexof(hmac_sha256(b"Jefe", b"what do ya want for nothing?"))
      == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "rfc4231 2")
check(hexof(hmac_sha256(b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First"))
      == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "rfc4231 6")
check(compare_digest(b"ab", b"ab") and not compare_digest(b"ab", b"ac"), "compare_digest")

key = b"0123456789abcdef"
tx = DatagramAuthenticator(key)
rx = DatagramAuthenticator(key)
w = tx.sign(b"payload")
check(rx.verify(w) == b"payload", "verify")
check(rx.verify(w) is None and rx.replayed == 1, "replay refused")
bad = bytearray(w)
bad[0] ^= 1
check(rx.verify(bytes(bad)) is None and rx.forged == 1, "forgery refused")

# erasure code: any m losses
units = [bytes([i]) * (i % 7 + 1) for i in range(10)]
par = fec.encode(units, 3)
data = {}
for i in range(10):
    if i not in (0, 4, 9):
        data[i] = units[i]
rebuilt = fec.decode(10, data, {0: par[0], 1: par[1], 2: par[2]})
for i in (0, 4, 9):
    check(rebuilt[i][: len(units[i])] == units[i], "fec rebuild %d" % i)

# reliable multicast: seeded loss, duplication, reordering; in order and complete
seed = [12345]


def rnd():
    seed[0] = (seed[0] * 1103515245 + 12345) & 0x7FFFFFFF
    return seed[0] / 0x80000000


N = 300


def message(i):
    return bytes([65 + i % 26]) * (i % 30 + 1)


stx = SRMSenderState(k=16, m=5, auth=key, history=16)
srx = SRMReceiverState(auth=key, window_blocks=3)
got = [0, True]          # messages delivered, all equal to what was sent in order
gaps = []
held = []


def take(ev):
    if ev[0] == "data":
        if ev[1] != message(got[0]):
            got[1] = False
        got[0] += 1
    elif ev[0] == "gap":
        gaps.append(ev)


def deliver(d):
    for ev in srx.receive(d, 0.0):
        take(ev)


def channel(d):
    # streamed (no list of every datagram: small heaps fragment): loss, duplication, swaps
    if rnd() < 0.08:
        return
    if held:
        deliver(d)
        deliver(held.pop())
    elif rnd() < 0.03:
        held.append(d)
    else:
        deliver(d)
    if rnd() < 0.02:
        deliver(d)


deliver(b"\x02\x00forged datagram that is not signed (version 2)")
for i in range(N):
    for d in stx.send(message(i)):
        channel(d)
for d in stx.flush():
    channel(d)
for d in held:
    deliver(d)
for ev in srx.flush():
    take(ev)
check(gaps == [], "no gaps")
check(got[0] == N and got[1], "complete and in order")
check(srx.counters["unauthenticated"] + srx.counters["forged"] >= 1, "forged counted")

# heavy loss without parity: exact gap
stx = SRMSenderState(k=8, m=0, history=0)
wire = []
for i in range(6):
    wire.extend(stx.send(bytes([i])))
srx = SRMReceiverState()
evs = []
for n in (0, 1, 4, 5):
    evs.extend(srx.receive(wire[n], 0.0))
evs.extend(srx.flush())
check(("gap", 2, 3) in evs, "exact gap")

print("ok")
