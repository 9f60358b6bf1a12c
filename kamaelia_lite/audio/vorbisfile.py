"""``VorbisFileDecoder``: decode an .ogg file with pyogg's libvorbisfile binding.

Emits an :class:`AudioFormat` first, then chunks of s16le interleaved PCM (the same bytes as
``pyogg.VorbisFile(path).buffer``), a chunk per scheduler step, waiting for room downstream.
A missing file, a file that is not Ogg Vorbis, or a truncated/damaged one gives an
:class:`AudioError` on ``signal`` (after whatever audio could be decoded); nothing is raised into
the scheduler.
"""

import ctypes
import os
from typing import Optional

from kamaelia_lite.audio.messages import AudioError, AudioException, AudioFormat
from kamaelia_lite.audio.oggpages import MAX_PAGE, OggPageSplitter
from kamaelia_lite.audio.vorbis_setup import setup_header_problem
from kamaelia_lite.flow import PendingSends, passed_shutdown_on
from microaxon import component, producerFinished

__all__ = ["VorbisFileDecoder", "OggVorbisFileReader", "check_ogg_ending", "vorbis_header_problem", "header_scan"]

# libvorbisfile error codes
_OV_ERRORS = {
    -1: "read error",
    -2: "internal error",
    -3: "damaged data (hole in the stream)",
    -128: "read error",
    -129: "internal logic fault",
    -130: "unimplemented feature",
    -131: "invalid argument",
    -132: "not Vorbis data",
    -133: "invalid Vorbis header",
    -134: "unsupported Vorbis version",
    -135: "not an audio packet",
    -136: "invalid packet",
    -137: "invalid stream link",
    -138: "not seekable",
}
_OV_KIND = {-132: "not-vorbis", -133: "corrupt", -134: "not-vorbis", -128: "corrupt"}
_OV_EINVAL = -131
_VF_SIZE = 4096  # OggVorbis_File is 944 bytes on x86-64: an opaque, roomy buffer


class _VorbisFileLib:
    """libvorbisfile functions with our own signatures (fresh objects: pyogg's stay untouched)."""

    _inst = None

    @classmethod
    def get(cls):
        if cls._inst is None:
            cls._inst = cls()
        return cls._inst

    def __init__(self):
        from pyogg import vorbis as pv

        lib = pv.libvorbisfile
        if lib is None:
            raise ImportError("pyogg could not load libvorbisfile")
        vp = ctypes.c_void_p
        self.ov_fopen = lib["ov_fopen"]
        self.ov_fopen.argtypes = [ctypes.c_char_p, vp]
        self.ov_fopen.restype = ctypes.c_int
        self.ov_info = lib["ov_info"]
        self.ov_info.argtypes = [vp, ctypes.c_int]
        self.ov_info.restype = vp
        self.ov_read = lib["ov_read"]
        self.ov_read.argtypes = [vp, vp, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                 ctypes.POINTER(ctypes.c_int)]
        self.ov_read.restype = ctypes.c_long
        self.ov_clear = lib["ov_clear"]
        self.ov_clear.argtypes = [vp]
        self.ov_clear.restype = ctypes.c_int


_MAX_HEADER_PACKET = 1 << 20  # as the push decoder's max_header_bytes
_MAX_OPEN_STREAMS = 16  # Vorbis streams whose headers are being gathered at once


def vorbis_header_problem(path: str) -> Optional[str]:
    """None, or why libvorbisfile must not be given the file: a Vorbis setup header in it (of any
    link of a chained file) whose codebooks would make libvorbis allocate without bound (see
    vorbis_setup), or a header packet beyond 1 MiB. Pages are found as libogg finds them (CRC
    checked, resynchronising a byte on), so a page hidden inside a fake one is found too.
    Reads the whole file (about 20 ms a minute of 160 kbit/s audio)."""
    scan = header_scan(path)
    while True:
        try:
            next(scan)
        except StopIteration as end:
            return end.value


