"""An echo server: every connection gets back exactly what it sends.

    python -m examples.echo_server --port 1601            # loopback only
    python -m examples.echo_server --host 0.0.0.0         # reachable from the network

Try it with `nc 127.0.0.1 1601`, or load it: `python -m microaxon.tools.loadgen 127.0.0.1 1601 -c 100`.
"""
import argparse
import resource
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPServer


def main(argv=None):
    ap = argparse.ArgumentParser(description="TCP echo server")
    ap.add_argument("--port", type=int, default=1601)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--max-connections", type=int, default=10000)
    ap.add_argument("--idle-timeout", type=float, default=None, help="close silent connections after N s")
    ap.add_argument("--backlog", type=int, default=1024, help="connections the kernel may hold unaccepted")
    ap.add_argument("--accept-batch", type=int, default=256, help="connections set up per turn")
    a = ap.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)   # room for many connections
    want = min(a.max_connections + 64, hard) if hard != resource.RLIM_INFINITY else a.max_connections + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    server = start_or_exit(lambda: TCPServer(protocol=EchoProtocol, port=a.port, host=a.host,
                                             max_connections=a.max_connections, idle_timeout=a.idle_timeout,
                                             backlog=a.backlog, accept_batch=a.accept_batch), "echo server")
    print("echo server on %s port %d" % (a.host, server.port), flush=True)
    return run_checked(server, "echo server")


if __name__ == "__main__":
    sys.exit(main())
