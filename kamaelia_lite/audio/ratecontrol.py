"""Serving pre-encoded content at its bit-rate.

- :class:`RateControlledFileReader` (Kamaelia.File.Reading's contract): reads a file and sends it
  at ``rate`` bytes (or lines) per second, in ``chunksize`` pieces, ``chunkrate`` times a second.
  ``readmode="oggpages"`` cuts at Ogg page boundaries instead: each message holds whole pages
  (up to ``chunksize`` bytes; a larger page is cut), paced by bytes.
- :class:`OggPagePacer`: the radio's source. Sends an .ogg file's pages in real time by their
  granule positions (``lead`` seconds ahead of the audio they carry), packing whole pages into
  datagrams of at most ``max_datagram`` bytes, repeating the Vorbis header pages in band every
  ``header_interval`` seconds (so receivers can join at any time), looping if asked.

Both wait on timers (never poll), wait for room downstream, honour shutdown, and report a missing
or unreadable file as an :class:`AudioError` on ``signal``.
"""

import os
from typing import Optional, Tuple

from kamaelia_lite.audio.messages import AudioError
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages, pack_pages
from kamaelia_lite.flow import passed_shutdown_on, take_ending
from microaxon import component, now, producerFinished

__all__ = ["RateControlledFileReader", "OggPagePacer", "chunk_sizes_for"]


def chunk_sizes_for(rate: float, chunksize: Optional[int] = None,
                    chunkrate: Optional[float] = None) -> Tuple[int, float]:
    """(chunksize, chunkrate) following Kamaelia's ByteRate_RequestControl rules."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    if chunksize is None and chunkrate is None:
        chunkrate = 10
    if chunksize is None:
        chunksize = max(1, int(rate / float(chunkrate)))
    chunkrate = rate / float(chunksize)
    return int(chunksize), chunkrate


class _PacedSender(component):
    """Shared machinery: wait until a time, or for room downstream, or for a shutdown."""

    def _wait_until(self, when):
        """Generator: sleep until ``when`` (scheduler clock); returns a shutdown message or None."""
        while True:
            stop = take_ending(self)
            if stop is not None:
                return stop
            left = when - now()
            if left <= 0:
                return None
            self.pause(left)
            yield 1

    def _send_paced(self, msg):
        """Generator: send ``msg`` once there is room; returns a shutdown message or None."""
        while self.hasSpace("outbox") <= 0:
            stop = take_ending(self)
            if stop is not None:
                return stop
            self.waitSpace("outbox")
            self.pause()
            yield 1
        self.send(msg, "outbox")
        return None

    def _open(self, mode="rb"):
        try:
            return open(self.filename, mode)
        except OSError as e:
            kind = "missing" if not os.path.exists(self.filename) else "error"
            self.send(AudioError("cannot open: %s" % (e.strerror or e), self.filename, kind, self), "signal")
            return None


class RateControlledFileReader(_PacedSender):
    """Read ``filename`` and send it at ``rate`` units per second.

    ``readmode``: "bytes" (messages are bytes), "lines" (``rate`` lines/s, messages are strings
    of ``chunksize`` lines), or "oggpages" (bytes holding whole Ogg pages). ``chunksize`` /
    ``chunkrate``: size of each message and messages per second (give one; default 10 a second).
    ``allowchunkaggregation``: when the sender has fallen behind, send what is due as one
    message instead of several.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown messages"}
    Outboxes = {"outbox": "file contents, paced", "signal": "producerFinished at end of file, or an AudioError"}

    def __init__(self, filename: str, readmode: str = "bytes", rate: float = 100000,
                 chunksize: Optional[int] = None, chunkrate: Optional[float] = None,
                 allowchunkaggregation: bool = False, **argd) -> None:
        super().__init__(**argd)
        if readmode not in ("bytes", "lines", "oggpages"):
            raise ValueError("readmode must be 'bytes', 'lines' or 'oggpages'")
        self.filename = filename
        self.readmode = readmode
        self.rate = rate
        self.chunksize, self.chunkrate = chunk_sizes_for(rate, chunksize, chunkrate)
        self.allowchunkaggregation = allowchunkaggregation
        self.sent_units = 0

    def _chunks(self, f):
        """Yield the file's messages with their size in rate units."""
        if self.readmode == "bytes":
            while True:
                data = f.read(self.chunksize)
                if not data:
                    return
                yield data, len(data)
        elif self.readmode == "lines":
            while True:
                lines = []
                for _ in range(self.chunksize):
                    line = f.readline()
                    if not line:
                        break
                    lines.append(line)
                if not lines:
                    return
                yield "".join(lines), len(lines)
        else:
            splitter = OggPageSplitter()
            while True:
                data = f.read(65536)
                if not data:
                    break
                for dgram in pack_pages(splitter.feed(data), self.chunksize):
                    yield dgram, len(dgram)
            rest = splitter.flush()
            if rest:  # a truncated last page still goes out
                yield rest, len(rest)

    def main(self):
        f = self._open("r" if self.readmode == "lines" else "rb")
        if f is None:
            return
        try:
            t0 = now()
            held = []
            for msg, units in self._chunks(f):
                due = t0 + self.sent_units / float(self.rate)
                if due > now():
                    if held:
                        stop = yield from self._send_paced("".join(held) if self.readmode == "lines" else b"".join(held))
                        held = []
                        if stop is not None:
                            self.send(stop, "signal")
                            return
                    stop = yield from self._wait_until(due)
                    if stop is not None:
                        self.send(stop, "signal")
                        return
                self.sent_units += units
                if self.allowchunkaggregation and due <= now() and self.readmode != "oggpages":
                    held.append(msg)
                    continue
                stop = yield from self._send_paced(msg)
                if stop is not None:
                    self.send(stop, "signal")
                    return
            if held:
                stop = yield from self._send_paced("".join(held) if self.readmode == "lines" else b"".join(held))
                if stop is not None:
                    self.send(stop, "signal")
                    return
            self.send(producerFinished(self), "signal")
        finally:
            f.close()