def header_scan(path: str):
    """:func:`vorbis_header_problem` a 64 KB read at a time: a generator that yields between
    reads (so a component can let others run) and returns the answer."""
    streams = {}  # serial -> [packets, pieces of the packet under way, their length]
    splitter = OggPageSplitter(check_crc=True)
    with open(path, "rb") as f:
        while True:
            data = f.read(65536)
            if not data:
                return None
            yield
            for page in splitter.feed(data):
                serial = page.serial
                if page.bos:
                    streams.pop(serial, None)
                    if page.body.startswith(b"\x01vorbis"):
                        if len(streams) >= _MAX_OPEN_STREAMS:
                            return "more than %d Vorbis streams begin at once" % _MAX_OPEN_STREAMS
                        streams[serial] = [[], [], 0]
                st = streams.get(serial)
                if st is None:
                    continue
                packets = st[0]
                if not page.continued:
                    st[1] = []
                    st[2] = 0
                body = page.body
                start = at = 0
                for v in page.lacing:  # a packet's bytes are contiguous within a page
                    at += v
                    if v < 255:
                        packets.append(b"".join(st[1] + [body[start:at]]))
                        st[1] = []
                        st[2] = 0
                        start = at
                if start < at:  # the packet goes on in the next page: its pieces are joined once
                    st[1].append(body[start:at])
                    st[2] += at - start
                if st[2] > _MAX_HEADER_PACKET:
                    return "a Vorbis header packet of over %d bytes" % _MAX_HEADER_PACKET
                if len(packets) >= 3:
                    del streams[serial]
                    why = setup_header_problem(packets[2])
                    if why is not None:
                        return "invalid Vorbis setup header: %s" % why


