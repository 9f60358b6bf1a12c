"""Introspector load benchmark: what 8 viewers sending request lines flat out cost the host.

One server process runs a microaxon echo server (TCPServer + EchoProtocol) and an Introspector
in the same scheduler. A probe client measures the echo round trip (64-byte lines, one at a
time) first with no viewers (the anchor), then while 8 local viewers hammer the Introspector
with request lines. Printed: median and p99 round trip of each, their ratio (hammered / idle),
and the snapshots the Introspector took per second under the hammering (from its own counter,
reported on exit).

    python -m tools.bench.introspector_bench [--seconds 3] [--viewers 8]
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SERVER = r"""
import sys
from kamaelia_lite.introspector import Introspector
from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import Scheduler
sched = Scheduler()
server = TCPServer(protocol=EchoProtocol, port=0).activate(sched)
intro = Introspector().activate(sched)
print(server.port, intro.address[1], flush=True)
import threading
def stop():
    sys.stdin.readline()
    sched.callFromThread(sched.stop)
threading.Thread(target=stop, daemon=True).start()
sched.threadStarted()
try:
    sched.run()
finally:
    print("snapshots", intro.snapshots_taken, flush=True)
"""


def probe(port, seconds):
    """Echo round trips (seconds) of one client sending 64-byte lines one at a time."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    line = b"x" * 63 + b"\n"
    out = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        s.sendall(line)
        got = b""
        while len(got) < len(line):
            got += s.recv(4096)
        out.append(time.perf_counter() - t)
        time.sleep(0.002)
    s.close()
    return sorted(out)


def viewer(port, stop):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.001)
    while not stop.is_set():
        try:
            s.send(b"snapshot\n")
            s.recv(1 << 20)
        except (socket.timeout, BlockingIOError):
            pass
        except OSError:
            break
    s.close()


def pct(xs, p):
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--viewers", type=int, default=8)
    a = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            cwd=ROOT, env=env, text=True)
    try:
        echo_port, intro_port = [int(x) for x in proc.stdout.readline().split()]
        idle = probe(echo_port, a.seconds)
        stop = threading.Event()
        threads = [threading.Thread(target=viewer, args=(intro_port, stop), daemon=True)
                   for _ in range(a.viewers)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        t0 = time.perf_counter()
        hammered = probe(echo_port, a.seconds)
        busy = time.perf_counter() - t0
        stop.set()
        for t in threads:
            t.join(5)
        proc.stdin.write("\n")
        proc.stdin.flush()
        tail = proc.communicate(timeout=30)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
    snaps = int(tail.split()[-1])
    ms = 1000.0
    print("echo round trip, no viewers (anchor): median %.3f ms  p99 %.3f ms"
          % (pct(idle, 50) * ms, pct(idle, 99) * ms))
    print("echo round trip, %d viewers hammering: median %.3f ms  p99 %.3f ms"
          % (a.viewers, pct(hammered, 50) * ms, pct(hammered, 99) * ms))
    print("ratio hammered/anchor: median %.2f  p99 %.2f" % (pct(hammered, 50) / pct(idle, 50),
                                                            pct(hammered, 99) / pct(idle, 99)))
    print("snapshots taken: %d in ~%.1f s of hammering (%.1f/s)" % (snaps, busy + 0.3, snaps / (busy + 0.3)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
