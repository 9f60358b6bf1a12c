"""A line chat server: what one client types, every other client sees.

    python -m examples.chat_server --port 1602
    nc 127.0.0.1 1602          # (in two terminals) first line = your nickname, then chat

Each connection runs a ChatProtocol that publishes its lines to a Backplane named "chat" and
subscribes to it. Lines longer than --max-line are refused with a message, not relayed.
"""
import argparse
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.chassis import Backplane
from kamaelia_lite.net.protocols import ChatProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import Scheduler


def build(port=1602, host="127.0.0.1", max_line=1024, room="chat", scheduler=None):
    """Make (and activate) the room and the server; returns the server (``.port`` is bound)."""
    sched = scheduler or Scheduler()
    Backplane(room).activate(sched)
    server = TCPServer(protocol=lambda: ChatProtocol(room=room, max_line=max_line), port=port, host=host)
    server.activate(sched)
    return server


def main(argv=None):
    ap = argparse.ArgumentParser(description="TCP line chat server")
    ap.add_argument("--port", type=int, default=1602)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--max-line", type=int, default=1024)
    a = ap.parse_args(argv)
    sched = Scheduler()
    server = start_or_exit(lambda: build(a.port, a.host, a.max_line, scheduler=sched), "chat server")
    print("chat server on %s port %d" % (a.host, server.port), flush=True)
    return run_checked(None, "chat server", sched)


if __name__ == "__main__":
    sys.exit(main())
