"""Audio benchmark: Ogg Vorbis decode speed (multiple of real time) and a radio client's CPU share.

    python3 tools/bench/audio_bench.py [--seconds 30] [--repeats 5] [--play-seconds 8]

Test audio is made in the same run (sox: tones over pink noise, 44.1 kHz stereo; oggenc -q 4,
about 128 kbit/s). Each decoder decodes the whole file ``--repeats`` times, the decoders taking
turns (so a busy machine slows all alike); the median CPU time (process + children) is used.
Printed, one line each, as ``NAME  x_realtime  ratio_vs_pyogg  ratio_vs_oggdec``:

- ``pyogg.VorbisFile``      pyogg's own whole-file decode (the anchor)
- ``oggdec -R``             vorbis-tools' command-line decoder to /dev/null (the other anchor)
- ``ogg123 -d raw``         vorbis-tools' player to a raw file (/dev/null)
- ``VorbisFileDecoder``     our file decoder (libvorbisfile through pyogg's library, chunked)
- ``VorbisPushDecoder``     our streaming push decoder, fed 4 KiB chunks (numpy conversion)
- ``VorbisPushDecoder/py``  the same with the pure-Python PCM conversion (no numpy)
- ``VorbisDecode+scheduler`` the push decoder as a component in a microaxon scheduler

Then the CPU share (process CPU time / wall time, all threads incl. SDL's) of a radio client
playing a ~128 kbit/s stream for ``--play-seconds``: OggPagePacer (real time) -> VorbisDecode ->
AudioPlayback (SDL disk driver writing to /dev/null at real-time pace). The target is a decode
speed over 100x real time for 44.1 kHz stereo.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

os.environ.setdefault("SDL_AUDIODRIVER", "disk")
os.environ.setdefault("SDL_DISKAUDIOFILE", os.devnull)
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def make_ogg(directory, seconds):
    wav = os.path.join(directory, "bench.wav")
    ogg = os.path.join(directory, "bench.ogg")
    s = str(seconds)
    subprocess.run(["sox", "-R", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", s, "pinknoise",
                    "pinknoise", "synth", s, "sine", "mix", "440", "sine", "mix", "660", "tremolo", "5", "40",
                    "gain", "-8"], check=True, capture_output=True)
    subprocess.run(["oggenc", "-Q", "-q", "4", "-o", ogg, wav], check=True, capture_output=True)
    return ogg


def cpu_seconds():
    """CPU time of this process (all threads) plus its finished children."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ru.ru_utime + ru.ru_stime


def measure(variants, repeats):
    """Run every variant once per round (interleaved, so machine noise hits all alike) after a
    warm-up; returns {name: (median CPU seconds, bytes decoded)}."""
    out = {}
    for name, fn in variants:
        out[name] = ([], fn())  # warm-up: imports, caches, page cache
    for _ in range(repeats):
        for name, fn in variants:
            c = cpu_seconds()
            fn()
            out[name][0].append(cpu_seconds() - c)
    return dict((k, (statistics.median(v[0]), v[1])) for k, v in out.items())


def dec_pyogg(path):
    import pyogg

    return len(pyogg.VorbisFile(path).buffer)


def dec_file_reader(path):
    from kamaelia_lite.audio.vorbisfile import OggVorbisFileReader

    r = OggVorbisFileReader(path)
    n = 0
    try:
        while True:
            d = r.read(65536)
            if not d:
                return n
            n += len(d)
    finally:
        r.close()


def dec_push(path, use_numpy=None):
    from kamaelia_lite.audio.push_decoder import VorbisPushDecoder

    data = open(path, "rb").read()
    dec = VorbisPushDecoder(use_numpy=use_numpy)
    n = 0
    try:
        for i in range(0, len(data), 4096):
            for ev in dec.feed(data[i:i + 4096]):
                if isinstance(ev, bytes):
                    n += len(ev)
        dec.finish()
    finally:
        dec.close()
    return n


