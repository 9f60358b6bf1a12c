"""Reliable multicast, sans-IO: sequence numbers, reordering, duplicate removal, loss repair.

Two pure state machines (no sockets, no clock: time is passed in) that run on CPython and
MicroPython:

- :class:`SRMSenderState` turns messages into datagrams: ``send(msg) -> [datagrams]``,
  ``flush() -> [datagrams]`` (close a partial block, emit its parity), ``heartbeat() -> datagram``,
  ``handle_nack(datagram) -> [datagrams to resend]``.
- :class:`SRMReceiverState` turns datagrams (in any order, duplicated, with losses) back into the
  messages, in order: ``receive(datagram, now) -> [events]``, ``tick(now) -> [events]``,
  ``flush() -> [events]``, ``next_deadline() -> float or None``.

Events are tuples whose first item says what they are:

- ``("data", message)`` the next message, in order (bytes).
- ``("gap", first, last)`` datagrams ``first..last`` (inclusive sequence numbers) are lost for good
  and could not be repaired; the message(s) they carried are not delivered (a message whose
  fragments straddle a gap is dropped whole; the gap event covers it).
- ``("nack", datagram)`` (only with ``nack=True``) a repair request to send to the sender by
  unicast; the sender answers it with ``SRMSenderState.handle_nack``.
- ``("joined", seq)`` the receiver synchronised with a stream at sequence number ``seq``.
- ``("resync", stream_id)`` a different stream (a restarted sender) took over; what was pending for
  the old one was given up (with gap events).

Loss repair without a back-channel: every block of ``k`` data datagrams is followed by ``m``
parity datagrams of a GF(256) erasure code (:mod:`kamaelia_lite.net.fec`): any ``m`` losses among
the ``k + m`` datagrams of a block are repaired (overhead ``m / k``). Where unicast back to the
sender exists, NACKs repair what the parity could not (the sender keeps a bounded history).
The wire format is documented in ``docs/net-multicast.md``.

Thin components wrapping these (``SRMSender``, ``SRMReceiver``, Kamaelia's ``SRM_Sender``,
``SRM_Receiver``) live in :mod:`kamaelia_lite.net.srm_components`.
"""

from kamaelia_lite.net import fec
from kamaelia_lite.net.auth import DatagramAuthenticator

VERSION = 2
EPOCH_SIZE = 6
HEADER_SIZE = 13 + EPOCH_SIZE

DATA = 0
PARITY = 1
HEARTBEAT = 2
NACK = 3

FLAG_AUTH = 0x80       # datagram ends with an auth.py trailer (HMAC-SHA256)
FLAG_MORE = 0x40       # DATA: the message continues in the next datagram (fragment)
FLAG_CONT = 0x20       # DATA: this datagram continues the message of the previous one
FLAG_START = 0x10      # DATA/PARITY/HEARTBEAT: the block is the first of the stream
KIND_MASK = 0x0F

UNIT_MORE = 0x8000     # in the 2-byte length prefix of an erasure-coded unit: FLAG_MORE
UNIT_CONT = 0x4000     # ... FLAG_CONT
UNIT_LEN = 0x3FFF
MAX_PAYLOAD = 0x3FFF   # a datagram's payload is at most this long (the unit prefix has 14 bits)

SEQ_MOD = 1 << 32
_HALF = 1 << 31

MAX_NACK_RANGES = 64


class SRMError(ValueError):
    """Raised for invalid parameters (never for bad datagrams: those are dropped and counted)."""


def _header(kind, flags, stream, seq, index, k, m, epoch):
    return (bytes([VERSION, kind | flags]) + stream.to_bytes(4, "big")
            + (seq % SEQ_MOD).to_bytes(4, "big") + bytes([index, k, m])
            + epoch.to_bytes(EPOCH_SIZE, "big"))


_last_epoch = [0]


def new_epoch():
    """A sender run's epoch: the wall clock in milliseconds, and always more than the last one
    this process made (two senders started in the same millisecond still differ)."""
    import time
    try:
        ms = time.time_ns() // 1000000
    except AttributeError:
        ms = int(time.time() * 1000)
    if ms <= _last_epoch[0]:
        ms = _last_epoch[0] + 1
    _last_epoch[0] = ms
    return ms % (1 << (8 * EPOCH_SIZE))