class OggPagePacer(_PacedSender):
    """Send an .ogg file's pages in real time (by granule position), for live streaming.

    ``max_datagram``: bytes per message (whole pages packed; larger pages cut).
    ``lead``: seconds of audio sent ahead of real time (fills receivers' jitter buffers).
    ``header_interval``: seconds between in-band repeats of the header pages (0: never).
    ``loop``: start again at the end (each pass is a new logical stream, as in the file).
    ``speed``: 1.0 is real time; tests may go faster.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown messages"}
    Outboxes = {"outbox": "bytes: whole Ogg pages, paced", "signal": "producerFinished, or an AudioError"}

    max_datagram = 1400
    lead = 0.5
    header_interval = 2.0
    loop = False
    speed = 1.0

    def __init__(self, filename: str, **argd) -> None:
        super().__init__(**argd)
        self.filename = filename
        self.header_pages = None  # VorbisHeaderPages, once read
        self.passes = 0
        self.bytes_sent = 0

    def _read_pages(self):
        f = self._open("rb")
        if f is None:
            return None
        try:
            splitter = OggPageSplitter(check_crc=True)
            pages = []
            while True:
                data = f.read(65536)
                if not data:
                    break
                pages.extend(splitter.feed(data))
        finally:
            f.close()
        hp = VorbisHeaderPages()
        for p in pages:
            if not hp.add(p):
                break
        if not hp.complete or not hp.rate:
            self.send(AudioError("no Ogg Vorbis header pages found", self.filename, "not-vorbis", self), "signal")
            return None
        return hp, pages

    def main(self):
        got = self._read_pages()
        if got is None:
            return
        hp, pages = got
        self.header_pages = hp
        n_headers = len(hp.pages)
        rate = float(hp.rate) * self.speed
        start = now()
        offset = 0.0  # seconds of audio sent in earlier passes
        while True:
            self.passes += 1
            last_repeat = now()
            prev_granule = 0
            batch = [p for p in pages[:n_headers]]
            i = n_headers
            while i < len(pages) or batch:
                # collect the pages due now (their audio starts within ``lead`` of now)
                t = now()
                while i < len(pages):
                    p = pages[i]
                    if p.serial != hp.serial:
                        i += 1
                        continue
                    due = start + offset + prev_granule / rate - self.lead
                    if due > t and batch:
                        break
                    if due > t:
                        stop = yield from self._wait_until(due)
                        if stop is not None:
                            self.send(stop, "signal")
                            return
                        t = now()
                    if self.header_interval and t - last_repeat >= self.header_interval:
                        batch.extend(hp.pages)
                        last_repeat = t
                    batch.append(p)
                    if p.granulepos > 0:
                        prev_granule = p.granulepos
                    i += 1
                for dgram in pack_pages(batch, self.max_datagram):
                    stop = yield from self._send_paced(dgram)
                    if stop is not None:
                        self.send(stop, "signal")
                        return
                    self.bytes_sent += len(dgram)
                batch = []
                if passed_shutdown_on(self):
                    return
            offset += prev_granule / rate
            if not self.loop:
                break
        # let the last audio play out in real time before saying we are done
        stop = yield from self._wait_until(start + offset - self.lead)
        self.send(stop if stop is not None else producerFinished(self), "signal")
