"""Components around the sans-IO framing state machines in ``kamaelia_lite.net.framing``.

Each decoder component takes bytes on ``inbox`` and sends payloads on ``outbox``; protocol errors
(``FramingError`` instances: ``LineTooLong``, ``FrameTooLarge``, ``MalformedFrame``...) go to the
``errors`` outbox (dropped and counted if unlinked) and are written to stderr. A *fatal* error
(the stream cannot be resynchronised) ends the component: it sends ``framingFailed(error)`` (a
``shutdownMicroprocess``) on ``signal`` so the connection/pipeline behind it is closed.

Every component waits for room downstream instead of overflowing, and honours
producerFinished (drain, flush, pass on) and shutdownMicroprocess (pass on at once).

Kamaelia names: ``Framer``/``DeFramer`` (``Kamaelia.Protocol.Framing``: (tag, data) pairs <->
``"<tag> <length>\\n<data>"``), ``DataChunker``/``DataDeChunker`` (sync-sequence chunking),
``MaxSizePacketiser`` (``Kamaelia.Protocol.Packetise``). ``SimpleFrameMarshaller`` and
``SimpleFrameUnmarshaller`` are aliases of ``Framer``/``DeFramer``.
"""
import sys

from kamaelia_lite.flow import PendingSends, drained_then_stopped, take_ending
from kamaelia_lite.net import framing as _f
from microaxon import component, shutdownMicroprocess

__all__ = [
    "framingFailed", "LineSplitter", "LineJoiner", "Framer", "Deframer", "NetstringFramer",
    "NetstringDeframer", "Packetiser", "Depacketiser", "Fragmenter", "Reassembler",
    "MaxSizePacketiser", "DeFramer", "DataChunker", "DataDeChunker",
    "SimpleFrameMarshaller", "SimpleFrameUnmarshaller",
]


class framingFailed(shutdownMicroprocess):
    """A decoder met a fatal protocol error; ``error`` is the ``FramingError``."""

    def __init__(self, error, caller=None):
        super().__init__()
        self.error = error
        self.reason = str(error)

    def __repr__(self):
        return "framingFailed(%r)" % (self.error,)


class _Transform(component):
    """Base: ``handle(msg) -> list of outputs``; ``finish() -> list`` at producerFinished.

    Outputs that are ``FramingError`` instances go to ``errors``; a fatal one ends the component.
    """

    Inboxes = {"inbox": "input", "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "output", "signal": "shutdown, or framingFailed on a fatal protocol error",
                "errors": "FramingError events (non-fatal and fatal)"}

    quiet = False      # True: do not write protocol errors to stderr

    def handle(self, msg):
        return [msg]

    def finish(self):
        return []

    def _emit(self, outs):
        """Queue the data; report errors at once; a fatal one is kept: the component ends once
        the data before it has gone out."""
        for o in outs:
            if isinstance(o, _f.FramingError):
                self.send(o, "errors")
                if not self.quiet:
                    sys.stderr.write("microaxon: %s: %s\n" % (self.name, o.message))
                if o.fatal:
                    self._fatal = o
                    return
            else:
                self._out.add(o)

    def main(self):
        out = self._out = PendingSends(self)    # outputs waiting for room (one input's worth)
        self._fatal = None
        ending = None
        while True:
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, False):
                return
            while out.flush() and self._fatal is None and self.dataReady("inbox"):
                try:
                    self._emit(self.handle(self.recv("inbox")))
                except _f.FramingError as e:       # a whole-message decoder refused one message
                    self._emit([e])
                except TypeError as e:
                    sys.stderr.write("microaxon: %s: dropped bad input: %s\n" % (self.name, e))
            if not len(out):
                if self._fatal is not None:
                    self.send(framingFailed(self._fatal, self), "signal")
                    return
                if ending is not None and not self.dataReady("inbox"):
                    tail = self.finish()
                    if tail:
                        self._emit(tail)
                        self.finish = lambda: []
                        continue
                    self.send(ending, "signal")
                    return
            self.pause()
            yield 1


class _StreamDecoder(_Transform):
    def make_decoder(self):
        raise NotImplementedError

    def main(self):
        self.decoder = self.make_decoder()
        return _Transform.main(self)

    def handle(self, msg):
        return self.decoder.feed(msg)

    def finish(self):
        return self.decoder.close()


