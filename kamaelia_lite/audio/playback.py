"""Audio sinks: ``AudioPlayback`` (pygame.mixer / SDL) and ``WavWriter`` (the wave module).

Both take what the decoders send: an :class:`AudioFormat`, then s16le interleaved PCM ``bytes``
(other messages, e.g. :class:`StreamGap`, are noted and skipped).

``AudioPlayback`` (Kamaelia's ``AOAudioPlaybackAdaptor``) plays through one pygame.mixer channel:
one sound playing, the next queued behind it. It never blocks the scheduler: it sleeps on a
timer until the queued sound is due to start, then queues the next one. Its jitter buffer is
bounded (``max_buffer`` seconds: beyond that it leaves messages in its inbox, so the sender waits),
playback starts (and restarts after an underrun) once ``prebuffer`` seconds are buffered, and each
underrun is reported as an :class:`Underrun` on ``outbox`` with its length. Under
``SDL_AUDIODRIVER=disk`` SDL writes the mixed PCM to ``SDL_DISKAUDIOFILE``: at full volume with a
single channel that is the input, byte for byte.
"""

import wave
from collections import deque

from kamaelia_lite.audio.messages import AudioError, AudioException, AudioFormat, StreamGap, Underrun
from kamaelia_lite.flow import drained_then_stopped, take_ending
from microaxon import component, now, shutdownMicroprocess

__all__ = ["AudioPlayback", "AOAudioPlaybackAdaptor", "WavWriter"]


class _Mixer:
    """pygame.mixer shared by every AudioPlayback in the process (reference counted)."""

    users = 0
    format = None
    next_channel = 0

    @classmethod
    def acquire(cls, fmt, device_frames):
        import pygame

        if cls.users and cls.format != fmt:
            raise AudioException(
                "the mixer is already open at %d Hz x %d channels; cannot also play %d Hz x %d"
                % (cls.format.rate, cls.format.channels, fmt.rate, fmt.channels),
                "pygame.mixer",
                "device",
            )
        if not cls.users:
            try:
                if pygame.mixer.get_init():
                    pygame.mixer.quit()
                pygame.mixer.init(fmt.rate, -16, fmt.channels, device_frames, allowedchanges=0)
            except pygame.error as e:
                raise AudioException("cannot open the audio device: %s" % e, "pygame.mixer", "device") from None
            got = pygame.mixer.get_init()
            if got is None or got[0] != fmt.rate or got[1] != -16 or got[2] != fmt.channels:
                pygame.mixer.quit()
                raise AudioException(
                    "the audio device offered %r instead of (%d, -16, %d)" % (got, fmt.rate, fmt.channels),
                    "pygame.mixer",
                    "device",
                )
            cls.format = fmt
            cls.next_channel = 0
        cls.users += 1
        ch_id = cls.next_channel
        cls.next_channel += 1
        if pygame.mixer.get_num_channels() <= ch_id:
            pygame.mixer.set_num_channels(ch_id + 1)
        return pygame.mixer.Channel(ch_id)

    @classmethod
    def release(cls):
        import pygame

        cls.users -= 1
        if cls.users <= 0:
            cls.users = 0
            cls.format = None
            if pygame.mixer.get_init():
                pygame.mixer.quit()


