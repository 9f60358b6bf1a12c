"""Sans-IO framing: pure state machines that turn a byte stream into messages and back.

Nothing here touches a socket or the runtime; the components in ``kamaelia_lite.net.framing_components``
wrap these classes. The module runs unchanged on CPython and MicroPython (no annotations, no
typing, no dataclasses), so type information lives in the docstrings.

Decoders share one shape:

- ``feed(data) -> list`` takes any number of bytes and returns the events it completed, in order.
  An event is either a payload (``bytes``) or an instance of a ``FramingError`` subclass.
  Errors are *returned*, never raised, so the payloads that arrived before a bad frame are not
  lost. A returned error has ``fatal`` set when the stream cannot be resynchronised; the decoder
  is then failed and any later ``feed`` raises that same error.
- ``close() -> list`` says "end of stream": it returns what can still be delivered (for lines, a
  final unterminated line) or an ``IncompleteFrame`` error when a frame was cut off.
- ``pending`` is the number of bytes buffered. It never exceeds the configured maximum (plus the
  header), whatever the input: memory stays bounded.

Encoders raise ``FrameTooLarge`` (a ``ValueError``) when asked to encode more than their limit,
because that is a bug in the sending program, not bad input from a peer.

The only exception a decoder can raise is ``FramingError`` (from feeding a failed decoder) or
``TypeError`` when handed something that is not bytes.
"""

import struct

__all__ = [
    "FramingError", "LineTooLong", "FrameTooLarge", "MalformedFrame", "IncompleteFrame",
    "FragmentsLost",
    "LineDecoder", "encode_line",
    "LengthPrefixDecoder", "encode_length_prefixed",
    "NetstringDecoder", "encode_netstring",
    "Packetiser", "split_packets", "Fragmenter", "Reassembler",
    "encode_tagged_frame", "decode_tagged_frame",
    "escape_sync", "unescape_sync", "ChunkDecoder",
]

SKIP = "skip"
CLOSE = "close"


class FramingError(ValueError):
    """The documented protocol error of every decoder in this module.

    Attributes: ``fatal`` (bool) the stream cannot continue; ``size`` (int) the size involved
    (line length seen, declared frame length) or -1; ``limit`` (int) the configured limit or -1.
    """

    fatal = False

    def __init__(self, message, size=-1, limit=-1, fatal=None):
        super().__init__(message)
        self.message = message
        self.size = size
        self.limit = limit
        if fatal is not None:
            self.fatal = fatal

    def __repr__(self):
        return "%s(%r, fatal=%r)" % (type(self).__name__, self.message, self.fatal)


class LineTooLong(FramingError):
    """A line grew beyond ``max_line`` bytes without a delimiter.

    With ``on_oversize="skip"`` the rest of the line is discarded up to the next delimiter and
    decoding continues (``fatal`` is False); with ``"close"`` the error is fatal.
    """


class FrameTooLarge(FramingError):
    """A frame declared (or an encoder was given) more than ``max_frame`` bytes."""


class MalformedFrame(FramingError):
    """A header or trailer is not what the format requires (bad digits, missing comma...)."""


class IncompleteFrame(FramingError):
    """The stream ended (``close()``) in the middle of a frame."""

    fatal = True


class FragmentsLost(FramingError):
    """A fragmented message could not be reassembled (fragments missing or evicted).

    ``msg_id`` names the message; ``size`` is the number of fragments received of ``limit``.
    """

    def __init__(self, message, msg_id, got, count):
        super().__init__(message, got, count, False)
        self.msg_id = msg_id


def _as_bytes(data):
    if isinstance(data, (bytes, bytearray)):
        return data
    if isinstance(data, memoryview):
        return bytes(data)
    raise TypeError("framing decoders take bytes, got %s" % type(data).__name__)


def _check_policy(on_oversize):
    if on_oversize != SKIP and on_oversize != CLOSE:
        raise ValueError("on_oversize must be 'skip' or 'close', not %r" % (on_oversize,))
    return on_oversize


