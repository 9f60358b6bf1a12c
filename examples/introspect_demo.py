"""A small running system with an Introspector, to point microaxon-top at.

    python -m examples.introspect_demo --port 7878 --seconds 30 &
    microaxon-top --port 7878

A Metronome ticks every ``--period`` seconds into a Graphline (a doubler and a slow, bursty
consumer, so inbox fill levels move) while the Introspector serves snapshots on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from kamaelia_lite.chassis import Graphline, Pipeline
from kamaelia_lite.introspector import Introspector
from kamaelia_lite.util import PureTransformer
from microaxon import Scheduler, component, now, producerFinished, shutdown


class Metronome(component):
    """Sends 0, 1, 2, ... every ``period`` seconds until ``count`` (None: for ever) or shutdown."""

    period = 0.02
    count: Optional[int] = None

    def main(self):
        i = 0
        while self.count is None or i < self.count:
            if self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, shutdown):
                    self.send(msg, "signal")
                    return
            if self.hasSpace("outbox") > 0:
                self.send(i, "outbox")
                i += 1
            self.pause(self.period)
            yield 1
        self.send(producerFinished(self), "signal")


class BurstyConsumer(component):
    """Takes everything waiting every ``every`` seconds (so its inbox fills and empties)."""

    every = 0.3

    def __init__(self, **argd):
        super().__init__(**argd)
        self.total = 0

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.total += 1
                self.recv("inbox")
            if self.dataReady("control"):
                msg = self.recv("control")
                self.send(msg, "signal")
                return
            wake = now() + self.every
            while now() < wake and not self.dataReady("control"):
                self.pause(wake - now())        # messages pile up meanwhile
                yield 1


class Stopper(component):
    """Stops its scheduler after ``seconds``."""

    seconds = 10.0

    def main(self):
        self.pause(self.seconds)
        yield 1
        while self.dataReady("control"):
            self.recv("control")
        self._sched.stop()
        yield 1


def build(period: float = 0.02) -> component:
    """The demo system (without the Introspector)."""
    return Pipeline(
        Metronome(period=period),
        Graphline(
            double=PureTransformer(function=lambda x: 2 * x),
            sink=BurstyConsumer(),
            linkages={
                ("self", "inbox"): ("double", "inbox"),
                ("double", "outbox"): ("sink", "inbox"),
                ("self", "control"): ("double", "control"),
                ("double", "signal"): ("sink", "control"),
            },
        ),
    )


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--seconds", type=float, default=30.0, help="run this long, then stop (default 30)")
    p.add_argument("--period", type=float, default=0.02)
    args = p.parse_args(argv)
    sched = Scheduler()
    build(args.period).activate(sched)
    Introspector(port=args.port, interval=0.25).activate(sched)
    Stopper(seconds=args.seconds).activate(sched)
    print("introspector on 127.0.0.1:%d for %.0f s" % (args.port, args.seconds), flush=True)
    sched.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