def dec_component(path):
    from kamaelia_lite.audio.push_decoder_components import VorbisDecode
    from microaxon import Scheduler, component, producerFinished, shutdown

    data = open(path, "rb").read()

    class Src(component):
        def main(self):
            for i in range(0, len(data), 4096):
                while self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    self.pause()
                    yield 1
                self.send(data[i:i + 4096], "outbox")
                yield 1
            self.send(producerFinished(), "signal")

    class Count(component):
        n = 0

        def main(self):
            while True:
                for m in self.Inbox("inbox"):
                    if isinstance(m, bytes):
                        self.n += len(m)
                if self.dataReady("control") and isinstance(self.recv("control"), shutdown):
                    return
                self.pause()
                yield 1

    s = Scheduler()
    a, b, c = Src(), VorbisDecode(), Count()
    a.link((a, "outbox"), (b, "inbox"))
    a.link((a, "signal"), (b, "control"))
    b.link((b, "outbox"), (c, "inbox"))
    b.link((b, "signal"), (c, "control"))
    for x in (a, b, c):
        x.activate(s)
    s.run()
    return c.n


def dec_cmd(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return None


def client_cpu_share(path, seconds):
    """CPU time / wall time of a process playing the stream in real time."""
    from kamaelia_lite.audio.playback import AudioPlayback
    from kamaelia_lite.audio.push_decoder_components import VorbisDecode
    from kamaelia_lite.audio.ratecontrol import OggPagePacer
    from microaxon import Scheduler, component, shutdownMicroprocess

    class StopAfter(component):
        Outboxes = {"outbox": "", "signal": ""}

        def main(self):
            self.pause(seconds)
            yield 1
            self.send(shutdownMicroprocess(), "outbox")

    s = Scheduler()
    pacer = OggPagePacer(path, loop=True, lead=0.3)
    dec = VorbisDecode(expect_end=False)
    play = AudioPlayback()
    stop = StopAfter()
    pacer.link((pacer, "outbox"), (dec, "inbox"))
    pacer.link((pacer, "signal"), (dec, "control"))
    dec.link((dec, "outbox"), (play, "inbox"))
    dec.link((dec, "signal"), (play, "control"))
    stop.link((stop, "outbox"), (pacer, "control"))
    for c in (pacer, dec, play, stop):
        c.activate(s)
    import pygame  # noqa: F401  (imported before timing: its import is not playback work)

    c0 = time.process_time()
    w0 = time.perf_counter()
    s.run()
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0
    return cpu / wall, wall, pacer.bytes_sent * 8 / wall / 1000.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="length of the test audio")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--play-seconds", type=float, default=8.0)
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="audio_bench_")
    try:
        path = make_ogg(d, args.seconds)
        size = os.path.getsize(path)
        print("test audio: %.0f s, 44.1 kHz stereo, %.0f kbit/s (%d bytes)"
              % (args.seconds, size * 8 / args.seconds / 1000, size))
        variants = [
            ("pyogg.VorbisFile", lambda: dec_pyogg(path)),
            ("oggdec -R", lambda: dec_cmd(["oggdec", "-Q", "-R", "-o", os.devnull, path])),
            ("ogg123 -d raw", lambda: dec_cmd(["ogg123", "-q", "-d", "raw", "-f", os.devnull, path])),
            ("VorbisFileDecoder", lambda: dec_file_reader(path)),
            ("VorbisPushDecoder", lambda: dec_push(path)),
            ("VorbisDecode+scheduler", lambda: dec_component(path)),
        ]
        res = measure(variants, args.repeats)
        res.update(measure([("VorbisPushDecoder/py", lambda: dec_push(path, use_numpy=False))],
                           max(1, args.repeats // 3)))
        n_ref = res["pyogg.VorbisFile"][1]
        for name in res:
            n = res[name][1]
            if n is not None and n != n_ref:
                print("WARNING: %s decoded %d bytes, pyogg %d" % (name, n, n_ref))
        t_pyogg = res["pyogg.VorbisFile"][0]
        t_oggdec = res["oggdec -R"][0]
        print("%-24s %12s %16s %16s   (CPU time, median of %d)"
              % ("decoder", "x_realtime", "ratio_vs_pyogg", "ratio_vs_oggdec", args.repeats))
        for name in [v[0] for v in variants] + ["VorbisPushDecoder/py"]:
            t = res[name][0]
            print("%-24s %12.1f %16.2f %16.2f" % (name, args.seconds / t, t_pyogg / t, t_oggdec / t))
        share, wall, kbps = client_cpu_share(path, args.play_seconds)
        print("client playing a %.0f kbit/s stream for %.1f s: CPU share %.1f%% of one core"
              % (kbps, wall, share * 100))
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
