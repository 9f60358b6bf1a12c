"""Sans-IO streaming Ogg Vorbis decoder: ``feed(bytes) -> [events]``.

Bytes go in, in chunks of any size, as they arrive from a socket; out come, in order:

- :class:`AudioFormat` when a logical stream starts (and again only if the format changes),
- ``bytes``: signed 16-bit little-endian interleaved PCM, identical to libvorbisfile's output,
- :class:`StreamGap` just before the zeros that stand in for audio lost in transit,
- :class:`StreamRestart` when a new logical stream replaces the current one,
- :class:`AudioError` for a fatal problem (the input is not Ogg, or the Ogg is not Vorbis, or the
  headers are corrupt, or a packet outgrows the byte budget); after one,
  :attr:`VorbisPushDecoder.failed` is set and further input is ignored.

Streaming behaviour:

- Bounded memory: a packet still being assembled (a header, or audio) may hold at most
  ``max_header_bytes`` (1 MiB); a packet continued past it (a "header bomb") is reported at once
  as an :class:`AudioError` of kind ``"too-large"``, after all the audio decoded before it.
  Audio held back until a granule position says where it belongs is held for at most
  ``max_silence`` seconds (and ``max_silence_bytes``), then played where the stream is.
- Lost or corrupt pages: libogg resynchronises at the next page (``bytes_skipped`` counts the
  junk); the gap is found from page sequence numbers, the synthesis is restarted, and at the next
  page end (whose granule position says where the audio is) the missing span is filled with
  exactly that many frames of zeros, so the output stays time-aligned with the sender. This
  includes the first audio pages of a stream whose header pages were seen: when the page
  sequence jumps after the headers, the audio before the first granule position is reported
  missing too (unless ``expect_start=False``: a live stream, tuned into at any moment; and a
  receiver that saw data pages before the headers joined mid-stream: both start where they
  joined).
- Joining mid-stream: pages are ignored until the three Vorbis header packets are known. They
  come in band (a sender may repeat the header pages periodically: a repeat identical to the
  headers in use is recognised and skipped) or out of band (``headers=`` to the constructor:
  the three header packets, or the raw bytes of the header pages).
- A sender that loops a file simply starts a new logical stream (BOS page): decoding restarts
  cleanly, also when the previous stream's last page was lost.

Every native struct is freed by :meth:`close` (idempotent; also called by ``__del__`` as a safety
net). CPython only (ctypes).
"""

import ctypes
from typing import List, Optional

from kamaelia_lite.audio.messages import AudioError, AudioFormat, StreamGap, StreamRestart
from kamaelia_lite.audio.native import (
    BLOCK_SIZE,
    COMMENT_SIZE,
    DSP_STATE_SIZE,
    STREAM_STATE_SIZE,
    SYNC_STATE_SIZE,
    FloatPP,
    OggPacket,
    OggPage,
    VorbisInfo,
    ogg,
    opaque,
    vorbis,
)
from kamaelia_lite.audio.pcm import planes_to_s16
from kamaelia_lite.audio.vorbis_setup import setup_header_problem

__all__ = ["VorbisPushDecoder", "HeaderError", "split_header_pages"]

OV_ENOTAUDIO = -135
_VORBIS_ID = b"\x01vorbis"
_SILENCE_CHUNK_FRAMES = 44100
_MAX_REMEMBERED = 32  # serials/streams remembered (non-Vorbis serials, lengths of looped streams)


class HeaderError(ValueError):
    """The three Vorbis header packets are missing or invalid."""


def _codec_name(first_packet):
    """A readable guess of the codec of a non-Vorbis Ogg stream from its first packet."""
    known = (
        (b"OpusHead", "Opus"),
        (b"\x7fFLAC", "FLAC"),
        (b"Speex   ", "Speex"),
        (b"\x80theora", "Theora"),
        (b"fishead", "Skeleton"),
        (b"\x01video", "OGM video"),
        (b"PCM     ", "PCM"),
    )
    for magic, name in known:
        if first_packet.startswith(magic):
            return name
    return "unknown codec (first bytes %r)" % (first_packet[:8],)