class _Decoder:
    """Common failure handling: after a fatal error, feeding raises it again."""

    failed = None

    def _fail(self, err):
        self.failed = err
        self._buf = bytearray()
        return err

    def _check(self):
        if self.failed is not None:
            raise self.failed

    def _too_large(self, what, n, out):
        """``what`` declares ``n`` > max_frame bytes: FrameTooLarge goes in ``out``; True when that
        is fatal (on_oversize "close"), False when the caller skips the payload."""
        fatal = self.on_oversize == CLOSE
        err = FrameTooLarge("%s declares %d bytes, max_frame=%d" % (what, n, self.max_frame),
                            n, self.max_frame, fatal)
        out.append(err)
        if fatal:
            self._fail(err)
        return fatal

    @property
    def pending(self):
        """Bytes currently buffered (bounded by the decoder's limit)."""
        return len(self._buf)


# ---------------------------------------------------------------------------------------- lines

def encode_line(line, delimiter=b"\n", max_line=None):
    """Return ``line`` (bytes or str, encoded UTF-8) followed by ``delimiter``.

    Raises ``FrameTooLarge`` if longer than ``max_line`` and ``MalformedFrame`` if the line
    contains the delimiter (it would arrive as two lines).
    """
    if isinstance(line, str):
        line = line.encode("utf-8")
    if max_line is not None and len(line) > max_line:
        raise FrameTooLarge("line of %d bytes exceeds max_line=%d" % (len(line), max_line),
                            len(line), max_line, True)
    if line.find(delimiter) >= 0:
        raise MalformedFrame("line contains the delimiter %r" % (delimiter,))
    return bytes(line) + delimiter


class LineDecoder(_Decoder):
    """Split a byte stream into lines of at most ``max_line`` bytes.

    Parameters: ``max_line`` (int, default 65536) longest line accepted, delimiter excluded;
    ``delimiter`` (bytes, default b"\\n"); ``strip_cr`` (bool, default True) also remove one
    trailing b"\\r" so CRLF lines decode like LF lines; ``keep_delimiter`` (bool, default False);
    ``on_oversize`` "skip" (default: report ``LineTooLong``, drop the line up to the next
    delimiter, carry on) or "close" (``LineTooLong`` is fatal).

    ``feed`` returns lines as ``bytes`` (without the delimiter unless ``keep_delimiter``).
    ``close`` returns the final unterminated line, if any, as a last line.
    """

    def __init__(self, max_line=65536, delimiter=b"\n", strip_cr=True, keep_delimiter=False,
                 on_oversize=SKIP):
        if not delimiter:
            raise ValueError("delimiter must be non-empty bytes")
        if max_line < 1:
            raise ValueError("max_line must be >= 1")
        self.max_line = max_line
        self.delimiter = bytes(delimiter)
        self.strip_cr = strip_cr
        self.keep_delimiter = keep_delimiter
        self.on_oversize = _check_policy(on_oversize)
        self._buf = bytearray()
        self._scan = 0            # where the delimiter search resumes in _buf
        self._discarding = 0      # >0: inside an oversized line, bytes dropped so far
        self.failed = None

    def _finish(self, line):
        if self.strip_cr and line[-1:] == b"\r" and self.delimiter != b"\r":
            line = line[:-1]
        if self.keep_delimiter:
            return bytes(line) + self.delimiter
        return bytes(line)

    def feed(self, data):
        """Feed bytes; return a list of lines (bytes) and ``LineTooLong`` events.

        Amortised linear in the bytes fed, however small the pieces: the buffer only grows at
        its end, and the delimiter search resumes where the last one stopped."""
        self._check()
        data = _as_bytes(data)
        buf = self._buf
        buf += data
        out = []
        delim = self.delimiter
        dlen = len(delim)
        limit = self.max_line
        start = 0
        scan = self._scan            # no delimiter begins in buf[start:scan]
        end = len(buf)
        while start < end:
            if scan < start:
                scan = start
            if self._discarding:
                i = buf.find(delim, scan)
                if i < 0:
                    keep = min(dlen - 1, end - start)      # a delimiter may straddle feeds
                    self._discarding += end - start - keep
                    start = scan = end - keep
                    break
                self._discarding = 0
                start = i + dlen
                continue
            # a delimiter starting at or before start+limit ends an acceptable line
            i = buf.find(delim, scan, min(end, start + limit + dlen))
            if i >= 0:
                out.append(self._finish(buf[start:i]))
                start = i + dlen
                continue
            if end - start >= limit + dlen:
                err = self._oversize(end - start)
                out.append(err)
                if err.fatal:
                    return out
                self._discarding = limit + 1
                start += limit + 1
                continue
            scan = max(start, end - dlen + 1)
            break
        if start:
            # what is left came (but for dlen - 1 bytes) from this feed: the copy is paid for
            self._buf = buf[start:]
            scan -= start
        self._scan = max(0, scan)
        return out

    def _oversize(self, seen):
        fatal = self.on_oversize == CLOSE
        err = LineTooLong("line longer than max_line=%d bytes" % self.max_line,
                          seen, self.max_line, fatal)
        if fatal:
            self._fail(err)
        return err

    def close(self):
        """End of stream: return ``[last_line]`` if an unterminated line is buffered, else []."""
        if self.failed is not None:
            return []
        out = []
        if self._buf and not self._discarding:
            out.append(self._finish(self._buf))
        self._buf = bytearray()
        self._scan = 0
        self._discarding = 0
        return out