def check_ogg_ending(path: str) -> Optional[str]:
    """None if the file ends with a whole Ogg page flagged end-of-stream, else why not."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        start = max(0, size - 2 * MAX_PAGE)
        f.seek(start)
        tail = f.read()
    sp = OggPageSplitter(check_crc=True)
    pages = sp.feed(tail)
    if not pages:
        return "no whole Ogg page at the end of the file"
    if sp.pending:
        return "the file ends inside an Ogg page (%d bytes of it present)" % sp.pending
    if not pages[-1].eos:
        return "the last Ogg page is not marked end-of-stream"
    return None


class OggVorbisFileReader:
    """Incremental libvorbisfile decoding of one file (plain object; ``close()`` frees it)."""

    def __init__(self, path: str, headers_checked: bool = False) -> None:
        """``headers_checked``: :func:`vorbis_header_problem` already found nothing wrong."""
        self.path = path
        self._lib = _VorbisFileLib.get()
        self._vf = (ctypes.c_uint64 * (_VF_SIZE // 8))()
        self._open = False
        if not os.path.exists(path):
            raise AudioException("no such file", path, "missing")
        if os.path.isdir(path):
            raise AudioException("is a directory, not an .ogg file", path, "missing")
        why = None if headers_checked else vorbis_header_problem(path)
        if why is not None:  # checked before libvorbisfile allocates what the headers say
            raise AudioException("cannot open as Ogg Vorbis: %s" % why, path, "corrupt")
        r = self._lib.ov_fopen(os.fsencode(path), self._vf)
        if r != 0:
            kind = _OV_KIND.get(r, "not-vorbis")
            raise AudioException(
                "cannot open as Ogg Vorbis: %s (libvorbisfile %d)" % (_OV_ERRORS.get(r, "error"), r), path, kind
            )
        self._open = True
        self._buf = ctypes.create_string_buffer(65536)
        self._bitstream = ctypes.c_int(-1)
        self._link = None
        self._pending = None
        self.format = self._query_format()
        self.holes = 0
        self.frames = 0

    def _query_format(self):
        p = self._lib.ov_info(self._vf, -1)
        from kamaelia_lite.audio.native import VorbisInfo

        info = ctypes.cast(p, ctypes.POINTER(VorbisInfo)).contents
        return AudioFormat(info.rate, info.channels)

    def read(self, max_bytes: int = 16384) -> bytes:
        """Up to ``max_bytes`` of PCM (b"" at the end), whole frames, all of one link of the file,
        whose format is then ``self.format`` (a chained file's next link may have another).
        ``max_bytes`` must hold at least one frame (2 bytes per channel)."""
        parts = []
        got = 0
        if self._pending is not None:
            data, self.format = self._pending
            self._pending = None
            parts.append(data)
            got = len(data)
        buf = self._buf
        while got < max_bytes:
            n = self._lib.ov_read(self._vf, buf, min(len(buf), max_bytes - got), 0, 2, 1,
                                  ctypes.byref(self._bitstream))
            if n == 0:
                break
            if n == _OV_EINVAL and got:
                break  # less room left than one frame (ov_read gives whole frames only)
            if n < 0:
                if n == -3:
                    self.holes += 1
                    continue
                raise AudioException("decoding failed: %s (libvorbisfile %d)" % (_OV_ERRORS.get(n, "error"), n),
                                     self.path, "corrupt")
            chunk = ctypes.string_at(buf, n)
            if self._bitstream.value != self._link:  # the first data, or a new link of a chained file
                self._link = self._bitstream.value
                fmt = self._query_format()
                if parts:  # keep it for the next read, so one read is one format
                    self._pending = (chunk, fmt)
                    break
                self.format = fmt
            parts.append(chunk)
            got += n
        data = b"".join(parts)
        self.frames += len(data) // self.format.frame_bytes if self.format.channels else 0
        return data

    def current_format(self) -> AudioFormat:
        """The format of the data the last read() returned."""
        return self.format

    def close(self):
        if self._open:
            self._open = False
            self._lib.ov_clear(self._vf)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class VorbisFileDecoder(component):
    """Decode ``filename`` (an .ogg file) to PCM: AudioFormat first, then s16le chunks.

    ``chunk_bytes``: PCM bytes per message. ``check_ending``: report a file that stops before its
    end-of-stream page as truncated (an AudioError on signal after the decodable audio).
    """

    Inboxes = {"inbox": "unused", "control": "shutdown messages"}
    Outboxes = {"outbox": "AudioFormat, then PCM bytes (s16le interleaved)",
                "signal": "producerFinished, or an AudioError"}
    chunk_bytes = 16384
    check_ending = True

    def __init__(self, filename: str, **argd) -> None:
        super().__init__(**argd)
        self.filename = filename
        self.reader = None

    def main(self):
        why = None
        checked = False
        if os.path.isfile(self.filename):  # the setup headers' check, a read per step
            try:
                scan = header_scan(self.filename)
                while True:
                    next(scan)
                    if passed_shutdown_on(self):
                        return
                    yield 1
            except StopIteration as end:
                why = end.value
                checked = True
            except OSError:
                pass  # unreadable: the reader reports it
            if why is not None:
                self.send(AudioError("cannot open as Ogg Vorbis: %s" % why, self.filename, "corrupt"), "signal")
                return
        try:
            self.reader = reader = OggVorbisFileReader(self.filename, headers_checked=checked)
        except AudioException as e:
            self.send(e.message(self), "signal")
            return
        except Exception as e:  # pyogg/libvorbisfile unavailable
            self.send(AudioError(str(e), self.filename, "error"), "signal")
            return
        try:
            fmt = reader.format
            out = PendingSends(self)
            out.add(fmt)
            while True:
                if passed_shutdown_on(self):
                    return
                if not out.flush():           # no room downstream: wait for it (waitSpace)
                    self.pause()
                    yield 1
                    continue
                try:
                    data = reader.read(self.chunk_bytes)
                except AudioException as e:
                    self.send(e.message(self), "signal")
                    return
                if not data:
                    break
                cur = reader.current_format()
                if cur != fmt:
                    fmt = cur
                    out.add(fmt)
                out.add(data)
                yield 1
            problem = None
            if self.check_ending:
                try:
                    problem = check_ogg_ending(self.filename)
                except OSError as e:
                    problem = str(e)
            if problem is not None:
                self.send(AudioError("truncated: %s" % problem, self.filename, "truncated"), "signal")
            elif reader.holes:
                self.send(AudioError("%d damaged spot(s) skipped" % reader.holes, self.filename, "corrupt"),
                          "signal")
            else:
                self.send(producerFinished(self), "signal")
        finally:
            reader.close()