def _make_auth(auth):
    """A key becomes a DatagramAuthenticator without auth.py's replay window: SRM refuses
    replays itself — the signed epoch in every header refuses an earlier run's datagrams, and
    sequence numbers drop the current run's as duplicates — and a NACK repair (the same signed
    bytes, sent again much later) must still be accepted by the receivers that missed it."""
    if auth is None or isinstance(auth, DatagramAuthenticator):
        return auth
    return DatagramAuthenticator(auth, replay_window=0)


def _random_stream_id():
    from kamaelia_lite.net.auth import _urandom
    return int.from_bytes(_urandom(4), "big")


class SRMSenderState:
    """Sender half: messages in, datagrams out.

    ``k``: data datagrams per FEC block (1..255), ``m``: parity datagrams per full block
    (0 disables FEC; ``k + m <= 256``). ``max_payload``: bytes of message per datagram (longer
    messages are split into fragments and put together again by the receiver). ``auth``: a key
    (bytes/str) or a :class:`~kamaelia_lite.net.auth.DatagramAuthenticator` to sign every datagram.
    ``history``: data datagrams kept for NACK repair. ``min_parity``: the fewest parity datagrams
    of a short block (closed by :meth:`flush`, at most ``m``).

    A short block gets the parity it needs to tolerate the same random loss rate as a full block
    (see :func:`short_block_parity`), which is more than the full block's ratio ``m / k``: a few
    datagrams with a proportional one or two parity are lost far more often than a full block.
    """

    def __init__(self, k=64, m=16, max_payload=1200, auth=None, history=1024, stream_id=None,
                 first_seq=0, min_parity=2, epoch=None):
        if not (1 <= k <= 255) or not (0 <= m <= 255) or k + m > fec.MAX_UNITS:
            raise SRMError("need 1 <= k <= 255, 0 <= m, k + m <= 256 (got k=%r, m=%r)" % (k, m))
        if not (1 <= max_payload <= MAX_PAYLOAD):
            raise SRMError("max_payload must be 1..%d" % MAX_PAYLOAD)
        self.k = k
        self.m = m
        self.min_parity = min(min_parity, m)
        self._short_parity = {}         # short block size -> parity count (short_block_parity)
        self._tolerated = None          # tolerated_loss(k, m), computed at the first short block
        self.max_payload = max_payload
        self.auth = _make_auth(auth)
        self.stream_id = _random_stream_id() if stream_id is None else stream_id % SEQ_MOD
        self.epoch = new_epoch() if epoch is None else epoch % (1 << (8 * EPOCH_SIZE))
        self.first_seq = first_seq
        self.seq = first_seq            # next data sequence number (unbounded int; wire is mod 2^32)
        self.block_start = first_seq
        self._encoder = fec.BlockEncoder(m) if m else None
        self.history_size = history
        self._history = {}
        self.sent_data = 0
        self.sent_parity = 0
        self.resent = 0

    # -- helpers
    def _seal(self, datagram):
        if self.auth is not None:
            return self.auth.sign(datagram)
        return datagram

    def _flags(self):
        f = FLAG_AUTH if self.auth is not None else 0
        if self.block_start == self.first_seq:
            f |= FLAG_START
        return f

    def _data_datagram(self, chunk, more, cont):
        index = self.seq - self.block_start
        seq = self.seq
        flags = self._flags() | (FLAG_MORE if more else 0) | (FLAG_CONT if cont else 0)
        d = self._seal(_header(DATA, flags, self.stream_id, seq, index, 0, 0, self.epoch) + chunk)
        if self._encoder is not None:
            head = len(chunk) | (UNIT_MORE if more else 0) | (UNIT_CONT if cont else 0)
            self._encoder.add(head.to_bytes(2, "big") + chunk)
        if self.history_size:
            self._history[seq] = d
            old = seq - self.history_size
            if old in self._history:
                del self._history[old]
        self.seq = seq + 1
        self.sent_data += 1
        return d

    def _close_block(self, out):
        count = self.seq - self.block_start
        if count == 0:
            return
        if self._encoder is not None:
            if count == self.k:
                m = self.m
            else:
                m = self._short_parity.get(count)
                if m is None:
                    if self._tolerated is None:
                        self._tolerated = tolerated_loss(self.k, self.m)
                    m = short_block_parity(self.k, self.m, count, self._tolerated)
                    m = max(self.min_parity, m)
                    self._short_parity[count] = m
            parity = self._encoder.parity(m)
            flags = self._flags()
            for j in range(m):
                out.append(self._seal(_header(PARITY, flags, self.stream_id, self.block_start, j,
                                              count, m, self.epoch) + parity[j]))
            self.sent_parity += m
            self._encoder.reset()
        self.block_start = self.seq

    # -- API
    def send(self, message):
        """Datagrams carrying ``message`` (bytes; str is sent UTF-8 encoded), plus parity when a
        block fills up. Anything else raises SRMError."""
        if isinstance(message, str):
            message = message.encode("utf-8")
        elif isinstance(message, (bytearray, memoryview)):
            message = bytes(message)
        elif not isinstance(message, bytes):
            raise SRMError("SRM sends bytes or str, not %s" % type(message).__name__)
        out = []
        n = len(message)
        step = self.max_payload
        pos = 0
        while True:
            chunk = message[pos:pos + step]
            cont = pos > 0
            pos += step
            more = pos < n
            out.append(self._data_datagram(chunk, more, cont))
            if self.seq - self.block_start == self.k:
                self._close_block(out)
            if not more:
                return out

    def flush(self):
        """Close the current (short) block: its parity datagrams, or [] when nothing is pending."""
        out = []
        self._close_block(out)
        return out

    def pending(self):
        """Data datagrams sent in the current block whose parity has not been sent yet."""
        return self.seq - self.block_start

    def heartbeat(self):
        """A datagram telling receivers the next sequence number (shows tail losses, lets late
        joiners start at once when the sender is at a block boundary)."""
        index = min(self.seq - self.block_start, 255)
        return self._seal(_header(HEARTBEAT, self._flags(), self.stream_id, self.seq, index, 0, 0,
                                  self.epoch))

    def handle_nack(self, datagram):
        """Data datagrams to send again for a NACK from a receiver ([] when not valid/ours)."""
        d = bytes(datagram)
        if self.auth is not None:
            if len(d) < 2 or not d[1] & FLAG_AUTH:
                return []
            d = self.auth.verify(d)
            if d is None:
                return []
        ranges = parse_nack(d)
        if ranges is None or ranges[0] != self.stream_id or _epoch_of(d) != self.epoch:
            return []                       # not ours, or for an earlier run of this stream
        out = []
        lo = self.seq - self.history_size       # the history holds [lo, seq) (from first_seq)
        for first32, count in ranges[1]:
            first = self._unwrap(first32)
            # only the part of the range the history can hold: a NACK naming millions of
            # numbers costs no more than one naming what is kept
            for s in range(max(first, lo), min(first + count, self.seq)):
                dg = self._history.get(s)
                if dg is not None:
                    out.append(dg)
                    if len(out) >= 256:
                        self.resent += len(out)
                        return out
        self.resent += len(out)
        return out

    def _unwrap(self, seq32):
        diff = (seq32 - self.seq) % SEQ_MOD
        if diff >= _HALF:
            diff -= SEQ_MOD
        return self.seq + diff

    def stats(self):
        return {"data": self.sent_data, "parity": self.sent_parity, "resent": self.resent,
                "overhead": (self.sent_parity / self.sent_data) if self.sent_data else 0.0}


