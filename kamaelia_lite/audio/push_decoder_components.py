"""``VorbisDecode``: the streaming Ogg Vorbis decoder component (Kamaelia.Codec.Vorbis name).

A thin component around :class:`~kamaelia_lite.audio.push_decoder.VorbisPushDecoder`: Ogg bytes in
chunks of any size arrive on ``inbox``; ``outbox`` carries an :class:`AudioFormat`, then s16le
interleaved PCM ``bytes`` (with :class:`StreamGap` / :class:`StreamRestart` inline where they
happen). A fatal problem is sent on ``signal`` as an :class:`AudioError` (a producerFinished), and
the component finishes; the rest of the system keeps running.
"""

from typing import Sequence, Union

from kamaelia_lite.audio.messages import AudioError
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
from kamaelia_lite.flow import PendingSends, drained_then_stopped, take_ending
from microaxon import component, shutdownMicroprocess

__all__ = ["VorbisDecode"]


class VorbisDecode(component):
    """Decode a live Ogg Vorbis byte stream to PCM as it arrives.

    ``headers``: the stream's header packets (or header pages' bytes) known out of band, so a
    receiver that joins mid-stream can start at once. Without them it starts at the first
    header pages it sees (a sender may repeat them periodically).
    ``expect_end``: False for a live stream that is tuned out of (no "truncated" error at the
    end). ``expect_start``: False for a live stream that is tuned into (pages missing after the
    first headers are a late join, not lost audio). Messages on ``inbox`` that are not bytes are counted in ``ignored`` and skipped.
    ``max_output_bytes``: PCM decoded ahead of the outbox (1 MiB; plus at most one packet's or
    one gap's worth): a message of tiny packets that decodes to far more is decoded as the
    outbox makes room, not all at once.
    """

    Inboxes = {"inbox": "Ogg Vorbis bytes, chunks of any size", "control": "shutdown messages"}
    Outboxes = {
        "outbox": "AudioFormat, then PCM bytes (s16le interleaved); StreamGap/StreamRestart inline",
        "signal": "producerFinished / shutdownMicroprocess, or an AudioError",
    }
    headers = None
    use_numpy = None
    expect_end = True
    expect_start = True
    max_output_bytes = 1 << 20

    def __init__(self, headers: Union[bytes, Sequence[bytes], None] = None, **argd) -> None:
        super().__init__(**argd)
        if headers is not None:
            self.headers = headers
        self.decoder = None
        self.ignored = 0

    def main(self):
        try:
            self.decoder = dec = VorbisPushDecoder(headers=self.headers, use_numpy=self.use_numpy,
                                                   expect_start=self.expect_start,
                                                   max_output_bytes=self.max_output_bytes)
        except Exception as e:  # bad out-of-band headers
            self.send(AudioError(str(e), "VorbisDecode headers", "corrupt"), "signal")
            return
        out = PendingSends(self)
        finishing = None
        try:
            while True:
                if out.flush():
                    while len(out) == 0 and (dec.backlog or self.dataReady("inbox")):
                        if dec.backlog:  # the rest of what the last message decodes to
                            events = dec.feed(b"")
                        else:
                            msg = self.recv("inbox")
                            if not isinstance(msg, (bytes, bytearray, memoryview)):
                                self.ignored += 1  # e.g. a transport's loss report: the pages tell us
                                continue
                            events = dec.feed(msg)
                        for ev in events:
                            if isinstance(ev, AudioError):
                                yield from self._drain_then(out)
                                self.send(ev, "signal")
                                return
                            out.add(ev)
                        out.flush()
                finishing = take_ending(self, finishing)
                if drained_then_stopped(self, finishing, False):    # shutdownMicroprocess: now
                    return
                if finishing is not None and not self.dataReady("inbox") and len(out) == 0 and not dec.backlog:
                    end = dec.finish()
                    err = None
                    for ev in end:
                        if isinstance(ev, AudioError):
                            if ev.kind == "truncated" and not self.expect_end:
                                continue  # a live stream we tune out of has no end
                            err = ev
                        else:
                            out.add(ev)
                    yield from self._drain_then(out)
                    if isinstance(finishing, AudioError):  # upstream's error explains more
                        err = finishing
                    self.send(err if err is not None else finishing, "signal")
                    return
                self.pause()
                yield 1
        finally:
            dec.close()

    def _drain_then(self, out):
        while not out.flush():
            if isinstance(take_ending(self), shutdownMicroprocess):
                return                            # stop now: what is left is dropped
            self.pause()
            yield 1
