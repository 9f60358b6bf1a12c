"""Radio client: tune in, decode, play (and/or record to a .wav).

    python3 -m examples.radio.client                         # reliable multicast, play
    python3 -m examples.radio.client --transport udp --wav heard.wav --no-play --seconds 10
    python3 -m examples.radio.client --transport tcp --host 127.0.0.1 --port 5042

Losses the transport could not repair are heard as silence of the lost length (and reported on
stderr); the client never drifts out of step with the broadcast.
"""
import argparse
import os
import sys

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from examples.radio.common import (
    GROUP,
    INTERFACE,
    PORT,
    AudioLimit,
    Reporter,
    SinkWatch,
    Tee,
    make_receiver,
    srm_available,
)
from kamaelia_lite.audio.playback import AudioPlayback, WavWriter
from kamaelia_lite.audio.push_decoder_components import VorbisDecode
from microaxon import Scheduler, component, now, shutdownMicroprocess


class _Deadline(component):
    """Stops the source after ``seconds``, unless everything it watches has finished already."""

    Outboxes = {"outbox": "shutdown to the source", "signal": ""}

    def __init__(self, seconds, watch, **argd):
        super().__init__(**argd)
        self.seconds = seconds
        self.watch = watch

    def main(self):
        end = now() + self.seconds
        while now() < end:
            if all(c.finished() for c in self.watch):
                return
            self.pause(min(0.25, end - now()))
            yield 1
        self.send(shutdownMicroprocess(self), "outbox")
        while not all(c.finished() for c in self.watch):
            self.pause(0.25)
            yield 1


class _StopWhenDone(component):
    """Ends the run once the watched components have finished (works around timers that a
    finished component left behind keeping ``Scheduler.run()`` waiting: see core-requests)."""

    def __init__(self, scheduler, watch, **argd):
        super().__init__(**argd)
        self.scheduler = scheduler
        self.watch = watch

    def main(self):
        while not all(c.finished() for c in self.watch):
            self.pause(0.2)
            yield 1
        self.scheduler.stop()


def build(args):
    """All the client's components, wired: receiver -> decoder -> reporter -> limit -> sinks."""
    chain = make_receiver(args.transport, args.group, args.port, args.interface, args.host)
    decoder = VorbisDecode(expect_end=False, expect_start=False)
    reporter = Reporter(args.name)
    limit = AudioLimit(args.seconds)
    chain = chain + [decoder, reporter, limit]
    for a, b in zip(chain, chain[1:]):
        a.link((a, "outbox"), (b, "inbox"))
        a.link((a, "signal"), (b, "control"))
    limit.link((limit, "stop"), (chain[0], "control"))
    sinks = []
    if args.wav:
        sinks.append(WavWriter(args.wav))
    if not args.no_play:
        sinks.append(AudioPlayback())
    last = limit
    if len(sinks) == 2:
        tee = Tee()
        limit.link((limit, "outbox"), (tee, "inbox"))
        limit.link((limit, "signal"), (tee, "control"))
        tee.link((tee, "outbox"), (sinks[0], "inbox"))
        tee.link((tee, "signal"), (sinks[0], "control"))
        tee.link((tee, "copy"), (sinks[1], "inbox"))
        tee.link((tee, "copysignal"), (sinks[1], "control"))
        chain.append(tee)
    elif sinks:
        last.link((last, "outbox"), (sinks[0], "inbox"))
        last.link((last, "signal"), (sinks[0], "control"))
    # a sink that fails (no audio device, unwritable .wav) reaches stderr and the exit status
    watch = SinkWatch(sinks, args.name)
    watch.link((watch, "stop"), (chain[0], "control"))
    comps = chain + sinks + [watch]
    reporter.watch = watch
    if args.timeout:
        d = _Deadline(args.timeout, comps[:])
        d.link((d, "outbox"), (chain[0], "control"))
        comps.append(d)
    return comps, reporter


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--transport", choices=["srm", "udp", "tcp"], default="srm" if srm_available() else "udp")
    p.add_argument("--group", default=GROUP)
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--interface", default=INTERFACE, help="local IPv4 address to join the group on")
    p.add_argument("--host", default="127.0.0.1", help="tcp: the server's address")
    p.add_argument("--wav", help="also record what is heard to this .wav file")
    p.add_argument("--no-play", action="store_true", help="do not open the audio device")
    p.add_argument("--seconds", type=float, help="stop after this much audio")
    p.add_argument("--timeout", type=float, help="stop after this many seconds, heard or not")
    p.add_argument("--name", default="radio", help="label for messages on stderr")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    sched = Scheduler()
    comps, reporter = build(args)
    comps.append(_StopWhenDone(sched, comps[:]))
    for c in comps:
        c.activate(sched)
    try:
        sched.run()
    except KeyboardInterrupt:
        sched.stop()
    failed = reporter.watch.failed
    if failed:
        sys.stderr.write("%s: failed: %s\n" % (args.name, "; ".join(failed)))
        return 1
    sys.stderr.write("%s: done, %d gap(s), %.3f s of silence\n" % (args.name, reporter.gaps, reporter.gap_seconds))
    return 1 if sched.failures else 0


if __name__ == "__main__":
    sys.exit(main())