def _make_packet(data, packetno, bos=0, eos=0, granulepos=0):
    """An OggPacket pointing at a ctypes copy of ``data`` (returned too: keep it alive)."""
    buf = (ctypes.c_ubyte * max(1, len(data))).from_buffer_copy(data if data else b"\0")
    pkt = OggPacket()
    pkt.packet = ctypes.cast(buf, ctypes.POINTER(ctypes.c_ubyte))
    pkt.bytes = len(data)
    pkt.b_o_s = bos
    pkt.e_o_s = eos
    pkt.granulepos = granulepos
    pkt.packetno = packetno
    return pkt, buf


class _HeaderCollector:
    """Gathers the three header packets of one serial from its header pages."""

    def __init__(self, serial, first_pageno):
        self.serial = serial
        self.next_pageno = first_pageno
        self.packets = []
        self.bytes = 0  # page body bytes taken in: what libogg buffers for the headers
        self._os = opaque(STREAM_STATE_SIZE)
        ogg.stream_init(self._os, serial)
        self._live = True
        self.broken = False

    def add_page(self, page, packet):
        """Feed one header page; returns True once all three packets are known."""
        self.next_pageno += 1
        self.bytes += int(page.body_len)
        if ogg.stream_pagein(self._os, ctypes.byref(page)) != 0:
            self.broken = True
            return False
        while len(self.packets) < 3:
            r = ogg.stream_packetout(self._os, ctypes.byref(packet))
            if r == 0:
                break
            if r < 0:
                self.broken = True
                return False
            self.packets.append(ctypes.string_at(packet.packet, packet.bytes))
        return len(self.packets) == 3

    def free(self):
        if self._live:
            self._live = False
            ogg.stream_clear(self._os)


class _LogicalStream:
    """The native decoding state of one Vorbis logical stream."""

    def __init__(self, serial, headers):
        self.serial = serial
        self.headers = list(headers)
        self._os = opaque(STREAM_STATE_SIZE)
        self._vi = VorbisInfo()
        self._vc = opaque(COMMENT_SIZE)
        self._vd = opaque(DSP_STATE_SIZE)
        self._vb = opaque(BLOCK_SIZE)
        self._have = []  # which native parts are initialised, in order
        try:
            ogg.stream_init(self._os, serial)
            ogg.stream_reset(self._os)  # no page seen yet: the first page sets the sequence
            self._have.append("os")
            vorbis.info_init(ctypes.byref(self._vi))
            self._have.append("vi")
            vorbis.comment_init(self._vc)
            self._have.append("vc")
            if len(self.headers) != 3:
                raise HeaderError("expected 3 Vorbis header packets, got %d" % len(self.headers))
            for i, data in enumerate(self.headers):
                why = setup_header_problem(data) if i == 2 else None
                if why is not None:  # checked before libvorbis allocates what it describes
                    raise HeaderError("invalid Vorbis setup header: %s" % why)
                pkt, keep = _make_packet(data, i, bos=1 if i == 0 else 0)
                r = vorbis.synthesis_headerin(ctypes.byref(self._vi), self._vc, ctypes.byref(pkt))
                del keep
                if r != 0:
                    what = ("identification", "comment", "setup")[i]
                    raise HeaderError("invalid Vorbis %s header (libvorbis error %d)" % (what, r))
            if vorbis.synthesis_init(self._vd, ctypes.byref(self._vi)) != 0:
                raise HeaderError("libvorbis refused the stream's headers")
            self._have.append("vd")
            vorbis.block_init(self._vd, self._vb)
            self._have.append("vb")
        except Exception:
            self.free()
            raise
        self.rate = int(self._vi.rate)
        self.channels = int(self._vi.channels)
        self.format = AudioFormat(self.rate, self.channels)
        self.expected_pageno = None  # next page sequence number, once a data page was seen
        self.first_pageno = None  # where the data pages start, if the header pages were seen
        self.at_start = False  # the decoder saw this stream from its first page
        self.partial_bytes = 0  # body bytes of the audio packet being assembled (upper bound)
        self.position = None  # frames of output so far, in stream time (None: not placed yet)
        self.unsynced = True  # output held until a granule position says where it belongs
        self.held = []
        self.held_frames = 0
        self.gap_pages = 0
        self.gap_bytes = 0
        self.gap_pending = False
        self.ended = False
        self.fill_from_start = False
        self._pcm = FloatPP()

    def free(self):
        have = self._have
        self._have = []
        if "vb" in have:
            vorbis.block_clear(self._vb)
        if "vd" in have:
            vorbis.dsp_clear(self._vd)
        if "vc" in have:
            vorbis.comment_clear(self._vc)
        if "vi" in have:
            vorbis.info_clear(ctypes.byref(self._vi))
        if "os" in have:
            ogg.stream_clear(self._os)

    @property
    def live(self):
        return bool(self._have)