# ------------------------------------------------------------------------- length-prefixed frames

_HEADER_FORMATS = {1: ">B", 2: ">H", 4: ">I"}


def encode_length_prefixed(payload, header_size=4, max_frame=None):
    """Return ``payload`` prefixed with its length as a big-endian unsigned int of
    ``header_size`` bytes (1, 2 or 4). Raises ``FrameTooLarge`` beyond ``max_frame`` or what the
    header can express."""
    fmt = _HEADER_FORMATS[header_size]
    n = len(payload)
    cap = (1 << (8 * header_size)) - 1
    if max_frame is not None and max_frame < cap:
        cap = max_frame
    if n > cap:
        raise FrameTooLarge("frame of %d bytes exceeds the limit of %d" % (n, cap), n, cap, True)
    return struct.pack(fmt, n) + bytes(payload)


class LengthPrefixDecoder(_Decoder):
    """Decode frames written by ``encode_length_prefixed``.

    Parameters: ``max_frame`` (int, default 1 MiB) largest payload accepted; ``header_size``
    (1, 2 or 4, default 4); ``on_oversize`` "close" (default: ``FrameTooLarge`` is fatal) or
    "skip" (report ``FrameTooLarge``, discard the declared number of bytes, carry on — the
    length header makes resynchronising possible).
    """

    def __init__(self, max_frame=1 << 20, header_size=4, on_oversize=CLOSE):
        if header_size not in _HEADER_FORMATS:
            raise ValueError("header_size must be 1, 2 or 4")
        self.max_frame = max_frame
        self.header_size = header_size
        self._fmt = _HEADER_FORMATS[header_size]
        self.on_oversize = _check_policy(on_oversize)
        self._buf = bytearray()
        self._need = -1          # payload length of the frame in progress, -1 = reading header
        self._skip = 0           # bytes still to discard of an oversized frame
        self.failed = None

    def feed(self, data):
        """Feed bytes; return a list of payloads (bytes) and ``FrameTooLarge`` events."""
        self._check()
        data = _as_bytes(data)
        out = []
        pos = 0
        end = len(data)
        hs = self.header_size
        while pos < end:
            if self._skip:
                n = min(self._skip, end - pos)
                self._skip -= n
                pos += n
                continue
            buf = self._buf
            if self._need < 0:
                want = hs - len(buf)
                buf += data[pos:pos + want]
                pos += min(want, end - pos)
                if len(buf) < hs:
                    return out
                n = struct.unpack(self._fmt, bytes(buf))[0]
                self._buf = bytearray()
                if n > self.max_frame:
                    if self._too_large("frame", n, out):
                        return out
                    self._skip = n
                    continue
                self._need = n
                if n == 0:
                    out.append(b"")
                    self._need = -1
                continue
            want = self._need - len(buf)
            if not buf and end - pos >= want:
                out.append(bytes(data[pos:pos + want]))
                pos += want
                self._need = -1
                continue
            buf += data[pos:pos + want]
            pos += min(want, end - pos)
            if len(buf) == self._need:
                out.append(bytes(buf))
                self._buf = bytearray()
                self._need = -1
        return out

    @property
    def pending(self):
        return len(self._buf)

    def close(self):
        """End of stream: ``[]`` at a frame boundary, else ``[IncompleteFrame]``."""
        if self.failed is not None:
            return []
        if self._buf or self._need >= 0 or self._skip:
            err = IncompleteFrame("stream ended inside a frame (%d bytes buffered)" % len(self._buf),
                                  len(self._buf), self._need)
            self._fail(err)
            return [err]
        return []