class AudioPlayback(component):
    """Play PCM through pygame.mixer without blocking the scheduler.

    ``prebuffer``: seconds buffered before playback starts (and restarts after an underrun).
    ``max_buffer``: bound of the jitter buffer, in seconds. ``chunk``: seconds per queued sound.
    ``device_frames``: SDL's device buffer, in frames.
    """

    Inboxes = {"inbox": "AudioFormat, then PCM bytes (s16le interleaved)", "control": "shutdown messages"}
    Outboxes = {"outbox": "Underrun reports", "signal": "producerFinished / shutdownMicroprocess / AudioError"}
    Capacities = {"inbox": 256}
    prebuffer = 0.2
    max_buffer = 2.0
    chunk = 0.2
    device_frames = 1024

    def __init__(self, **argd) -> None:
        super().__init__(**argd)
        self.frames_played = 0  # frames handed to the mixer
        self.underruns = 0
        self.underrun_seconds = 0.0
        self.gaps = 0
        self.gap_seconds = 0.0

    # --------------------------------------------------------------- buffer
    def _take_chunk(self, nbytes):
        parts = []
        got = 0
        buf = self._buf
        while buf and got < nbytes:
            b = buf[0]
            want = nbytes - got
            if len(b) <= want:
                parts.append(buf.popleft())
                got += len(b)
            else:
                parts.append(b[:want])
                buf[0] = b[want:]
                got += want
        self._buffered -= got
        return b"".join(parts)

    def _accept(self, msg):
        """Take one inbox message; returns an AudioFormat when the format changes."""
        if isinstance(msg, (bytes, bytearray, memoryview)):
            data = bytes(msg)
            if self._carry:
                data = self._carry + data
                self._carry = b""
            fb = self._fmt.frame_bytes if self._fmt else 1
            extra = len(data) % fb
            if extra:
                self._carry = data[-extra:]
                data = data[:-extra]
            if data:
                self._buf.append(data)
                self._buffered += len(data)
        elif isinstance(msg, AudioFormat):
            if msg != self._fmt:
                self._carry = b""  # a partial frame of the old format cannot be played
                return msg
        elif isinstance(msg, StreamGap):
            self.gaps += 1
            self.gap_seconds += msg.seconds
        return None

    # --------------------------------------------------------------- main
    def main(self):
        import pygame

        self._buf = deque()
        self._buffered = 0
        self._carry = b""
        self._fmt = None
        channel = None
        playing = False  # a sound is playing or queued on the channel
        started = False  # prebuffer reached since the last (re)start
        ends = deque()  # (end_time, frames) of the sounds on the channel, oldest first
        dry_since = None
        finishing = None
        pending_fmt = None
        try:
            while True:
                # 1. control
                finishing = take_ending(self, finishing)
                if isinstance(finishing, shutdownMicroprocess):
                    if channel is not None:
                        channel.stop()
                    self.send(finishing, "signal")
                    return
                # 2. fill the jitter buffer (bounded)
                limit = int(self.max_buffer * self._fmt.rate * self._fmt.frame_bytes) if self._fmt else 0
                while pending_fmt is None and self.dataReady("inbox") and (self._fmt is None or self._buffered < limit):
                    msg = self.recv("inbox")
                    if self._fmt is None and isinstance(msg, (bytes, bytearray)):
                        continue  # PCM before any format: nothing to play it as
                    pending_fmt = self._accept(msg)
                    if self._fmt is None and pending_fmt is not None:
                        self._fmt, pending_fmt = pending_fmt, None
                        channel = self._open()
                        if channel is None:
                            return
                        limit = int(self.max_buffer * self._fmt.rate * self._fmt.frame_bytes)
                t = now()
                while ends and ends[0][0] <= t:
                    ends.popleft()
                if channel is not None:
                    playing = channel.get_sound() is not None
                    if not playing:
                        ends.clear()
                fmt = self._fmt
                # 3. a format change: let what is queued play out, then reopen the mixer
                if pending_fmt is not None and not playing and not self._buffered:
                    _Mixer.release()
                    channel = None
                    self._fmt, pending_fmt = pending_fmt, None
                    channel = self._open()
                    if channel is None:
                        return
                    started = False
                    continue
                # 4. underruns: the channel went quiet while more audio was expected
                if fmt is not None and started and not playing and not self._buffered and finishing is None:
                    if dry_since is None:
                        dry_since = t
                        started = False
                if fmt is not None and not started:
                    need = int(self.prebuffer * fmt.rate) * fmt.frame_bytes
                    if self._buffered >= need or (self._buffered and (finishing is not None or pending_fmt)):
                        started = True
                        if dry_since is not None:
                            gap = t - dry_since
                            dry_since = None
                            self.underruns += 1
                            self.underrun_seconds += gap
                            self.send(Underrun(gap, self.underruns), "outbox")
                # 5. keep one sound playing and one queued. Only Channel.queue() is used: it
                #    plays at once on an idle channel, and unlike play() it cannot race with
                #    the mixer thread swapping in the queued sound (get_busy() reads SDL's
                #    state, which is briefly idle during that swap; get_sound()/get_queue()
                #    read pygame's own, which changes under the GIL).
                if started and channel is not None:
                    chunk_frames = max(int(self.chunk * fmt.rate), 4 * self.device_frames)
                    chunk_bytes = chunk_frames * fmt.frame_bytes
                    while self._buffered and channel.get_queue() is None:
                        data = self._take_chunk(chunk_bytes)
                        frames = len(data) // fmt.frame_bytes
                        snd = pygame.mixer.Sound(buffer=data)
                        dur = frames / float(fmt.rate)
                        idle = channel.get_sound() is None
                        channel.queue(snd)
                        if idle:
                            ends.clear()
                            ends.append((t + dur, frames))
                        else:
                            ends.append(((ends[-1][0] if ends else t) + dur, frames))
                        self.frames_played += frames
                # 6. finished?
                if finishing is not None and not self.dataReady("inbox") and not self._buffered and not ends:
                    if channel is None or channel.get_sound() is None:
                        if channel is not None:
                            # the last sound has left the mixer, not yet the device's buffers
                            yield from self._linger(3.0 * self.device_frames / fmt.rate + 0.02)
                        self.send(finishing, "signal")
                        return
                # 7. sleep until the queue slot may be free: the mixer takes the queued sound up
                #    to one device buffer before our clock says the current one ends
                wake = None
                if channel is not None and channel.get_sound() is not None:
                    latency = self.device_frames / float(fmt.rate)
                    if channel.get_queue() is not None:
                        wake = (ends[0][0] if ends else now()) - now() - latency
                        if wake < latency / 3.0:
                            wake = latency / 3.0
                    else:
                        wake = max(0.002, (ends[-1][0] if ends else now()) - now() + 0.003)
                self.pause(wake)
                yield 1
        finally:
            if channel is not None:
                channel.stop()
                _Mixer.release()


    def _open(self):
        """The mixer channel for the current format, or None once the error is sent on signal."""
        try:
            return _Mixer.acquire(self._fmt, self.device_frames)
        except AudioException as e:
            self.send(e.message(self), "signal")
            return None

    def _linger(self, seconds):
        end = now() + seconds
        while True:
            left = end - now()
            if left <= 0:
                return
            if self.dataReady("control"):
                return
            self.pause(left)
            yield 1