class LineSplitter(_StreamDecoder):
    """Bytes in, lines (bytes, delimiter removed) out. ``max_line`` (65536), ``delimiter``
    (b"\\n"), ``strip_cr`` (True), ``on_oversize`` ("skip": ``LineTooLong`` on ``errors``, go on;
    "close": fatal). At producerFinished a final unterminated line is delivered."""

    max_line = 65536
    delimiter = b"\n"
    strip_cr = True
    on_oversize = "skip"

    def make_decoder(self):
        return _f.LineDecoder(self.max_line, self.delimiter, self.strip_cr, False, self.on_oversize)


class LineJoiner(_Transform):
    """Lines (bytes or str) in, ``line + delimiter`` bytes out. A line containing the delimiter
    or longer than ``max_line`` is refused with ``MalformedFrame``/``FrameTooLarge`` on ``errors``
    (not fatal)."""

    delimiter = b"\n"
    max_line = None

    def handle(self, msg):
        try:
            return [_f.encode_line(msg, self.delimiter, self.max_line)]
        except _f.FramingError as e:
            e.fatal = False
            return [e]


class Framer(_Transform):
    """Length-prefixed framing: payload bytes in, ``<length><payload>`` out (``header_size`` 4,
    big-endian). Oversized payloads (``max_frame``) are refused on ``errors``.

    (Kamaelia's ``Kamaelia.Protocol.Framing.Framer`` takes (tag, data) pairs: see ``DeFramer``
    and ``SimpleFrameMarshaller`` below for that contract.)"""

    max_frame = 1 << 20
    header_size = 4

    def handle(self, msg):
        try:
            return [_f.encode_length_prefixed(msg, self.header_size, self.max_frame)]
        except _f.FramingError as e:
            e.fatal = False
            return [e]


class Deframer(_StreamDecoder):
    """Length-prefixed frames: bytes in (any chunking), payloads out. ``max_frame`` (1 MiB),
    ``header_size`` (4), ``on_oversize`` ("close" = fatal, or "skip")."""

    max_frame = 1 << 20
    header_size = 4
    on_oversize = "close"

    def make_decoder(self):
        return _f.LengthPrefixDecoder(self.max_frame, self.header_size, self.on_oversize)


class NetstringFramer(_Transform):
    """Payloads in, netstrings out."""

    max_frame = None

    def handle(self, msg):
        try:
            return [_f.encode_netstring(msg, self.max_frame)]
        except _f.FramingError as e:
            e.fatal = False
            return [e]


class NetstringDeframer(_StreamDecoder):
    """Netstrings in (any chunking), payloads out; malformed input is fatal."""

    max_frame = 1 << 20
    on_oversize = "close"

    def make_decoder(self):
        return _f.NetstringDecoder(self.max_frame, self.on_oversize)


class Packetiser(_Transform):
    """Byte stream in, datagrams of exactly ``max_size`` bytes out (the last one, flushed at
    producerFinished, may be shorter). Concatenating them gives the stream back."""

    max_size = 1000

    def main(self):
        self.packer = _f.Packetiser(self.max_size)
        return _Transform.main(self)

    def handle(self, msg):
        return self.packer.feed(msg)

    def finish(self):
        return self.packer.flush()


class Depacketiser(_Transform):
    """Datagrams in, the byte stream out (each datagram as it comes: the receiver of a stream
    needs no framing state)."""


class Fragmenter(_Transform):
    """Messages in, datagrams of at most ``max_datagram`` bytes out (9-byte header each), for a
    ``Reassembler`` at the other end."""

    max_datagram = 1400
    max_message = 1 << 20

    def main(self):
        self.fragmenter = _f.Fragmenter(self.max_datagram, self.max_message)
        return _Transform.main(self)

    def handle(self, msg):
        try:
            return self.fragmenter.encode(msg)
        except _f.FramingError as e:
            e.fatal = False
            return [e]


class Reassembler(_Transform):
    """Datagrams in (any order, duplicates allowed), whole messages out; ``FragmentsLost`` (on
    ``errors``) for a message that cannot be completed. ``max_message``, ``max_pending``."""

    max_message = 1 << 20
    max_pending = 16

    def main(self):
        self.reassembler = _f.Reassembler(self.max_message, self.max_pending)
        return _Transform.main(self)

    def handle(self, msg):
        return self.reassembler.feed(msg)

    def finish(self):
        return self.reassembler.close()