# ---------------------------------------------------------------------------------- netstrings

def encode_netstring(payload, max_frame=None):
    """Return ``payload`` as a netstring: ``b"<decimal length>:<payload>,"``."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    n = len(payload)
    if max_frame is not None and n > max_frame:
        raise FrameTooLarge("netstring of %d bytes exceeds max_frame=%d" % (n, max_frame),
                            n, max_frame, True)
    return b"%d:" % n + bytes(payload) + b","


class NetstringDecoder(_Decoder):
    """Decode netstrings (``b"5:hello,"``), as specified by D. J. Bernstein.

    Parameters: ``max_frame`` (int, default 1 MiB); ``on_oversize`` "close" (default) or "skip"
    (discard the declared payload and its comma, carry on). Malformed input — a non-digit in the
    length, a leading zero, an empty length, a missing comma — is a fatal ``MalformedFrame``.
    """

    def __init__(self, max_frame=1 << 20, on_oversize=CLOSE):
        self.max_frame = max_frame
        self.on_oversize = _check_policy(on_oversize)
        # with "skip" a too-large length must still be read to skip it (up to 12 digits)
        self._max_digits = len(str(max_frame)) if on_oversize == CLOSE else max(12, len(str(max_frame)))
        self._buf = bytearray()
        self._need = -1          # payload length + 1 (comma) of the frame in progress
        self._skip = 0
        self._skip_comma = False
        self.failed = None

    def _malformed(self, why):
        return self._fail(MalformedFrame("malformed netstring: " + why, fatal=True))

    def feed(self, data):
        """Feed bytes; return a list of payloads (bytes) and ``FramingError`` events."""
        self._check()
        data = _as_bytes(data)
        out = []
        pos = 0
        end = len(data)
        while pos < end:
            if self._skip:
                n = min(self._skip, end - pos)
                self._skip -= n
                pos += n
                if self._skip == 0 and self._skip_comma:
                    self._skip_comma = False
                    if pos < end:
                        if data[pos:pos + 1] != b",":
                            out.append(self._malformed("missing ',' after skipped payload"))
                            return out
                        pos += 1
                    else:
                        self._skip = 0
                        self._need = -2          # a comma is still owed
                continue
            if self._need == -2:
                if data[pos:pos + 1] != b",":
                    out.append(self._malformed("missing ',' after skipped payload"))
                    return out
                pos += 1
                self._need = -1
                continue
            buf = self._buf
            if self._need < 0:
                # header: digits then ':'
                limit = self._max_digits + 1 - len(buf)
                i = data.find(b":", pos, min(end, pos + limit))
                chunk = data[pos:i] if i >= 0 else data[pos:min(end, pos + limit)]
                for c in chunk:
                    if c < 48 or c > 57:
                        out.append(self._malformed("length contains %r" % bytes((c,))))
                        return out
                buf += chunk
                if i < 0:
                    pos += len(chunk)
                    if len(buf) > self._max_digits:
                        err = FrameTooLarge("netstring length has more than %d digits" % self._max_digits,
                                            -1, self.max_frame, True)
                        out.append(self._fail(err))
                        return out
                    return out
                pos = i + 1
                if not buf:
                    out.append(self._malformed("empty length"))
                    return out
                if len(buf) > 1 and buf[0] == 48:
                    out.append(self._malformed("length has a leading zero"))
                    return out
                n = int(bytes(buf))
                self._buf = bytearray()
                if n > self.max_frame:
                    if self._too_large("netstring", n, out):
                        return out
                    self._skip = n
                    self._skip_comma = True
                    if n == 0:
                        self._skip_comma = False
                        self._need = -2
                    continue
                self._need = n + 1
                continue
            want = self._need - len(buf)
            buf += data[pos:pos + want]
            pos += min(want, end - pos)
            if len(buf) == self._need:
                if buf[-1] != 44:
                    out.append(self._malformed("missing ',' after %d-byte payload" % (self._need - 1)))
                    return out
                out.append(bytes(buf[:-1]))
                self._buf = bytearray()
                self._need = -1
        return out

    def close(self):
        """End of stream: ``[]`` at a frame boundary, else ``[IncompleteFrame]``."""
        if self.failed is not None:
            return []
        if self._buf or self._need != -1 or self._skip:
            err = IncompleteFrame("stream ended inside a netstring", len(self._buf), self._need)
            self._fail(err)
            return [err]
        return []


# --------------------------------------------------------------------------- datagram packetising

def split_packets(data, max_size):
    """Split ``data`` into consecutive pieces of at most ``max_size`` bytes (Kamaelia's
    MaxSizePacketiser contract: every piece is full except possibly the last)."""
    if max_size < 1:
        raise ValueError("max_size must be >= 1")
    return [bytes(data[i:i + max_size]) for i in range(0, len(data), max_size)]


class Packetiser:
    """Pack a byte stream into datagrams of exactly ``max_size`` bytes.

    ``feed(data)`` returns the full datagrams completed; ``flush()`` returns the partial last
    one (if any). The receiving side needs no state: concatenating the datagrams in order gives
    the stream back. ``pending`` < ``max_size`` always.
    """

    def __init__(self, max_size=1000):
        if max_size < 1:
            raise ValueError("max_size must be >= 1")
        self.max_size = max_size
        self._buf = bytearray()

    @property
    def pending(self):
        return len(self._buf)

    def feed(self, data):
        data = _as_bytes(data)
        out = []
        size = self.max_size
        pos = 0
        end = len(data)
        if self._buf:
            want = size - len(self._buf)
            self._buf += data[:want]
            pos = min(want, end)
            if len(self._buf) < size:
                return out
            out.append(bytes(self._buf))
            self._buf = bytearray()
        while end - pos >= size:
            out.append(bytes(data[pos:pos + size]))
            pos += size
        if pos < end:
            self._buf = bytearray(data[pos:end])
        return out

    def flush(self):
        if not self._buf:
            return []
        out = [bytes(self._buf)]
        self._buf = bytearray()
        return out


# A fragment header: magic, message id, fragment index, fragment count.
_FRAG_FMT = ">BIHH"
_FRAG_MAGIC = 0xF7
FRAGMENT_HEADER = 9


class Fragmenter:
    """Split messages into datagrams of at most ``max_datagram`` bytes that a ``Reassembler``
    puts back together even when they arrive reordered or duplicated.

    Each datagram carries a 9-byte header (magic 0xF7, message id u32, index u16, count u16).
    ``encode(message) -> list of datagrams``. Raises ``FrameTooLarge`` if the message needs more
    than 65535 fragments or exceeds ``max_message``.
    """

    def __init__(self, max_datagram=1400, max_message=1 << 20, first_id=0):
        if max_datagram <= FRAGMENT_HEADER:
            raise ValueError("max_datagram must exceed the %d-byte header" % FRAGMENT_HEADER)
        self.max_datagram = max_datagram
        self.max_message = max_message
        self._next_id = first_id & 0xFFFFFFFF

    def encode(self, message):
        message = _as_bytes(message)
        n = len(message)
        if n > self.max_message:
            raise FrameTooLarge("message of %d bytes exceeds max_message=%d" % (n, self.max_message),
                                n, self.max_message, True)
        room = self.max_datagram - FRAGMENT_HEADER
        count = (n + room - 1) // room if n else 1
        if count > 0xFFFF:
            raise FrameTooLarge("message needs %d fragments (max 65535)" % count, n, room * 0xFFFF, True)
        mid = self._next_id
        self._next_id = (mid + 1) & 0xFFFFFFFF
        out = []
        for k in range(count):
            out.append(struct.pack(_FRAG_FMT, _FRAG_MAGIC, mid, k, count) + message[k * room:(k + 1) * room])
        return out


class Reassembler:
    """Reassemble datagrams made by ``Fragmenter``.

    Parameters: ``max_message`` (bytes, default 1 MiB) largest message accepted;
    ``max_pending`` (default 16) messages under reassembly at once — when a new message would
    exceed it, the oldest incomplete one is evicted and reported as ``FragmentsLost``.

    ``feed(datagram)`` returns a list of completed messages (bytes) and non-fatal errors:
    ``MalformedFrame`` (bad header, inconsistent count, or an empty fragment of a fragmented
    message: the datagram is dropped),
    ``FrameTooLarge`` (message would exceed max_message), ``FragmentsLost``. Duplicated
    fragments, and fragments of a message already delivered (among the last ``max_pending * 4``),
    are ignored. ``close()`` reports every incomplete message as ``FragmentsLost``. Memory held
    follows the fragments received (at most ``max_pending * max_message`` bytes of them), never
    the fragment count a header claims.
    """

    def __init__(self, max_message=1 << 20, max_pending=16):
        self.max_message = max_message
        self.max_pending = max_pending
        self._pending = {}       # id -> [count, received, parts(dict index -> body), bytes]
        self._order = []         # ids by first arrival, oldest first
        self._done = []          # recently completed ids
        self._done_cap = max_pending * 4

    @property
    def pending(self):
        total = 0
        for mid in self._order:
            total += self._pending[mid][3]
        return total

    def _lost(self, mid):
        entry = self._pending.pop(mid)
        self._order.remove(mid)
        return FragmentsLost("message %d lost: %d of %d fragments arrived" % (mid, entry[1], entry[0]),
                             mid, entry[1], entry[0])

    def _remember(self, mid):
        self._done.append(mid)
        if len(self._done) > self._done_cap:
            self._done.pop(0)

    def feed(self, datagram):
        datagram = _as_bytes(datagram)
        if len(datagram) < FRAGMENT_HEADER:
            return [MalformedFrame("datagram of %d bytes is shorter than the fragment header" % len(datagram),
                                   len(datagram), FRAGMENT_HEADER, False)]
        magic, mid, index, count = struct.unpack(_FRAG_FMT, bytes(datagram[:FRAGMENT_HEADER]))
        if magic != _FRAG_MAGIC or count == 0 or index >= count:
            return [MalformedFrame("bad fragment header (magic %d, index %d, count %d)" % (magic, index, count),
                                   fatal=False)]
        body = bytes(datagram[FRAGMENT_HEADER:])
        if count > 1 and not body:
            # every fragment of a fragmented message carries a byte: an empty one is forged, and
            # would hold memory that max_message does not count
            return [MalformedFrame("empty fragment %d of message %d" % (index, mid), fatal=False)]
        if count == 1:
            if mid in self._pending:
                return [MalformedFrame("fragment count of message %d changed" % mid, fatal=False)]
            if len(body) > self.max_message:
                return [FrameTooLarge("message of %d bytes exceeds max_message" % len(body),
                                      len(body), self.max_message, False)]
            if mid in self._done:
                return []
            self._remember(mid)
            return [body]
        out = []
        entry = self._pending.get(mid)
        if entry is None:
            if mid in self._done:
                return out
            while len(self._order) >= self.max_pending:
                out.append(self._lost(self._order[0]))
            entry = [count, 0, {}, 0]      # (a dict: room for what arrives, not what is claimed)
            self._pending[mid] = entry
            self._order.append(mid)
        if entry[0] != count:
            out.append(MalformedFrame("fragment count of message %d changed" % mid, fatal=False))
            return out
        parts = entry[2]
        if index in parts:
            return out
        if entry[3] + len(body) > self.max_message:
            self._pending.pop(mid)
            self._order.remove(mid)
            self._remember(mid)
            out.append(FrameTooLarge("message %d exceeds max_message=%d" % (mid, self.max_message),
                                     entry[3] + len(body), self.max_message, False))
            return out
        parts[index] = body
        entry[1] += 1
        entry[3] += len(body)
        if entry[1] == count:
            self._pending.pop(mid)
            self._order.remove(mid)
            self._remember(mid)
            out.append(b"".join([parts[i] for i in range(count)]))
        return out

    def close(self):
        out = []
        while self._order:
            out.append(self._lost(self._order[0]))
        return out


# ------------------------------------------------------------------ Kamaelia tagged frames, chunks

def encode_tagged_frame(tag, data):
    """Kamaelia ``SimpleFrame`` format: ``"<tag> <length>\\n<data>"``.

    ``data`` may be str or bytes; the frame has the same type as ``data``.
    """
    if isinstance(data, str):
        return "%s %d\n%s" % (tag, len(data), data)
    return ("%s %d\n" % (tag, len(data))).encode() + bytes(data)


def decode_tagged_frame(frame, max_frame=1 << 20):
    """Parse one whole tagged frame; return ``(tag, data)`` with ``tag`` an int.

    Raises ``MalformedFrame`` for a bad header and ``IncompleteFrame`` (Kamaelia: ShortFrame)
    when the body is shorter than the declared length. Extra bytes after the body are ignored
    as in the original.
    """
    nl = "\n" if isinstance(frame, str) else b"\n"
    i = frame.find(nl)
    if i < 0 or i > 64:
        raise MalformedFrame("tagged frame has no header line", fatal=False)
    header = frame[:i]
    if not isinstance(header, str):
        try:
            header = bytes(header).decode()
        except Exception:
            raise MalformedFrame("tagged frame header is not text", fatal=False) from None
    parts = header.split()
    if len(parts) != 2:
        raise MalformedFrame("tagged frame header must be '<tag> <length>'", fatal=False)
    try:
        tag = int(parts[0])
        length = int(parts[1])
    except ValueError:
        raise MalformedFrame("tagged frame header has non-numeric fields", fatal=False) from None
    if length < 0 or length > max_frame:
        raise FrameTooLarge("tagged frame declares %d bytes" % length, length, max_frame, False)
    body = frame[i + 1:]
    if len(body) < length:
        raise IncompleteFrame("tagged frame is short: %d of %d bytes" % (len(body), length),
                              len(body), length, False)
    return (tag, body[:length])


def _hexbyte(c):
    h = "0123456789abcdef"
    return "%" + h[c >> 4] + h[c & 15] if c > 15 else "%" + h[c & 15]


def escape_sync(message, sync):
    """Escape ``%`` and every character of ``sync`` in ``message`` as ``%<hex>`` (the escaping
    Kamaelia's DataChunker uses). Works on str or bytes (``sync`` of the same type)."""
    isbytes = not isinstance(message, str)
    if isbytes:
        message = bytes(message).decode("latin-1")
        sync = bytes(sync).decode("latin-1")
    message = message.replace("%", "%25")
    done = ""
    for ch in sync:
        if ch in done or ch == "%":
            continue
        done += ch
        message = message.replace(ch, _hexbyte(ord(ch)))
    return message.encode("latin-1") if isbytes else message


def unescape_sync(message, sync):
    """Reverse ``escape_sync``."""
    isbytes = not isinstance(message, str)
    if isbytes:
        message = bytes(message).decode("latin-1")
        sync = bytes(sync).decode("latin-1")
    done = ""
    for ch in sync:
        if ch in done or ch == "%":
            continue
        done += ch
        message = message.replace(_hexbyte(ord(ch)), ch)
    message = message.replace("%25", "%")
    return message.encode("latin-1") if isbytes else message


def check_sync(sync):
    """Raise ValueError unless escaping keeps ``sync`` out of every chunk and stays reversible:
    no character above 255, not ``%`` alone, no sync character among the hex digits of the
    escapes (``%25`` and each sync character's), and no escape the start of another."""
    s = sync if isinstance(sync, str) else bytes(sync).decode("latin-1")
    codes = ["25"]
    for ch in s:
        if ord(ch) > 255:
            raise ValueError("sync characters must be below 256, not %r" % ch)
        if ch != "%" and _hexbyte(ord(ch))[1:] not in codes:
            codes.append(_hexbyte(ord(ch))[1:])
    bad = s == "%"
    for ch in s:
        if ch != "%":
            mine = _hexbyte(ord(ch))[1:]
            for c in codes:
                if ch in c or (c != mine and c.startswith(mine)):
                    bad = True
    if bad:
        raise ValueError("sync %r can appear in escaped data (or escape ambiguously): choose "
                         "another sync" % (sync,))


class ChunkDecoder(_Decoder):
    """Resynchronise to a stream of chunks each introduced by ``sync`` (Kamaelia DataDeChunker).

    A chunk is delivered (unescaped) when the next sync sequence arrives, or on ``flush()`` or
    ``close()``. A sync that the escaping cannot keep out of the data (``"%"``, ``"35"``: the
    escape of ``5`` is ``%35``) raises ValueError. Bytes before the first sync are discarded. A chunk longer than ``max_chunk`` is
    dropped and reported as a non-fatal ``FrameTooLarge``; decoding resumes at the next sync.
    Works on str or bytes (the type of ``sync``). Amortised linear in what is fed, however small
    the pieces: the pieces of a chunk are kept as they came and joined once, and the search for
    the next sync looks only at the new piece and the ``len(sync) - 1`` characters before it.
    """

    def __init__(self, sync="XXXXXXXXXXXXXXXXXXXXXXXX", max_chunk=1 << 20):
        if not sync:
            raise ValueError("sync must be non-empty")
        check_sync(sync)
        self.sync = sync
        self.max_chunk = max_chunk
        self._isstr = isinstance(sync, str)
        self._empty = sync[:0]
        self._parts = []          # the buffered stream, in pieces (starts with sync if synced)
        self._size = 0            # their total length
        self._tail = self._empty  # their last len(sync) - 1 characters
        self._synced = False
        self._dropping = False
        self.failed = None

    def _keep(self, piece):
        """Buffer only ``piece`` (the tail of something that may begin a sync)."""
        self._parts = [piece] if piece else []
        self._size = len(piece)
        self._tail = piece

    def feed(self, data):
        """Feed str or bytes (as ``sync``); return chunks and ``FrameTooLarge`` events."""
        if self._isstr != isinstance(data, str):
            raise TypeError("ChunkDecoder: data and sync must both be str or both bytes")
        self._check()
        sync = self.sync
        slen = len(sync)
        out = []
        while data:
            window = self._tail + data
            base = self._size - len(self._tail)     # where window[0] sits in the buffer
            if not self._synced:
                i = window.find(sync)
                if i < 0:
                    self._keep(window[max(0, len(window) - (slen - 1)):] if slen > 1 else self._empty)
                    return out
                self._keep(self._empty)
                data = window[i:]                  # begins with sync
                self._synced = True
                self._dropping = False             # past an oversized chunk: decode again
                continue
            j = window.find(sync, max(0, slen - base))
            if j < 0:
                self._parts.append(data)
                self._size += len(data)
                self._tail = window[max(0, len(window) - (slen - 1)):] if slen > 1 else self._empty
                if self._size - slen > self.max_chunk + slen:
                    out.append(FrameTooLarge("chunk exceeds max_chunk=%d" % self.max_chunk,
                                             self._size - slen, self.max_chunk, False))
                    self._dropping = True
                    self._synced = False
                    self._keep(self._tail)
                return out
            self._parts.append(data)
            whole = self._empty.join(self._parts)
            at = base + j
            start = 0
            while at >= 0:                         # every chunk this feed completes, in place
                chunk = whole[start + slen:at]
                if len(chunk) > self.max_chunk:
                    out.append(FrameTooLarge("chunk exceeds max_chunk=%d" % self.max_chunk,
                                             len(chunk), self.max_chunk, False))
                else:
                    out.append(unescape_sync(chunk, sync))
                start = at
                at = whole.find(sync, start + slen)
            data = whole[start:]                   # the next chunk, beginning with its sync
            self._keep(self._empty)
        return out

    @property
    def pending(self):
        return self._size

    def flush(self):
        """Deliver the buffered chunk (if it began with a sync sequence) and empty the buffer."""
        out = []
        if self._synced and not self._dropping:
            whole = self._empty.join(self._parts)
            out.append(unescape_sync(whole[len(self.sync):], self.sync))
        self._keep(self._empty)
        self._synced = False
        self._dropping = False
        return out

    def close(self):
        """End of stream: ``[last chunk]`` if one is buffered (a chunk ends at the next sync or
        at the end of the stream, as in Kamaelia); ``[IncompleteFrame]`` if the stream ended
        inside a sync sequence (fatal, as for the other decoders); else ``[]``."""
        if self.failed is not None:
            return []
        sync = self.sync
        tail = self._tail
        k = min(len(tail), len(sync) - 1)
        if self._synced:
            k = min(k, self._size - len(sync))      # (not the sync that opens the chunk)
        while k > 0 and tail[len(tail) - k:] != sync[:k]:
            k -= 1
        partial = k
        if partial and self._synced:                # the chunk ends where the cut sync began
            whole = self._empty.join(self._parts)
            self._parts = [whole[:len(whole) - partial]]
        out = self.flush()
        if partial:
            out.append(self._fail(IncompleteFrame("stream ended inside a sync sequence (%d of %d "
                                                  "characters)" % (partial, len(sync)),
                                                  partial, len(sync))))
        return out
