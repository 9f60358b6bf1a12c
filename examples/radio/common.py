"""Pieces the radio's server and client share: defaults, transports, and small helper components.

Transports (``--transport``):

- ``srm``: reliable multicast (kamaelia_lite.net.srm: erasure-coded parity repairs losses);
- ``udp``: plain UDP multicast (no repair: losses are heard as reported silence);
- ``tcp``: one TCP connection per listener (the server fans the live stream out).
"""
import sys

from kamaelia_lite.audio.messages import AudioError, StreamGap, StreamRestart, Underrun
from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished, shutdownMicroprocess

GROUP = "239.255.42.99"
PORT = 5042
INTERFACE = "127.0.0.1"
MAX_DATAGRAM = 1200


def srm_available():
    try:
        import kamaelia_lite.net.srm_components  # noqa: F401
    except ImportError:
        return False
    return True


def make_sender(transport, group, port, interface, host="127.0.0.1"):
    """Components (a list, in pipeline order) that put the paced Ogg datagrams on the wire."""
    if transport == "tcp":
        raise ValueError("tcp is served by the Backplane fan-out in server.py")
    from kamaelia_lite.net.multicast import MulticastSender

    wire = MulticastSender(group, port, interface)
    if transport == "udp":
        return [wire]
    from kamaelia_lite.net.srm_components import SRMSender

    return [SRMSender(), wire]


def make_receiver(transport, group, port, interface, host="127.0.0.1"):
    """Components (pipeline order) whose last outbox gives the Ogg bytes as they arrive."""
    if transport == "tcp":
        from kamaelia_lite.net.tcp import TCPClient

        return [TCPClient(host, port)]
    from kamaelia_lite.net.multicast import MulticastReceiver

    wire = MulticastReceiver(group, port, interface)
    if transport == "udp":
        return [wire]
    from kamaelia_lite.net.srm_components import SRMReceiver

    return [wire, SRMReceiver()]


class AudioLimit(component):
    """Passes the decoder's output on; after ``seconds`` of audio (if given) it ends the show:
    producerFinished downstream (sinks drain and close), shutdownMicroprocess on ``stop``."""

    Outboxes = {"outbox": "audio", "signal": "shutdown downstream", "stop": "shutdown to the source"}

    def __init__(self, seconds=None, **argd):
        super().__init__(**argd)
        self.seconds = seconds
        self.frames = 0
        self.fmt = None

    def main(self):
        from kamaelia_lite.audio.messages import AudioFormat

        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                if isinstance(msg, AudioFormat):
                    self.fmt = msg
                elif isinstance(msg, bytes) and self.fmt is not None:
                    limit = None if self.seconds is None else int(self.seconds * self.fmt.rate)
                    n = len(msg) // self.fmt.frame_bytes
                    if limit is not None and self.frames + n >= limit:
                        msg = msg[:(limit - self.frames) * self.fmt.frame_bytes]
                        self.frames = limit
                        self.send(msg, "outbox")
                        self.send(producerFinished(self), "signal")
                        self.send(shutdownMicroprocess(self), "stop")
                        return
                    self.frames += n
                self.send(msg, "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


class Tee(component):
    """Every message to ``outbox`` and to ``copy`` (shutdowns to ``signal`` and ``copysignal``)."""

    Outboxes = {"outbox": "", "signal": "", "copy": "", "copysignal": ""}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                self.send(msg, "outbox")
                self.send(msg, "copy")
            if self.dataReady("control"):
                msg = self.recv("control")
                self.send(msg, "signal")
                self.send(msg, "copysignal")
                return
            self.pause()
            yield 1


class Reporter(component):
    """Prints what a listener should know (gaps, restarts, underruns, errors) to stderr; passes
    everything on unchanged."""

    def __init__(self, name="radio", out=None, **argd):
        super().__init__(**argd)
        self.label = name
        self.out = out or sys.stderr
        self.gap_seconds = 0.0
        self.gaps = 0
        self.error = None           # the AudioError that ended the stream, if one did

    def main(self):
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                if isinstance(msg, StreamGap):
                    self.gaps += 1
                    self.gap_seconds += msg.seconds
                    self.out.write("%s: lost audio, %.3f s of silence (%d frames; %d page(s) missing)\n"
                                   % (self.label, msg.seconds, msg.silence_frames, msg.pages_lost))
                elif isinstance(msg, StreamRestart):
                    self.out.write("%s: the broadcast started a new stream (%s; serial %d): decoding it from "
                                   "its headers\n" % (self.label, msg.reason, msg.serial))
                elif isinstance(msg, Underrun):
                    self.out.write("%s: %r\n" % (self.label, msg))
                self.send(msg, "outbox")
            if self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, AudioError):
                    self.error = msg
                    self.out.write("%s: error: %s\n" % (self.label, msg))
                self.send(msg, "signal")
                return
            self.pause()
            yield 1


class SinkWatch(component):
    """Takes the ``signal`` of every sink (player, recorder) on its control inbox. An AudioError
    (no audio device, a file that cannot be written) is written on stderr, stops the source
    (``stop`` outbox) and sets ``failed``; finishes once every sink has ended."""

    Outboxes = {"outbox": "", "signal": "", "stop": "shutdown to the source"}

    def __init__(self, sinks, name="radio", out=None, **argd):
        super().__init__(**argd)
        self.pending = len(sinks)
        self.label = name
        self.out = out or sys.stderr
        self.failed = []
        for s in sinks:
            s.link((s, "signal"), (self, "control"))

    def main(self):
        while self.pending > 0:
            while self.dataReady("control"):
                msg = self.recv("control")
                self.pending -= 1
                if isinstance(msg, AudioError):
                    self.failed.append(str(msg))
                    self.out.write("%s: error: %s\n" % (self.label, msg))
                    self.out.flush()
                    self.send(shutdownMicroprocess(self), "stop")
            if self.pending > 0:
                self.pause()
                yield 1
