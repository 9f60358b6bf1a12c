"""Platform self-check: which poller and input path this machine uses, and a loopback round trip.

    python -m kamaelia_lite.desktop.selfcheck                 # on Linux, macOS or Windows
    MICROAXON_POLLER=select python -m kamaelia_lite.desktop.selfcheck

Prints the platform choices, then runs a small networked system in one scheduler: a TCP echo
server on 127.0.0.1, a client sending a few lines through it, a timer-paced sender and a
Collector. The printed transcript (everything after the first two lines) is the same on every
platform and with every poller; tests/ports compare it across forced pollers.
"""
from __future__ import annotations

import os
import sys
from typing import List, Optional

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPClient, TCPServer
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, producerFinished

from .inputs import use_threads

LINES = [b"first line\n", b"second line\n", b"a third, longer line with more words in it\n"]


class PacedLines(component):
    """Sends each of ``lines`` ``gap`` seconds apart (timer waits), then producerFinished."""

    lines: List[bytes] = []
    gap = 0.02

    def main(self):
        for line in self.lines:
            self.pause(self.gap)
            yield 1
            if passed_shutdown_on(self):
                return
            self.send(line, "outbox")
        self.send(producerFinished(self), "signal")


class RoundTrip(component):
    """Runs the client pipeline as its child; when it has finished, shuts the server down."""

    Outboxes = {"outbox": "unused", "signal": "producerFinished at the end", "server": "to the server's control"}

    def __init__(self, port: int, **argd) -> None:
        super().__init__(**argd)
        self.collector = Collector()
        self.client = Pipeline(PacedLines(lines=LINES), TCPClient("127.0.0.1", port, connect_timeout=5.0), self.collector)
        self.addChildren(self.client)

    def main(self):
        self.client.activate(self._sched)
        while not self.childrenDone():
            self.pause()
            yield 1
        self.send(producerFinished(self), "server")
        self.send(producerFinished(self), "signal")


def poller_name(sched: Scheduler) -> str:
    """The poller class the scheduler ended up using ("epoll", "poll" or "select")."""
    p = getattr(sched, "_poller", None)
    if p is None:
        return "none"
    return type(p).__name__.strip("_").replace("Poller", "").lower()


def run() -> List[str]:
    """Run the round trip; the transcript lines (without the platform lines)."""
    sched = Scheduler()
    server = TCPServer(EchoProtocol, port=0)
    trip = RoundTrip(server.port)
    trip.link((trip, "server"), (server, "control"))
    server.activate(sched)
    trip.activate(sched)
    sched.run()
    echoed = b"".join(trip.collector.collected)
    out = ["sent %d lines, %d bytes" % (len(LINES), sum(len(x) for x in LINES)),
           "echoed %d bytes, identical: %s" % (len(echoed), echoed == b"".join(LINES))]
    for line in echoed.splitlines():
        out.append("  " + line.decode())
    out.append("failures: %d, deadlock: %s" % (len(sched.failures), bool(sched.deadlocked)))
    run.last_poller = poller_name(sched)          # type: ignore[attr-defined]
    return out


def main(argv: Optional[List[str]] = None) -> int:
    transcript = run()
    print("platform: %s, python %s" % (sys.platform, sys.version.split()[0]))
    print("poller: %s (MICROAXON_POLLER=%s), console/serial input: %s" % (
        run.last_poller, os.environ.get("MICROAXON_POLLER", ""),   # type: ignore[attr-defined]
        "thread" if use_threads() else "fd wait"))
    for line in transcript:
        print(line)
    return 0 if "identical: True" in transcript[1] else 1


if __name__ == "__main__":
    sys.exit(main())