# What "blocks tolerate a loss rate" means when choosing a short block's parity: random loss at
# that rate makes at most this many blocks unrepairable per data datagram sent (one per million).
SHORT_BLOCK_RESIDUAL = 1e-6


def unrepaired_odds(data, parity, loss):
    """Expected unrepairable blocks per data datagram, for blocks of ``data`` + ``parity`` datagrams
    under independent random ``loss`` (0 <= loss < 1): the odds that more than ``parity`` of the
    block's datagrams are lost (any ``parity`` losses are repaired), divided by ``data``.
    (Summed in logarithms: no overflow or underflow with single-precision MicroPython floats.)"""
    from math import exp, log

    if loss <= 0.0:
        return 0.0
    n = data + parity
    lq = log(loss)
    lr = log(1.0 - loss)
    lc = 0.0                            # log C(n, e), for e = parity + 1
    for i in range(parity + 1):
        lc += log((n - i) / (i + 1))
    total = 0.0
    for e in range(parity + 1, n + 1):
        total += exp(lc + e * lq + (n - e) * lr)
        if e < n:
            lc += log((n - e) / (e + 1))
    return total / data


def tolerated_loss(data, parity):
    """The highest random loss rate at which blocks of ``data`` + ``parity`` datagrams are
    unrepairable at most SHORT_BLOCK_RESIDUAL times per data datagram (bisection, to about 1e-9)."""
    lo, hi = 0.0, 1.0
    for _ in range(32):
        mid = (lo + hi) / 2
        if unrepaired_odds(data, parity, mid) <= SHORT_BLOCK_RESIDUAL:
            lo = mid
        else:
            hi = mid
    return lo


