"""Messages that audio components put on their boxes.

Outbox stream of a decoder: one :class:`AudioFormat` first, then ``bytes`` of signed 16-bit
little-endian interleaved PCM; a :class:`StreamGap` is placed inline just before the silence that
stands in for lost audio. A fatal problem (missing file, not Vorbis, corrupt headers...) is an
:class:`AudioError` sent on ``signal`` in place of ``producerFinished``: it *is* a
``producerFinished`` (downstream components drain, finish and pass it on, so the error travels to
the end of a pipeline where the user sees it) with a readable ``reason``.
"""

from typing import Optional

from microaxon import ipc, producerFinished

__all__ = ["AudioFormat", "AudioError", "AudioException", "StreamGap", "StreamRestart", "Underrun"]


class AudioFormat(ipc):
    """Format of the PCM that follows: ``rate`` (Hz), ``channels``, ``sample_width`` (bytes, 2 = s16)."""

    def __init__(self, rate: int, channels: int, sample_width: int = 2) -> None:
        self.rate = int(rate)
        self.channels = int(channels)
        self.sample_width = int(sample_width)

    @property
    def frame_bytes(self):
        """Bytes per frame (one sample of every channel)."""
        return self.channels * self.sample_width

    def seconds(self, nbytes: int) -> float:
        """Duration in seconds of ``nbytes`` of PCM in this format."""
        return nbytes / float(self.frame_bytes * self.rate)

    def __eq__(self, other):
        return (
            isinstance(other, AudioFormat)
            and self.rate == other.rate
            and self.channels == other.channels
            and self.sample_width == other.sample_width
        )

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self.rate, self.channels, self.sample_width))

    def __repr__(self):
        return "AudioFormat(rate=%d, channels=%d, sample_width=%d)" % (
            self.rate,
            self.channels,
            self.sample_width,
        )


class AudioError(producerFinished):
    """A fatal audio problem, sent on ``signal`` (it finishes downstream like producerFinished).

    ``reason``: one line a person can act on; ``source``: file name or stream description;
    ``kind``: a short machine-readable word ("missing", "not-vorbis", "not-ogg", "truncated",
    "corrupt", "device").
    """

    def __init__(self, reason: str, source: Optional[str] = None, kind: str = "error", caller=None) -> None:
        producerFinished.__init__(self, caller, reason)
        self.reason = reason
        self.source = source
        self.kind = kind

    def __str__(self):
        if self.source:
            return "%s: %s" % (self.source, self.reason)
        return self.reason

    def __repr__(self):
        return "AudioError(%r, source=%r, kind=%r)" % (self.reason, self.source, self.kind)


class StreamGap(ipc):
    """Audio was lost; ``silence_frames`` frames of zeros follow in its place.

    ``pages_lost``: Ogg pages missing (by page sequence number; -1 if unknown);
    ``bytes_skipped``: bytes of corrupt data thrown away while resynchronising;
    ``rate``: sample rate, so ``seconds`` can be given.
    """

    def __init__(self, silence_frames: int, rate: int, pages_lost: int = -1, bytes_skipped: int = 0) -> None:
        self.silence_frames = int(silence_frames)
        self.rate = int(rate)
        self.pages_lost = pages_lost
        self.bytes_skipped = bytes_skipped

    @property
    def seconds(self):
        return self.silence_frames / float(self.rate) if self.rate else 0.0

    def __repr__(self):
        return "StreamGap(silence_frames=%d, seconds=%.3f, pages_lost=%d, bytes_skipped=%d)" % (
            self.silence_frames,
            self.seconds,
            self.pages_lost,
            self.bytes_skipped,
        )


class StreamRestart(ipc):
    """A new logical stream began (new headers, or the sender started again from the top)."""

    def __init__(self, serial: int, reason: str) -> None:
        self.serial = serial
        self.reason = reason

    def __repr__(self):
        return "StreamRestart(serial=%d, reason=%r)" % (self.serial, self.reason)


class Underrun(ipc):
    """Playback ran dry: ``seconds`` of silence were heard before more audio arrived."""

    def __init__(self, seconds: float, count: int) -> None:
        self.seconds = seconds
        self.count = count

    def __repr__(self):
        return "Underrun(seconds=%.3f, count=%d)" % (self.seconds, self.count)


class AudioException(Exception):
    """Raised by the plain (non-component) audio objects; components turn it into an AudioError."""

    def __init__(self, reason, source=None, kind="error"):
        Exception.__init__(self, "%s: %s" % (source, reason) if source else reason)
        self.reason = reason
        self.source = source
        self.kind = kind

    def message(self, caller=None):
        """This problem as an AudioError message for a ``signal`` outbox."""
        return AudioError(self.reason, self.source, self.kind, caller)