AOAudioPlaybackAdaptor = AudioPlayback


class WavWriter(component):
    """Write the PCM stream to a .wav file (a new format after the first one is an error)."""

    Inboxes = {"inbox": "AudioFormat, then PCM bytes (s16le interleaved)", "control": "shutdown messages"}
    Outboxes = {"outbox": "unused", "signal": "producerFinished / shutdownMicroprocess / AudioError"}

    def __init__(self, filename: str, **argd) -> None:
        super().__init__(**argd)
        self.filename = filename
        self.frames_written = 0

    def main(self):
        w = None
        fmt = None
        ending = None
        try:
            while True:
                while self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    if isinstance(msg, AudioFormat):
                        if fmt is None:
                            fmt = msg
                            try:
                                w = wave.open(self.filename, "wb")
                            except OSError as e:
                                self.send(AudioError("cannot write: %s" % e, self.filename, "device"), "signal")
                                return
                            w.setnchannels(fmt.channels)
                            w.setsampwidth(fmt.sample_width)
                            w.setframerate(fmt.rate)
                        elif msg != fmt:
                            self.send(AudioError("the format changed to %r mid-file" % msg, self.filename,
                                                 "format"), "signal")
                            return
                    elif isinstance(msg, (bytes, bytearray)) and w is not None:
                        w.writeframesraw(msg)
                        self.frames_written += len(msg) // fmt.frame_bytes
                ending = take_ending(self, ending)
                if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                    return
                if not self.dataReady("inbox"):
                    self.pause()
                yield 1
        finally:
            if w is not None:
                w.close()