def short_block_parity(k, m, count, loss=None):
    """Parity datagrams for a short block of ``count`` < ``k`` data datagrams when a full block has
    ``m``: the fewest that tolerate the loss rate a full block tolerates (:func:`tolerated_loss`),
    never fewer than the full block's ratio (``ceil(m * count / k)``), never more than ``m``.
    ``loss``: ``tolerated_loss(k, m)`` when already known.

    Scaling ``m`` by the block's size is not enough: at 5% loss a block of 4 data + 2 parity is
    unrepairable once per ~450 blocks, a full 64 + 16 block once per ~2.7 million. For k=64, m=16
    (tolerates 7.4%) a short block of 1, 4, 8, 16 or 32 data datagrams gets 5, 6, 7, 9 or 12 parity.
    """
    if m == 0 or count >= k:
        return m
    p = (m * count + k - 1) // k
    if loss is None:
        loss = tolerated_loss(k, m)
    while p < m and unrepaired_odds(count, p, loss) > SHORT_BLOCK_RESIDUAL:
        p += 1
    return p


def _epoch_of(d):
    return int.from_bytes(d[13:13 + EPOCH_SIZE], "big")


def parse_nack(d):
    """(stream id, [(first seq mod 2^32, count), ...]) from a NACK datagram, or None if invalid."""
    if len(d) < HEADER_SIZE + 1 or d[0] != VERSION or d[1] & KIND_MASK != NACK:
        return None
    n = d[HEADER_SIZE]
    body = d[HEADER_SIZE + 1:]
    if n == 0 or n > MAX_NACK_RANGES or len(body) != 6 * n:
        return None
    ranges = []
    for r in range(n):
        o = 6 * r
        count = int.from_bytes(body[o + 4:o + 6], "big")
        if count == 0:
            return None
        ranges.append((int.from_bytes(body[o:o + 4], "big"), count))
    return (int.from_bytes(d[2:6], "big"), ranges)


class _Block:
    __slots__ = ("first", "k", "m", "data", "parity", "last")

    def __init__(self, first, now):
        self.first = first
        self.k = 0          # number of data datagrams; 0 while unknown (learnt from parity)
        self.m = 0
        self.data = {}      # index -> unit (2-byte prefix + payload)
        self.parity = {}    # row -> parity unit
        self.last = now


