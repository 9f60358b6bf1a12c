"""A line chat server: what one client types, every other client sees.

    python -m examples.chat_server --port 1602
    nc 127.0.0.1 1602          # (in two terminals) first line = your nickname, then chat

Each connection runs a ChatProtocol that publishes its lines to a Backplane named "chat" and
subscribes to it. Lines longer than --max-line are refused with a message, not relayed. Each
client may say --rate lines a second (--burst at once): a flooding client is slowed, not heard
over everyone else; a client that reads too slowly is told how many lines it missed.
"""
import argparse
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.chassis import Backplane
from kamaelia_lite.net.protocols import ChatProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import Scheduler


def build(port=1602, host="127.0.0.1", max_line=1024, room="chat", scheduler=None, rate=20.0, burst=40,
          **server_opts):
    """Make (and activate) the room and the server; returns the server (``.port`` is bound).
    ``rate``/``burst``: lines a second each client may say (see ChatProtocol); other keyword
    arguments go to TCPServer (e.g. ``max_buffer``)."""
    sched = scheduler or Scheduler()
    Backplane(room).activate(sched)
    server = TCPServer(protocol=lambda: ChatProtocol(room=room, max_line=max_line, rate=rate, burst=burst),
                       port=port, host=host, **server_opts)
    server.activate(sched)
    return server


def main(argv=None):
    ap = argparse.ArgumentParser(description="TCP line chat server")
    ap.add_argument("--port", type=int, default=1602)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--max-line", type=int, default=1024)
    ap.add_argument("--rate", type=float, default=20.0, help="lines a second each client may say")
    ap.add_argument("--burst", type=int, default=40, help="lines a client may say at once")
    ap.add_argument("--max-buffer", type=int, default=1 << 20, help="bytes each connection may hold")
    a = ap.parse_args(argv)
    sched = Scheduler()
    server = start_or_exit(lambda: build(a.port, a.host, a.max_line, scheduler=sched, rate=a.rate,
                                         burst=a.burst, max_buffer=a.max_buffer), "chat server")
    print("chat server on %s port %d" % (a.host, server.port), flush=True)
    return run_checked(None, "chat server", sched)


if __name__ == "__main__":
    sys.exit(main())