class VorbisPushDecoder:
    """Push decoder: ``feed(bytes)`` returns a list of events (see the module docstring).

    ``headers``: out-of-band headers, either a sequence of the three header packets (bytes) or
    the bytes of the header pages as they appear at the start of the file.
    ``use_numpy``: None (numpy if installed) or False (pure-Python PCM conversion).
    ``max_junk``: bytes of non-Ogg input tolerated before any page is found (then: AudioError).
    ``max_silence``: longest gap (seconds) filled with zeros; a larger jump in stream position is
    reported as a :class:`StreamRestart` instead.
    ``expect_start``: the input begins at the stream's start (a file, a recording): when the page
    sequence jumps right after the header pages, the audio before is reported lost. False for a
    live stream tuned into at any moment, where that jump is a late join (a server that sends a
    new listener the header pages, then the current page).
    ``max_header_bytes``: the byte budget of a packet being assembled, header or audio (real ones
    are kilobytes); a packet continued past it is a fatal ``AudioError`` (kind ``"too-large"``).
    ``max_silence_bytes``: the most PCM bytes of zeros one gap is filled with (32 MiB: ten seconds
    of 8 channels at 192 kHz): a stream whose headers claim an absurd rate or channel count
    cannot make ``max_silence`` seconds cost gigabytes; a bigger gap is a StreamRestart.
    ``max_output_bytes``: None (default) = each call returns everything its input decodes to; a
    number = a call stops decoding once it has that many PCM bytes (plus at most one packet's
    or one gap's worth) and sets :attr:`backlog`: ``feed(b"")`` continues. Vorbis packets of a
    byte or two decode to thousands of frames, so a small datagram can stand for megabytes.
    """

    def __init__(self, headers=None, use_numpy: Optional[bool] = None, max_junk: int = 65536,
                 max_silence: float = 10.0, max_header_bytes: int = 1 << 20, expect_start: bool = True,
                 max_silence_bytes: int = 32 << 20, max_output_bytes: Optional[int] = None) -> None:
        self._use_numpy = use_numpy
        self.expect_start = expect_start
        self.max_junk = max_junk
        self.max_header_bytes = max_header_bytes
        self.max_silence = max_silence
        self.max_silence_bytes = max_silence_bytes
        self.max_output_bytes = max_output_bytes
        self._out_bytes = 0  # PCM bytes decoded since the last call returned
        self._more = False  # stopped at max_output_bytes: more input is waiting to be decoded
        self._resume = None  # (stream, body bytes, eos, granule) of a page stopped mid-way
        self._sync = opaque(SYNC_STATE_SIZE)
        ogg.sync_init(self._sync)
        self._sync_live = True
        self._page = OggPage()
        self._packet = OggPacket()
        self._stream = None
        self._collector = None
        self._ignored = {}  # serial -> codec name of non-Vorbis logical streams
        self._format = None  # last AudioFormat emitted
        self._fallback_headers = None
        self._lengths = {}  # (serial, headers) -> length in frames, of streams seen to the end
        if headers is not None:
            packets = self._parse_oob_headers(headers)
            _LogicalStream(0, packets).free()  # invalid headers: HeaderError now, not later
            self._fallback_headers = packets
        self._out = []
        self._pcm = []
        self._fq = []  # decoded float planes not yet converted (converted in batches)
        self._fq_frames = 0
        self._fq_channels = 0
        self.failed = None  # the fatal AudioError, once one happened
        self.pages = 0
        self.frames_out = 0
        self.bytes_in = 0
        self.bytes_skipped = 0
        self.pages_waiting_for_headers = 0
        self.gaps = 0
        self.streams = 0
        self.ended = False  # the last logical stream ended properly (EOS page)

    # ----------------------------------------------------------------- public API
    @property
    def format(self):
        """The AudioFormat of the current stream (None before the headers are known)."""
        return self._format

    @property
    def backlog(self) -> bool:
        """True when the last call stopped at ``max_output_bytes``: ``feed(b"")`` gives more."""
        return self._more and self.failed is None

    def feed(self, data: bytes = b"") -> list:
        """Push a chunk of Ogg bytes; returns the events it completes (may be empty).
        ``feed(b"")`` continues a :attr:`backlog`."""
        if not self._sync_live:
            raise ValueError("decoder is closed")
        if self.failed is not None or not (data or self._more):
            return []
        n = len(data)
        if n:
            self.bytes_in += n
            buf = ogg.sync_buffer(self._sync, n)
            if not buf:
                self._fail("out of memory buffering %d bytes" % n, "corrupt")
                return self._take()
            ctypes.memmove(buf, bytes(data), n)
            ogg.sync_wrote(self._sync, n)
        self._pump()
        return self._take()

    def _full(self):
        return self.max_output_bytes is not None and self._out_bytes >= self.max_output_bytes

    def _pump(self):
        """Decode the buffered input, up to the output budget."""
        self._more = False
        page = self._page
        while self.failed is None:
            if self._resume is not None:
                args = self._resume
                self._resume = None
                if not self._page_packets(*args):
                    return
            if self._full():
                self._more = True
                return
            r = ogg.sync_pageseek(self._sync, ctypes.byref(page))
            if r == 0:
                break
            if r < 0:
                self._skipped(-r)
                continue
            self.pages += 1
            self._route(page)
            if self._resume is not None:
                return

    def finish(self) -> list:
        """End of input: flush held output and report a truncated or undecodable input."""
        if self.failed is not None or not self._sync_live:
            return self._take()
        if self._more:  # the rest of a backlog, whatever its size
            budget, self.max_output_bytes = self.max_output_bytes, None
            self._pump()
            self.max_output_bytes = budget
        s = self._stream
        if s is not None and s.held:
            self._release_held(s, None)
        if self.failed is None:
            if self.streams == 0:
                if self.pages == 0:
                    self._fail("no Ogg pages found in %d bytes: not an Ogg stream" % self.bytes_in, "not-ogg")
                elif self._ignored:
                    self._fail_not_vorbis()
                else:
                    self._fail(
                        "no Vorbis headers found in %d pages (%d bytes)" % (self.pages, self.bytes_in),
                        "no-headers",
                    )
            elif s is not None and not s.ended:
                self._fail(
                    "stream stopped before its last page after %.3f s of audio (truncated?)"
                    % (self.frames_out / float(s.rate)),
                    "truncated",
                )
        return self._take()

    def close(self) -> None:
        """Free every native struct (idempotent)."""
        if self._stream is not None:
            self._stream.free()
            self._stream = None
        if self._collector is not None:
            self._collector.free()
            self._collector = None
        if self._sync_live:
            self._sync_live = False
            ogg.sync_clear(self._sync)

    @property
    def closed(self) -> bool:
        return not self._sync_live

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # ----------------------------------------------------------------- output
    def _flush_floats(self):
        """Convert the decoded float planes gathered so far into s16 bytes, in one go."""
        fq = self._fq
        if fq:
            channels = self._fq_channels
            if len(fq) == 1:
                planes = fq[0]
            else:
                planes = [b"".join([p[ch] for p in fq]) for ch in range(channels)]
            self._pcm.append(planes_to_s16(planes, channels, self._fq_frames, self._use_numpy))
            self._fq = []
            self._fq_frames = 0

    def _emit(self, ev):
        self._flush_floats()
        if self._pcm:
            self._out.append(b"".join(self._pcm))
            self._pcm = []
        self._out.append(ev)

    def _emit_pcm(self, data, frames):
        self._flush_floats()
        self._pcm.append(data)
        self.frames_out += frames
        self._out_bytes += len(data)

    def _take(self):
        self._out_bytes = 0
        self._flush_floats()
        if self._pcm:
            self._out.append(b"".join(self._pcm))
            self._pcm = []
        out = self._out
        self._out = []
        return out

    def _fail(self, reason, kind):
        self.failed = AudioError(reason, source="Ogg Vorbis stream", kind=kind)
        self._emit(self.failed)

    def _too_large(self, what, serial, nbytes):
        s = self._stream
        if s is not None and s.held:
            self._release_held(s, None)  # nothing decoded before the bad packet is lost
        self._fail(
            "%s of logical stream %d goes on past the decoder's budget of %d bytes (%d bytes without an "
            "end): a corrupt or hostile stream" % (what, serial, self.max_header_bytes, nbytes),
            "too-large",
        )

    def _fail_not_vorbis(self):
        names = sorted(set(self._ignored.values()))
        self._fail("the Ogg stream carries %s, not Vorbis" % ", ".join(names), "not-vorbis")

    def _skipped(self, n):
        self.bytes_skipped += n
        if self._stream is not None:
            self._stream.gap_bytes += n
        if self.pages == 0 and self.bytes_skipped > self.max_junk:
            self._fail("no Ogg page found in the first %d bytes: not an Ogg stream" % self.bytes_skipped, "not-ogg")

    # ----------------------------------------------------------------- page routing
    def _route(self, page):
        serial = ogg.page_serialno(ctypes.byref(page))
        pageno = ogg.page_pageno(ctypes.byref(page))
        granule = ogg.page_granulepos(ctypes.byref(page))
        col = self._collector
        if ogg.page_bos(ctypes.byref(page)):
            first = ctypes.string_at(page.body, min(int(page.body_len), 16))
            if not first.startswith(_VORBIS_ID):
                if serial not in self._ignored and len(self._ignored) < _MAX_REMEMBERED:
                    self._ignored[serial] = _codec_name(first)
                if self._stream is None and self.streams == 0 and col is None:
                    self._fail_not_vorbis()
                return
            if col is not None:
                col.free()
            self._collector = col = _HeaderCollector(serial, pageno)
            self._collect(col, page)
            return
        if col is not None and serial == col.serial:
            if granule in (0, -1) and pageno == col.next_pageno:
                self._collect(col, page)
                return
            col.free()  # the header pages were interrupted (lost): wait for the next set
            self._collector = None
        s = self._stream
        if s is not None and serial == s.serial:
            self._decode_page(s, page, pageno, granule)
            return
        if serial in self._ignored:
            return
        if (s is None or s.ended) and self._fallback_headers is not None:
            s = self._start_stream(serial, self._fallback_headers, "headers known before the stream")
            if s is not None:
                self._decode_page(s, page, pageno, granule)
            return
        self.pages_waiting_for_headers += 1

    def _collect(self, col, page):
        if col.add_page(page, self._packet):
            self._collector = None
            col.free()
            self._headers_complete(col.serial, col.packets, col.next_pageno)
        elif col.broken:
            self._collector = None
            col.free()
        elif col.bytes > self.max_header_bytes:
            self._collector = None
            col.free()
            self._too_large("a Vorbis header packet", col.serial, col.bytes)

    def _headers_complete(self, serial, headers, next_pageno):
        s = self._stream
        if s is not None and not s.ended and s.serial == serial and s.headers == headers:
            return  # the sender repeated the headers in band: keep decoding
        reason = "new stream"
        if s is not None and not s.ended:
            reason = "new headers before the end of the previous stream"
        # no data page came before these headers: this receiver is at the stream's start, so
        # a jump in the page sequence after them is audio lost, not a late join
        at_start = self.expect_start and self.streams == 0 and self.pages_waiting_for_headers == 0
        s = self._start_stream(serial, headers, reason)
        if s is not None:
            s.first_pageno = next_pageno
            s.at_start = at_start

    def _start_stream(self, serial, headers, reason):
        old = self._stream
        if old is not None:
            if old.held:
                self._release_held(old, None)
            if not old.ended and old.position is not None:
                # the previous stream's last page(s) never came: if a whole pass of that same
                # stream was seen before (a looping sender), its length says how much is missing
                length = self._lengths.get((old.serial, tuple(old.headers)))
                missing = None if length is None else length - old.position
                if missing is not None and self._fillable(old, missing):
                    if missing:
                        self._silence(old, missing)
                else:
                    reason += " (the end of the previous stream was lost; its length is unknown)"
            old.free()
            self._stream = None
        try:
            s = _LogicalStream(serial, headers)
        except HeaderError as e:
            if self.streams == 0:
                self._fail(str(e), "corrupt")
            return None
        self._stream = s
        s.fill_from_start = self.streams > 0  # a stream that follows one we played: stay in step
        self._fallback_headers = list(headers) if self._fallback_headers is None else self._fallback_headers
        if self.streams:
            self._emit(StreamRestart(serial, reason))
        self.streams += 1
        self.ended = False
        if self._format != s.format:
            self._format = s.format
            self._emit(s.format)
        return s

    # ----------------------------------------------------------------- decoding
    def _decode_page(self, s, page, pageno, granule):
        if s.ended:
            # the same serial again after its end: the sender started over without a BOS page
            s = self._start_stream(s.serial, s.headers, "stream started again")
            if s is None:
                return
        exp = s.expected_pageno
        if exp is None:
            first = s.first_pageno
            if first is not None and pageno > first:
                s.gap_pages += pageno - first  # the first data page(s) never came
                s.fill_from_start = s.fill_from_start or s.at_start
        elif pageno != exp:
            if pageno < exp:
                if granule == 0 or granule == -1:
                    return  # a stray repeated header page whose BOS page was lost
                s = self._start_stream(s.serial, s.headers, "page sequence started again")
                if s is None:
                    return
            else:
                s.gap_pages += pageno - exp
        s.expected_pageno = pageno + 1
        if ogg.stream_pagein(s._os, ctypes.byref(page)) != 0:
            return
        body = int(page.body_len)
        s.partial_bytes += body
        self._page_packets(s, body, ogg.page_eos(ctypes.byref(page)), granule)

    def _page_packets(self, s, body, eos, granule):
        """Decode the packets of the page just taken in, then end the page. False: stopped at
        the output budget (``_resume`` says where; the page's bytes are in libogg already)."""
        pkt = self._packet
        while True:
            if self._full():
                self._resume = (s, body, eos, granule)
                self._more = True
                return False
            r = ogg.stream_packetout(s._os, ctypes.byref(pkt))
            if r == 0:
                break
            s.partial_bytes = body  # a packet ended: at most this page's rest is still partial
            if r < 0:  # a hole: audio is missing here
                s.gap_pending = True
                if s.position is not None:
                    # output held since an earlier hole cannot be placed exactly: it becomes
                    # part of the silence that the next page's granule position measures
                    s.held = []
                    s.held_frames = 0
                    s.unsynced = True
                vorbis.synthesis_restart(s._vd)
                continue
            if vorbis.synthesis(s._vb, ctypes.byref(pkt)) == 0:
                vorbis.synthesis_blockin(s._vd, s._vb)
                self._drain_pcm(s)
            if pkt.granulepos != -1 and s.unsynced:
                if pkt.e_o_s:
                    # libvorbis cannot trim the end of a stream it (re)started on its last page,
                    # so where the held output belongs is unknown: after a gap it becomes part
                    # of the silence up to the end; a receiver that joined on the very last
                    # page plays nothing of it
                    s.held = []
                    s.held_frames = 0
                    if s.position is None:
                        s.position = int(pkt.granulepos)
                        s.unsynced = False
                        continue
                self._release_held(s, int(pkt.granulepos))
        if s.partial_bytes > self.max_header_bytes:
            self._too_large("an audio packet", s.serial, s.partial_bytes)
            return True
        if eos:
            if s.held:
                self._release_held(s, granule if granule >= 0 else None)
            if granule >= 0:
                if len(self._lengths) >= _MAX_REMEMBERED:
                    self._lengths.clear()  # bounded memory, whatever a sender does
                self._lengths[(s.serial, tuple(s.headers))] = granule
            s.ended = True
            self.ended = True
        return True

    def _drain_pcm(self, s):
        pcm = s._pcm
        while True:
            n = vorbis.synthesis_pcmout(s._vd, ctypes.byref(pcm))
            if n <= 0:
                return
            nbytes = 4 * n
            planes = [ctypes.string_at(pcm[ch], nbytes) for ch in range(s.channels)]
            vorbis.synthesis_read(s._vd, n)
            if s.unsynced:
                s.held.append(planes_to_s16(planes, s.channels, n, self._use_numpy))
                s.held_frames += n
                if not self._fillable(s, s.held_frames):
                    # no granule position placed it within max_silence (a corrupt sender):
                    # play it where the stream is, rather than hold it without bound
                    self._release_held(s, None)
            else:
                s.position += n
                if self._fq and self._fq_channels != s.channels:
                    self._flush_floats()
                self._fq.append(planes)
                self._fq_channels = s.channels
                self._fq_frames += n
                self._out_bytes += 2 * n * s.channels
                self.frames_out += n

    def _release_held(self, s, granule):
        """Place held output in time using ``granule`` (the stream position at its end)."""
        held, frames = s.held, s.held_frames
        s.held = []
        s.held_frames = 0
        if granule is None:
            start = s.position if s.position is not None else 0
        else:
            start = granule - frames
        if s.position is not None and s.gap_pending:
            gap = start - s.position
            if self._fillable(s, gap):
                self._silence(s, gap)
            else:
                self.gaps += 1
                self._emit(StreamRestart(s.serial, "stream position jumped by %d frames" % gap))
        elif s.position is None:
            if start < 0:
                start = 0
            elif start and s.fill_from_start and self._fillable(s, start):
                s.position = 0  # the start of this stream was lost: silence up to where we are
                self._silence(s, start)
        s.position = start
        s.gap_pending = False
        s.gap_pages = 0
        s.gap_bytes = 0
        s.unsynced = False
        for data in held:
            self._emit_pcm(data, len(data) // (2 * s.channels))
        s.position += frames

    def _fillable(self, s, frames):
        """May a gap of ``frames`` be filled with zeros (within max_silence, in seconds and bytes)?"""
        return 0 <= frames <= self.max_silence * s.rate and frames * 2 * s.channels <= self.max_silence_bytes

    def _silence(self, s, frames):
        self.gaps += 1
        self._emit(StreamGap(frames, s.rate, s.gap_pages, s.gap_bytes))
        fb = 2 * s.channels
        left = frames
        while left > 0:
            n = min(left, _SILENCE_CHUNK_FRAMES)
            self._emit_pcm(bytes(n * fb), n)
            left -= n
        s.position += frames

    # ----------------------------------------------------------------- out-of-band headers
    @staticmethod
    def _parse_oob_headers(headers):
        if isinstance(headers, (bytes, bytearray, memoryview)):
            return split_header_pages(bytes(headers))
        packets = [bytes(h) for h in headers]
        if len(packets) != 3:
            raise HeaderError("expected 3 Vorbis header packets, got %d" % len(packets))
        return packets


def split_header_pages(data: bytes) -> List[bytes]:
    """The three Vorbis header packets found in ``data`` (Ogg header pages, e.g. a file's start)."""
    sync = opaque(SYNC_STATE_SIZE)
    ogg.sync_init(sync)
    col = None
    try:
        buf = ogg.sync_buffer(sync, len(data))
        ctypes.memmove(buf, data, len(data))
        ogg.sync_wrote(sync, len(data))
        page = OggPage()
        packet = OggPacket()
        while True:
            r = ogg.sync_pageseek(sync, ctypes.byref(page))
            if r == 0:
                break
            if r < 0:
                continue
            if col is None:
                if not ogg.page_bos(ctypes.byref(page)):
                    continue
                first = ctypes.string_at(page.body, min(int(page.body_len), 16))
                if not first.startswith(_VORBIS_ID):
                    continue
                col = _HeaderCollector(ogg.page_serialno(ctypes.byref(page)), ogg.page_pageno(ctypes.byref(page)))
            elif ogg.page_serialno(ctypes.byref(page)) != col.serial:
                continue
            if col.add_page(page, packet):
                return list(col.packets)
            if col.broken:
                break
    finally:
        if col is not None:
            col.free()
        ogg.sync_clear(sync)
    raise HeaderError("the given header pages do not hold three Vorbis header packets")
