"""python -m microaxon.tools.loadgen HOST PORT --clients N --requests M --size B [--rate R] [--stream]

Prints a progress line on stderr every second and one summary line on stdout; exits 1 if any
request failed or any answer did not match.
"""
import argparse
import resource
import sys

from microaxon.tools.loadgen import run_load


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        target = want if hard == resource.RLIM_INFINITY else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m microaxon.tools.loadgen", description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--clients", "-c", type=int, default=10, help="concurrent connections")
    ap.add_argument("--requests", "-n", type=int, default=1000, help="requests per connection")
    ap.add_argument("--size", "-s", type=int, default=64, help="bytes per request (and per answer)")
    ap.add_argument("--rate", "-r", type=float, default=None, help="total requests per second (default: flat out)")
    ap.add_argument("--stream", action="store_true", help="keep --window requests in flight per connection")
    ap.add_argument("--window", type=int, default=16)
    ap.add_argument("--duration", "-d", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer")
    ap.add_argument("--quiet", "-q", action="store_true", help="no progress line")
    a = ap.parse_args(argv)
    if a.clients < 1 or a.requests < 1 or a.size < 1:
        ap.error("--clients, --requests and --size must be >= 1")
    raise_fd_limit(a.clients + 64)
    res = run_load(a.host, a.port, a.clients, a.requests, a.size, a.rate, a.stream, a.window,
                   a.duration, a.timeout, progress=not a.quiet)
    print(res.summary())
    return 1 if (res.errors or res.mismatches) else 0


if __name__ == "__main__":
    sys.exit(main())