class SRMReceiverState:
    """Receiver half: datagrams in (any order), events out (messages in order, gaps, NACKs).

    ``auth``: the key (or a DatagramAuthenticator) when the stream is signed: then unsigned or
    forged datagrams are dropped and counted. ``window_blocks``: FEC blocks held open at once
    (memory bound: about ``window_blocks * (k + m) * max_payload`` bytes); when a datagram of a
    newer block arrives with the window full, the oldest block is given up (delivered as far as
    possible, the rest reported as a gap). ``hold_time``: seconds without any datagram after
    which a stall is given up (call :meth:`tick`). ``nack``: emit NACK events for losses the
    parity cannot repair; ``nack_delay`` seconds of stall before each NACK, ``nack_retries`` NACKs
    before giving up. ``max_message``: longest message re-assembled from fragments.
    ``switch_after``: datagrams of another stream id in a row (while the current stream is still
    heard, i.e. within ``hold_time``) before following it (a restarted sender); a second sender
    interleaved on the same group is ignored and counted in ``other_stream``.
    """

    def __init__(self, auth=None, window_blocks=4, hold_time=1.0, nack=False, nack_delay=0.05,
                 nack_retries=3, max_message=1 << 20, max_payload=MAX_PAYLOAD, switch_after=16):
        if window_blocks < 1:
            raise SRMError("window_blocks must be >= 1")
        self.auth = _make_auth(auth)
        self.window_blocks = window_blocks
        self.hold_time = hold_time
        self.nack = nack
        self.nack_delay = nack_delay
        self.nack_retries = nack_retries
        self.max_message = max_message
        self.max_payload = max_payload
        self.switch_after = max(1, switch_after)
        self._candidate = None      # another stream id seen while the current one is alive
        self._candidate_epoch = None
        self._candidate_datagrams = []
        self.stream_id = None
        self.epoch = None           # the run (epoch) of the stream followed
        self.next_seq = None        # next sequence number to deliver; None until joined
        self._join_after = None
        self._ref = None
        self._blocks = {}
        self._pending = {}          # seq >= next_seq -> unit
        self._known_end = None      # all seqs below this were sent (from heartbeats / parity)
        self._last_arrival = 0.0
        self._nacks_sent = 0
        self._next_nack = None
        self._frags = None          # None: between messages; list: collecting; False: dropping
        self._frag_len = 0
        self._pending_limit = window_blocks * 2 * fec.MAX_UNITS
        self.counters = {"delivered": 0, "datagrams": 0, "duplicates": 0, "late": 0,
                         "recovered": 0, "lost": 0, "gaps": 0, "malformed": 0, "forged": 0,
                         "unauthenticated": 0, "before_join": 0, "nacks": 0, "oversized": 0,
                         "resyncs": 0, "evicted_blocks": 0, "parity_unused": 0, "replayed": 0,
                         "other_stream": 0}

    # ------------------------------------------------------------------ input
    def receive(self, datagram, now=0.0):
        """Feed one datagram (bytes); returns the list of events it caused."""
        c = self.counters
        d = datagram
        if len(d) < HEADER_SIZE or d[0] != VERSION:
            c["malformed"] += 1
            return []
        flags = d[1]
        if self.auth is not None:
            if not flags & FLAG_AUTH:
                c["unauthenticated"] += 1
                return []
            replayed = self.auth.replayed
            d = self.auth.verify(d)
            if d is None or len(d) < HEADER_SIZE:
                c["replayed" if self.auth.replayed != replayed else "forged"] += 1
                return []
            flags = d[1]
        elif flags & FLAG_AUTH:
            c["unauthenticated"] += 1     # signed stream but no key here: cannot check it
            return []
        kind = flags & KIND_MASK
        if kind == NACK:
            return []                     # for senders
        if kind > NACK:
            c["malformed"] += 1
            return []
        stream = int.from_bytes(d[2:6], "big")
        index = d[10]
        k = d[11]
        m = d[12]
        if kind == DATA:
            if len(d) - HEADER_SIZE > self.max_payload or k or m:
                c["malformed"] += 1
                return []
        elif kind == PARITY:
            if (k == 0 or m == 0 or index >= m or k + m > fec.MAX_UNITS
                    or len(d) < HEADER_SIZE + 2 or len(d) - HEADER_SIZE > self.max_payload + 2):
                c["malformed"] += 1
                return []
        events = []
        epoch = _epoch_of(d)
        if self.stream_id is not None and epoch < self.epoch:
            # an earlier run than the one followed: a replay (or a sender older than ours)
            c["replayed"] += 1
            return events
        if stream == self.stream_id and epoch > self.epoch:
            # the same sender, restarted: its sequence numbers begin again; follow it at once
            self._candidate = None
            self._candidate_datagrams = []
            self._resync(stream, events)
        elif stream != self.stream_id and self.stream_id is not None:
            # another stream (of this run or a later one): a restarted sender with a new id, or
            # a second sender on the group. Switch when the current stream has been silent for
            # hold_time, or after switch_after datagrams of the new one in a row (kept, and
            # replayed after the switch so nothing is lost).
            if stream != self._candidate or epoch != self._candidate_epoch:
                self._candidate = stream
                self._candidate_epoch = epoch
                self._candidate_datagrams = []
            self._candidate_datagrams.append(d)
            if (now - self._last_arrival < self.hold_time
                    and len(self._candidate_datagrams) < self.switch_after):
                c["other_stream"] += 1
                return events
            held = self._candidate_datagrams
            self._candidate = None
            self._candidate_datagrams = []
            self._resync(stream, events)
            self.epoch = epoch
            for old in held[:-1]:
                self._dispatch(old, now, events)
        elif self._candidate is not None:
            self._candidate = None                 # the current stream goes on: forget the other
            self._candidate_datagrams = []
        self.stream_id = stream
        self.epoch = epoch
        self._dispatch(d, now, events)
        return events

    def _resync(self, stream, events):
        """Give up what is pending of the stream followed (gaps) and follow ``stream`` afresh."""
        events.extend(self.flush())
        events.append(("resync", stream))
        self.counters["resyncs"] += 1
        self._reset()
        self.stream_id = stream

    def _dispatch(self, d, now, events):
        """Act on a checked datagram of the current stream."""
        self.counters["datagrams"] += 1
        flags = d[1]
        kind = flags & KIND_MASK
        index = d[10]
        self._last_arrival = now
        seq = self._unwrap(int.from_bytes(d[6:10], "big"))
        if kind == DATA:
            self._on_data(d, seq, index, flags, now, events)
        elif kind == PARITY:
            self._on_parity(d, seq, index, d[11], d[12], now, events)
        else:
            self._on_heartbeat(seq, index, events)

    def _reset(self):
        self.next_seq = None
        self._join_after = None
        self._ref = None
        self._blocks = {}
        self._pending = {}
        self._known_end = None
        self._frags = None
        self._frag_len = 0
        self._nacks_sent = 0
        self._next_nack = None

    def _unwrap(self, seq32):
        ref = self._ref
        if ref is None:
            self._ref = seq32
            return seq32
        diff = (seq32 - ref) % SEQ_MOD
        if diff >= _HALF:
            diff -= SEQ_MOD
        seq = ref + diff
        if diff > 0:
            self._ref = seq
        return seq

    def _join(self, first, events):
        self.next_seq = first
        events.append(("joined", first))

    def _joinable(self, first, events):
        """True when the block starting at ``first`` may be taken (joining if not yet joined)."""
        if self.next_seq is not None:
            return True
        if self._join_after is None:
            self._join_after = first + 1
            return False
        if first >= self._join_after:
            self._join(first, events)
            return True
        return False

    def _block(self, first, now, events):
        b = self._blocks.get(first)
        if b is None:
            b = _Block(first, now)
            self._blocks[first] = b
            if len(self._blocks) > self.window_blocks:
                self._evict_oldest(events)
                b = self._blocks.get(first)
                if b is None:
                    return None
        else:
            b.last = now
        return b

    def _on_data(self, d, seq, index, flags, now, events):
        c = self.counters
        first = seq - index
        if self.next_seq is None:
            if (index == 0 and self._join_after is None) or flags & FLAG_START:
                self._join(first, events)
            elif not self._joinable(first, events):
                c["before_join"] += 1
                return
        payload = d[HEADER_SIZE:]
        head = len(payload)
        if flags & FLAG_MORE:
            head |= UNIT_MORE
        if flags & FLAG_CONT:
            head |= UNIT_CONT
        unit = head.to_bytes(2, "big") + payload
        if seq < self.next_seq:
            b = self._blocks.get(first)
            if b is not None and index not in b.data and (not b.k or index < b.k):
                b.data[index] = unit         # cannot be delivered any more, may help decoding
                c["late"] += 1
            else:
                c["duplicates"] += 1
            return
        if seq in self._pending:
            c["duplicates"] += 1
            return
        b = self._block(first, now, events)
        if b is None or seq < self.next_seq:
            c["late"] += 1
            return
        if b.k and index >= b.k:
            c["malformed"] += 1
            return
        b.data[index] = unit
        self._pending[seq] = unit
        if seq == self.next_seq:
            self._deliver(events)
        if b.k:
            self._try_repair(b, events)
        if len(self._pending) > self._pending_limit:
            self._give_up_to(min(self._pending) + 1, events)

    def _on_parity(self, d, first, row, k, m, now, events):
        c = self.counters
        if self.next_seq is None and d[1] & FLAG_START:
            self._join(first, events)
        if self.next_seq is None:
            if self._join_after is None:
                self._join_after = first + 1
                c["before_join"] += 1
                return
            if not self._joinable(first, events):
                c["before_join"] += 1
                return
        if first + k <= self.next_seq:
            c["parity_unused"] += 1       # its block was complete (or given up) already
            return
        b = self._block(first, now, events)
        if b is None or first + k <= self.next_seq:
            c["parity_unused"] += 1
            return
        if b.k == 0:
            for i in b.data:
                if i >= k:
                    c["malformed"] += 1        # inconsistent with data already held
                    return
            b.k = k
            b.m = m
        elif b.k != k or b.m != m:
            c["malformed"] += 1
            return
        if row in b.parity:
            c["duplicates"] += 1
            return
        unit = d[HEADER_SIZE:]
        for other in b.parity.values():
            if len(other) != len(unit):
                c["malformed"] += 1
                return
            break
        b.parity[row] = unit
        end = first + k
        if self._known_end is None or end > self._known_end:
            self._known_end = end
        self._try_repair(b, events)

    def _on_heartbeat(self, seq, index, events):
        if self.next_seq is None:
            if index == 0 and (self._join_after is None or seq >= self._join_after):
                self._join(seq, events)
            elif self._join_after is None:
                self._join_after = seq - index + 1
            return
        if self._known_end is None or seq > self._known_end:
            self._known_end = seq

    # ------------------------------------------------------------------ repair and delivery
    def _try_repair(self, b, events):
        k = b.k
        have = len(b.data)
        if have >= k or have + len(b.parity) < k:
            return
        try:
            rebuilt = fec.decode(k, b.data, b.parity)
        except ValueError:
            self.counters["malformed"] += 1
            return
        c = self.counters
        for i in rebuilt:
            raw = rebuilt[i]
            head = int.from_bytes(raw[:2], "big")
            n = head & UNIT_LEN
            if n > len(raw) - 2:
                c["malformed"] += 1
                continue
            unit = raw[:2 + n]
            b.data[i] = unit
            seq = b.first + i
            if seq >= self.next_seq:
                self._pending[seq] = unit
                c["recovered"] += 1
        self._deliver(events)

    def _deliver(self, events):
        pending = self._pending
        seq = self.next_seq
        if seq not in pending:
            return
        while seq in pending:
            self._emit(pending.pop(seq), events)
            seq += 1
        self.next_seq = seq
        self._nacks_sent = 0
        self._next_nack = None
        self._drop_finished_blocks()

    def _drop_finished_blocks(self):
        blocks = self._blocks
        if len(blocks) == 1:
            for f in blocks:
                b = blocks[f]
                if b.k and f + b.k <= self.next_seq:
                    del blocks[f]
                return
        done = []
        starts = sorted(blocks)
        for n in range(len(starts)):
            f = starts[n]
            b = blocks[f]
            if b.k:
                if f + b.k <= self.next_seq:
                    done.append(f)
            elif n + 1 < len(starts) and starts[n + 1] <= self.next_seq:
                done.append(f)
        for f in done:
            del blocks[f]

    def _emit(self, unit, events):
        head = (unit[0] << 8) | unit[1]
        payload = unit[2:]
        frags = self._frags
        if head & UNIT_CONT:
            if frags is None:
                return                      # its start was lost in a gap (already reported)
        elif frags is not None:
            frags = None                    # unfinished message before (cannot happen unless forged)
        if head & UNIT_MORE:
            if frags is None:
                frags = []
                self._frag_len = 0
            if frags is not False:
                self._frag_len += len(payload)
                if self._frag_len > self.max_message:
                    frags = False
                    self.counters["oversized"] += 1
                else:
                    frags.append(payload)
            self._frags = frags
            return
        self._frags = None
        if frags is False:
            return
        if frags:
            frags.append(payload)
            payload = b"".join(frags)
        self.counters["delivered"] += 1
        events.append(("data", payload))

    def _give_up_to(self, end, events):
        """Deliver what is held below ``end``; report every missing run below it as a gap."""
        seq = self.next_seq
        if end <= seq:
            return
        pending = self._pending
        present = sorted([s for s in pending if s < end])
        for s in present:
            if s > seq:
                self._gap(seq, s - 1, events)
            self._emit(pending.pop(s), events)
            seq = s + 1
        if seq < end:
            self._gap(seq, end - 1, events)
        self.next_seq = end
        self._nacks_sent = 0
        self._next_nack = None
        self._drop_finished_blocks()
        self._deliver(events)

    def _gap(self, first, last, events):
        self._frags = None        # a message cut by the gap is lost; its tail (CONT) is dropped
        self.counters["gaps"] += 1
        self.counters["lost"] += last - first + 1
        events.append(("gap", first, last))

    def _stall_end(self):
        """Where to give up to when the stall at next_seq is abandoned."""
        seq = self.next_seq
        blocks = self._blocks
        starts = sorted(blocks)
        later = None
        for f in starts:
            if f > seq:
                later = f
                break
        containing = None
        for f in starts:
            if f <= seq:
                containing = f
        if containing is not None:
            b = blocks[containing]
            if b.k:
                return containing + b.k
            if later is not None:
                return later
            top = containing + max(b.data) + 1 if b.data else seq
            if self._known_end is not None and self._known_end > top:
                top = self._known_end
            return top
        if later is not None:
            return later
        if self._known_end is not None:
            return self._known_end
        return seq

    def _evict_oldest(self, events):
        self.counters["evicted_blocks"] += 1
        while len(self._blocks) > self.window_blocks:
            oldest = min(self._blocks)
            b = self._blocks[oldest]
            if b.k:
                end = oldest + b.k
            else:
                end = None
                for f in self._blocks:
                    if f > oldest and (end is None or f < end):
                        end = f
            if end is not None and end > self.next_seq:
                self._give_up_to(end, events)
            if oldest in self._blocks:
                del self._blocks[oldest]

    def _stalled(self):
        if self.next_seq is None:
            return False
        if self._pending:
            return True
        return self._known_end is not None and self._known_end > self.next_seq

    def _missing_ranges(self, end):
        """Runs of missing numbers in [next_seq, end), at most 0xFFFF long, at most
        MAX_NACK_RANGES of them: found from what is held (``end`` may be 2^31 ahead)."""
        ranges = []
        seq = self.next_seq
        held = sorted([s for s in self._pending if s < end])
        held.append(end)
        for s in held:
            while seq < s and len(ranges) < MAX_NACK_RANGES:
                n = min(s - seq, 0xFFFF)
                ranges.append((seq, n))
                seq += n
            if len(ranges) >= MAX_NACK_RANGES:
                break
            if s >= seq:
                seq = s + 1
        return ranges

    def _nack_datagram(self, ranges):
        body = bytes([len(ranges)])
        for first, count in ranges:
            body += (first % SEQ_MOD).to_bytes(4, "big") + count.to_bytes(2, "big")
        flags = FLAG_AUTH if self.auth is not None else 0
        d = _header(NACK, flags, self.stream_id, ranges[0][0], 0, 0, 0, self.epoch) + body
        if self.auth is not None:
            d = self.auth.sign(d)
        return d

    # ------------------------------------------------------------------ time
    def next_deadline(self):
        """When :meth:`tick` should next be called (same clock as ``now``), or None."""
        if not self._stalled():
            return None
        give_up = self._last_arrival + self.hold_time
        if self.nack and self._nacks_sent < self.nack_retries:
            t = self._next_nack if self._next_nack is not None else self._last_arrival + self.nack_delay
            return min(t, give_up)
        return give_up

    def tick(self, now):
        """Act on time passing: NACK a stall, or give it up (gap) after ``hold_time`` of silence."""
        events = []
        if not self._stalled():
            return events
        if self.nack and self._nacks_sent < self.nack_retries:
            due = self._next_nack if self._next_nack is not None else self._last_arrival + self.nack_delay
            if now >= due:
                end = self._stall_end()
                if end <= self.next_seq and self._pending:
                    end = max(self._pending)
                ranges = self._missing_ranges(end)
                if ranges:
                    events.append(("nack", self._nack_datagram(ranges)))
                    self.counters["nacks"] += 1
                    self._nacks_sent += 1
                    self._next_nack = now + self.nack_delay
                    return events
        if now - self._last_arrival >= self.hold_time:
            end = self._stall_end()
            if end <= self.next_seq:
                end = max(self._pending) + 1 if self._pending else self.next_seq
            self._give_up_to(end, events)
        return events

    def flush(self):
        """End of stream: deliver what is held, report everything missing below it as gaps."""
        events = []
        if self.next_seq is None:
            return events
        end = self.next_seq
        if self._pending:
            end = max(self._pending) + 1
        for f in self._blocks:
            b = self._blocks[f]
            if b.k and f + b.k > end:
                end = f + b.k
        if self._known_end is not None and self._known_end > end:
            end = self._known_end
        self._give_up_to(end, events)
        self._blocks = {}
        self._pending = {}
        return events

    def held(self):
        """Datagrams held in memory (pending delivery or kept for repair)."""
        n = 0
        for f in self._blocks:
            b = self._blocks[f]
            n += len(b.data) + len(b.parity)
        return n
