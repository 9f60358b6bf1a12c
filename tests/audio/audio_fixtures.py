"""Real Ogg Vorbis test audio made at test time with sox + oggenc, and the pyogg reference decode."""
import os
import subprocess


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
