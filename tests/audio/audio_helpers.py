"""Helpers for the audio tests (not a test module): Ogg files made with oggenc, pyogg's reference
decode, and components that feed and record a decoder."""
import os
import subprocess

from microaxon import component, producerFinished, shutdown


def _run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


def make_ogg(directory, name, seconds=2.0, rate=44100, channels=2, quality=3, extra_oggenc=()):
    """Synthesise a test signal with sox and encode it with oggenc; returns the .ogg path."""
    wav = os.path.join(directory, name + ".wav")
    ogg = os.path.join(directory, name + ".ogg")
    s = str(seconds)
    if channels == 2:
        synth = ["synth", s, "pinknoise", "pinknoise", "synth", s, "sine", "mix", "440", "sine", "mix", "660"]
    else:
        synth = ["synth", s, "pinknoise", "synth", s, "sine", "mix", "523"]
    # tones over pink noise (~128 kbit/s at -q 3), so every block carries real content
    _run(["sox", "-R", "-n", "-r", str(rate), "-c", str(channels), "-b", "16", wav] + synth
         + ["tremolo", "5", "40", "gain", "-8"])
    _run(["oggenc", "-Q", "-q", str(quality), "-s", str(1000 + sum(name.encode()))] + list(extra_oggenc) + ["-o", ogg, wav])
    return ogg


def pyogg_decode(path):
    """The reference: pyogg's own whole-file decode (libvorbisfile ov_read, s16le)."""
    import pyogg

    vf = pyogg.VorbisFile(path)
    return vf.buffer, vf.frequency, vf.channels


class Feeder(component):
    """Sends each item of ``items`` on outbox (waiting for room), then ``final`` on signal."""

    def __init__(self, items, final=None, **argd):
        super().__init__(**argd)
        self.items = list(items)
        self.final = final if final is not None else producerFinished()

    def main(self):
        for item in self.items:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(item, "outbox")
            yield 1
        self.send(self.final, "signal")


class Recorder(component):
    """Keeps every message that reaches inbox (``got``) and control (``control_got``)."""

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []
        self.control_got = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if self.dataReady("control"):
                msg = self.recv("control")
                self.control_got.append(msg)
                if isinstance(msg, shutdown):
                    while self.dataReady("inbox"):
                        self.got.append(self.recv("inbox"))
                    return
            self.pause()
            yield 1

    @property
    def pcm(self):
        return b"".join(m for m in self.got if isinstance(m, bytes))

    def of_type(self, cls):
        return [m for m in self.got if isinstance(m, cls)]


def chain(*comps):
    """Link outbox->inbox and signal->control along ``comps``; returns them."""
    for a, b in zip(comps, comps[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    return comps


def run_all(scheduler, *comps):
    for c in comps:
        c.activate(scheduler)
    scheduler.run()
