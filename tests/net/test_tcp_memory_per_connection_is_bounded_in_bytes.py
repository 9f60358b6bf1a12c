"""Each connection holds at most its byte budget: 50 clients that send and never read their
echoes keep the echo example's resident memory under 150 MB (the data waits in TCP buffers, the
senders slowed by flow control), and a well-behaved client is still served meanwhile."""
import os
import selectors
import socket
import subprocess
import sys
import time

from net_helpers import echo_once

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENTS = 50
CHUNK = b"x" * 65536


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise AssertionError("no VmRSS for %d" % pid)


def flood_until_flow_control_stops_us(port, quiet=1.5, limit=40.0):
    """Connect CLIENTS sockets that send as fast as they can and never read; return once no
    socket could send for ``quiet`` s (the server stopped reading them), with what they sent."""
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(CLIENTS):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_WRITE)
        socks.append(s)
    sent = 0
    last = time.monotonic()
    end = last + limit
    while time.monotonic() < end and time.monotonic() - last < quiet:
        for key, _ in sel.select(timeout=0.2):
            try:
                n = key.fileobj.send(CHUNK)
            except (BlockingIOError, InterruptedError):
                continue
            sent += n
            last = time.monotonic()
    sel.close()
    return socks, sent


def test_clients_that_never_read_cost_at_most_their_budget_and_others_are_served():
    proc = subprocess.Popen([sys.executable, "-m", "examples.echo_server", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    socks = []
    try:
        line = proc.stdout.readline()
        assert "echo server on" in line, line
        port = int(line.split()[-1])
        before = rss_mb(proc.pid)
        socks, sent = flood_until_flow_control_stops_us(port)
        rss = rss_mb(proc.pid)
        print("RSS %.1f MB before, %.1f MB with %d clients that never read (%.0f MB sent)"
              % (before, rss, CLIENTS, sent / 1e6))
        assert sent > CLIENTS * (1 << 20)        # each client sent more than its budget ...
        assert rss < 150, "%.1f MB resident" % rss   # ... and the server did not keep it
        assert echo_once(port) == b"anyone home?\n"
    finally:
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(5)
