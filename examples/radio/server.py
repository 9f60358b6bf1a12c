"""Radio server: stream an .ogg file, live and looping, at its own bit-rate.

    python3 -m examples.radio.server music.ogg                   # reliable multicast
    python3 -m examples.radio.server music.ogg --transport udp   # plain multicast
    python3 -m examples.radio.server music.ogg --transport tcp --port 5042

The pages go out in real time (by their granule positions) with the Vorbis header pages repeated
every ``--header-interval`` seconds, so a listener can tune in at any moment.
"""
import argparse
import os
import sys

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from examples.radio.common import (
    GROUP,
    INTERFACE,
    MAX_DATAGRAM,
    PORT,
    Reporter,
    make_sender,
    srm_available,
)
from kamaelia_lite.audio.ratecontrol import OggPagePacer
from kamaelia_lite.chassis import Backplane, Pipeline, PublishTo, SubscribeTo
from microaxon import Scheduler


def build(args):
    """The server's components; ``build.reporter`` writes (and keeps) an error that ends the
    stream, such as a file that cannot be read."""
    pacer = OggPagePacer(args.file, loop=not args.once, header_interval=args.header_interval,
                         max_datagram=args.max_datagram, speed=args.speed, lead=args.lead)
    watch = build.reporter = Reporter("radio")
    pacer.link((pacer, "signal"), (watch, "control"))     # the pacer's end (or its error) goes through it
    if args.transport == "tcp":
        from kamaelia_lite.net.tcp import TCPServer

        server = TCPServer(protocol=lambda: SubscribeTo("radio", lossy=True), port=args.port, host=args.host)
        sys.stderr.write("radio: serving %s on tcp %s:%d\n" % (args.file, args.host, server.port))
        publish = PublishTo("radio")
        pacer.link((pacer, "outbox"), (publish, "inbox"))
        watch.link((watch, "signal"), (publish, "control"))
        return [Backplane("radio"), pacer, watch, publish, server]
    sys.stderr.write("radio: streaming %s to %s:%d via %s on %s\n"
                     % (args.file, args.group, args.port, args.transport, args.interface))
    senders = make_sender(args.transport, args.group, args.port, args.interface)
    pacer.link((pacer, "outbox"), (senders[0], "inbox"))
    watch.link((watch, "signal"), (senders[0], "control"))
    return [watch, Pipeline(*senders), pacer]


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", help="the .ogg (Vorbis) file to broadcast")
    p.add_argument("--transport", choices=["srm", "udp", "tcp"], default="srm" if srm_available() else "udp")
    p.add_argument("--group", default=GROUP)
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--interface", default=INTERFACE, help="local IPv4 address multicast goes out of")
    p.add_argument("--host", default="127.0.0.1", help="tcp: address to listen on")
    p.add_argument("--once", action="store_true", help="play the file once instead of looping")
    p.add_argument("--header-interval", type=float, default=2.0)
    p.add_argument("--max-datagram", type=int, default=MAX_DATAGRAM)
    p.add_argument("--lead", type=float, default=0.5, help="seconds sent ahead of real time")
    p.add_argument("--speed", type=float, default=1.0, help="1.0 = real time")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    sched = Scheduler()
    for c in build(args):
        c.activate(sched)
    try:
        sched.run()
    except KeyboardInterrupt:
        sched.stop()
    if build.reporter.error is not None:
        return 1
    return 1 if sched.failures else 0


if __name__ == "__main__":
    sys.exit(main())
