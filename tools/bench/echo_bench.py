"""Echo server benchmark: requests/s and p99 latency with 1, 100 and 1,000 concurrent connections.

Servers, each in its own process, measured in the same run with the same load generator (the
anchor's asyncio client, /work/shared/bench/anchors/echo_load.py: C clients x M 64-byte lines,
every echo checked):
  - microaxon: kamaelia_lite TCPServer + EchoProtocol (examples/echo_server.py)
  - asyncio:   the anchor's asyncio streams server (echo_asyncio.py)
  - kamaelia:  Kamaelia 1.14.32 SimpleServer + EchoProtocol (if it imports; reported if not)
Each cell is the median of --repeats runs; ratios are microaxon / other from the same run.

    python tools/bench/echo_bench.py [--repeats 3] [--levels 1,100,1000] [--loadgen anchor|ours]
"""
import argparse
import os
import resource
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANCHORS = os.environ.get("MICROAXON_ANCHORS", os.path.join(os.path.dirname(ROOT), "shared", "bench", "anchors"))
NOFILE = 4096

RAISE = ("import resource,sys,runpy; s,h=resource.getrlimit(resource.RLIMIT_NOFILE); "
         "resource.setrlimit(resource.RLIMIT_NOFILE,(min(%d,h),h)); " % NOFILE)

KAMAELIA_SERVER = RAISE + (
    "from Kamaelia.Chassis.ConnectedServer import SimpleServer;"
    "from Kamaelia.Protocol.EchoProtocol import EchoProtocol;"
    "SimpleServer(protocol=EchoProtocol, port=int(sys.argv[1])).run()")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def server_cmd(name, port):
    if name == "microaxon":
        return [sys.executable, "-m", "examples.echo_server", "--port", str(port)]
    if name == "asyncio":
        return [sys.executable, "-c", RAISE + "sys.argv=['x', sys.argv[1]]; runpy.run_path(%r, run_name='__main__')"
                % os.path.join(ANCHORS, "echo_asyncio.py"), str(port)]
    if name == "kamaelia":
        return [sys.executable, "-c", KAMAELIA_SERVER, str(port)]
    raise ValueError(name)


def wait_listening(port, proc, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def load(port, clients, requests, which, timeout):
    """Returns (req/s, p99_ms) or None on failure."""
    if which == "anchor":
        cmd = [sys.executable, "-c", RAISE + "sys.argv=['x']+sys.argv[1:]; runpy.run_path(%r, run_name='__main__')"
               % os.path.join(ANCHORS, "echo_load.py"), str(port), str(clients), str(requests)]
    else:
        cmd = [sys.executable, "-m", "tools.loadgen", "127.0.0.1", str(port), "-c", str(clients),
               "-n", str(requests), "-q"]
    try:
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        return None
    line = out.stdout.strip().splitlines()[-1]
    if which == "anchor":
        rps, p99 = line.split()
        return float(rps), float(p99)
    fields = dict(kv.split("=", 1) for kv in line.split())
    return float(fields["req/s"]), float(fields["p99_ms"])


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def cpu_seconds(pid):
    """utime + stime of a process (Linux /proc), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--levels", default="1,100,1000")
    ap.add_argument("--loadgen", choices=["anchor", "ours"], default="anchor")
    ap.add_argument("--servers", default="microaxon,asyncio,kamaelia")
    ap.add_argument("--total", type=int, default=20000, help="requests per load run (split over the clients)")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(NOFILE, hard), hard))
    levels = [int(x) for x in a.levels.split(",")]
    servers = a.servers.split(",")
    notes = []
    procs = {}
    try:
        for name in servers:
            port = free_port()
            proc = subprocess.Popen(server_cmd(name, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            if not wait_listening(port, proc):
                err = proc.stderr.read() if proc.poll() is not None else "did not start listening"
                notes.append("%s: server did not start: %s" % (name, (err.strip().splitlines() or [err])[-1]))
                proc.kill()
                continue
            procs[name] = (proc, port)
        runs = {}            # (name, level) -> [(req/s, p99, server cpu ms per 1000 requests)]
        failed = set()
        for c in levels:
            m = max(5, a.total // c)
            for rep in range(a.repeats):
                # interleave the servers (rotating the order) so machine noise hits all alike
                order = [n for n in servers if n in procs]
                order = order[rep % len(order):] + order[:rep % len(order)] if order else order
                for name in order:
                    if (name, c) in failed:
                        continue
                    proc, port = procs[name]
                    cpu0 = cpu_seconds(proc.pid)
                    r = load(port, c, m, a.loadgen, timeout=60)
                    cpu = cpu_seconds(proc.pid) - cpu0
                    if r is None:
                        failed.add((name, c))
                        notes.append("%s at %d connections: load failed or took over 60 s (wrong echo, "
                                     "refused, reset or timed out)" % (name, c))
                        continue
                    runs.setdefault((name, c), []).append((r[0], r[1], cpu * 1e6 / (c * m)))
        results = {}
        for name in servers:
            for c in levels:
                rs = runs.get((name, c))
                if not rs or (name, c) in failed:
                    results[(name, c)] = None
                    continue
                results[(name, c)] = (median([r[0] for r in rs]), median([r[1] for r in rs]),
                                      median([r[2] for r in rs]))
                print("%-10s conns=%-5d req/s=%8.0f p99_ms=%8.2f server_cpu_us/req=%7.1f  (runs: %s)" % (
                    name, c, results[(name, c)][0], results[(name, c)][1], results[(name, c)][2],
                    ", ".join("%.0f/%.1f" % r[:2] for r in rs)), flush=True)
    finally:
        for proc, _ in procs.values():
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
    print()
    print("ratios (microaxon / other, same run, interleaved; req/s: higher is better; p99 and server "
          "CPU per request: lower is better):")
    for other in servers:
        if other == "microaxon":
            continue
        for c in levels:
            ours, theirs = results.get(("microaxon", c)), results.get((other, c))
            if ours and theirs:
                print("  vs %-8s conns=%-5d req/s x%.2f   p99 x%.2f   cpu/req x%.2f" % (
                    other, c, ours[0] / theirs[0], ours[1] / theirs[1], ours[2] / theirs[2]))
            else:
                print("  vs %-8s conns=%-5d n/a (%s)" % (other, c, "ours failed" if not ours else "theirs failed"))
    for n in notes:
        print("note:", n)


if __name__ == "__main__":
    main()