class MaxSizePacketiser(_Transform):
    """Kamaelia ``Kamaelia.Protocol.Packetise.MaxSizePacketiser(maxsize=1000)``: each message
    is cut into pieces of at most ``maxsize`` (str or bytes), sent at once (nothing is held back
    between messages). Unlike the original it also honours shutdown."""

    def __init__(self, maxsize=1000, **argd):
        super().__init__(**argd)
        self.maxsize = maxsize

    def handle(self, msg):
        return [msg[i:i + self.maxsize] for i in range(0, len(msg), self.maxsize)]


class SimpleFrameMarshaller(_Transform):
    """Kamaelia ``Framer``: ``(tag, data)`` pairs in, ``"<tag> <length>\\n<data>"`` out (str or
    bytes, the type of ``data``)."""

    def handle(self, msg):
        tag, data = msg
        return [_f.encode_tagged_frame(tag, data)]


class DeFramer(_Transform):
    """Kamaelia ``DeFramer``: whole frames ``"<tag> <length>\\n<data>"`` in, ``(int tag, data)``
    out. A short frame (Kamaelia: ShortFrame) or malformed frame is not passed on; it is
    reported on ``errors`` (not fatal), as the original dropped it."""

    quiet = True

    def handle(self, msg):
        try:
            return [_f.decode_tagged_frame(msg)]
        except _f.FramingError as e:
            e.fatal = False
            return [e]


SimpleFrameUnmarshaller = DeFramer


class DataChunker(_Transform):
    """Kamaelia ``DataChunker(syncmessage=...)``: each message becomes ``sync + escaped(message)``.
    A sync the escaping cannot keep out of the data (see ``framing.check_sync``) is a ValueError
    when the component is made."""

    def __init__(self, syncmessage="XXXXXXXXXXXXXXXXXXXXXXXX", **argd):
        super().__init__(**argd)
        _f.check_sync(syncmessage)      # (ValueError now, not chunks the de-chunker cuts apart)
        self.syncmessage = syncmessage

    def handle(self, msg):
        sync = self.syncmessage
        if isinstance(msg, (bytes, bytearray)) and isinstance(sync, str):
            sync = sync.encode("latin-1")
        return [sync + _f.escape_sync(msg, sync)]


class DataDeChunker(_Transform):
    """Kamaelia ``DataDeChunker(syncmessage=...)``: a stream of chunked data in, the original
    messages out. A chunk is delivered when the next sync arrives, or on a message to ``flush``
    (or at producerFinished). ``max_chunk`` bounds memory (oversized chunks are dropped and
    reported). A sync the escaping cannot keep out of the data is a ValueError when the component
    is made (see ``framing.check_sync``)."""

    Inboxes = {"inbox": "chunked stream", "control": "shutdown", "flush": "flush the buffered chunk"}
    max_chunk = 1 << 20

    def __init__(self, syncmessage="XXXXXXXXXXXXXXXXXXXXXXXX", **argd):
        super().__init__(**argd)
        _f.check_sync(syncmessage)      # (ValueError now, not when the first data arrives)
        self.syncmessage = syncmessage
        self._dec = None

    def _decoder(self, sample):
        if self._dec is None:
            sync = self.syncmessage
            if isinstance(sample, (bytes, bytearray)) and isinstance(sync, str):
                sync = sync.encode("latin-1")
            self._dec = _f.ChunkDecoder(sync, self.max_chunk)
        return self._dec

    def handle(self, msg):
        out = self._decoder(msg).feed(msg)
        if self.dataReady("flush"):
            while self.dataReady("flush"):
                self.recv("flush")
            out += self._dec.flush()
        return out

    def finish(self):
        return self._dec.flush() if self._dec is not None else []

    def main(self):
        gen = _Transform.main(self)
        for step in gen:
            if self.dataReady("flush") and not self.dataReady("inbox") and self._dec is not None:
                while self.dataReady("flush"):
                    self.recv("flush")
                self._out.extend(self._dec.flush())
                self._out.flush()           # the rest goes out as room appears
            yield step
