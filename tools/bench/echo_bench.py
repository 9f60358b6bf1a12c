"""Echo server benchmark: requests/s and p99 latency with 1, 100 and 1,000 concurrent connections.

Servers, each in its own process, measured in the same run with the same load generators:
  - microaxon: kamaelia_lite TCPServer + EchoProtocol (examples/echo_server.py)
  - asyncio:   the anchor's asyncio streams server (echo_asyncio.py)
  - kamaelia:  Kamaelia 1.14.32 SimpleServer + EchoProtocol (if it imports; reported if not)
  - asyncio-backlog1024 / microaxon-backlog100: the same two servers with the other's listen
    backlog. asyncio.start_server listens with a backlog of 100, examples.echo_server with 1024.
    With 1,000 clients connecting at once the backlog decides how many are admitted together
    (the rest retry their SYN a second later, unmeasured), which moves p99 more than anything
    either server does; these pairs compare like with like.
Load generators (--loadgen, a comma list; each gets its own table):
  - native: tools/bench/native/echo_load.c, built on first use. The same workload as the anchor's
    (C clients x M 64-byte lines, every echo checked) at a few microseconds per request, so the
    server, not the client, sets the pace. The default, with anchor.
  - anchor: the anchor's asyncio client (tools/bench/anchors/echo_load.py). On a 2-core machine
    it is as slow as the servers it drives, so it caps all of them near the same figure.
  - ours:   microaxon.tools.loadgen (built on microaxon).
Method (the same for every server; the machine is shared, 2 cores, and noisy):
  - With two or more CPUs the servers are pinned to one CPU and the load generator and this
    harness to another (--no-pin to let the kernel place them), so a server never competes with
    its own load for a core.
  - All servers run at once, idle but for the one being measured. At each connection count each
    gets one short unmeasured warm-up run, then --repeats repeats; a repeat runs every server
    once, back to back, rotating the order (A B, B A, A B, ...).
  - A ratio is taken per repeat, between runs seconds apart, and reported as the median of the
    per-repeat ratios with their range (min-max): the range says how far to trust it. Beside it,
    the ratio of each server's best run (highest req/s, lowest CPU per request): other work only
    ever slows a run down, so the best runs are the least disturbed.
  - Beside req/s each server's CPU per request is printed: on-CPU time from
    /proc/PID/schedstat (nanoseconds), split into user and system time (/proc/PID/stat). With
    the server saturated req/s is about 1 / CPU per request, and CPU time moves less with the
    machine's other work than wall time does.
  - Where `perf stat` works, user-space instructions per request too; --valgrind CONNS counts
    them exactly (seconds move with whatever else the machine runs, instruction counts do not).

    python -m tools.bench.echo_bench [--repeats 3] [--levels 1,100,1000] [--loadgen native,anchor]
                                     [--valgrind 100]   # exact user-space instructions per request
"""
import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import time

from tools.bench import native_load
from tools.bench.common import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANCHORS = os.environ.get("MICROAXON_ANCHORS", os.path.join(ROOT, "tools", "bench", "anchors"))
NOFILE = 4096

RAISE = ("import resource,sys,runpy; s,h=resource.getrlimit(resource.RLIMIT_NOFILE); "
         "resource.setrlimit(resource.RLIMIT_NOFILE,(min(%d,h),h)); " % NOFILE)

KAMAELIA_SERVER = RAISE + (
    "from Kamaelia.Chassis.ConnectedServer import SimpleServer;"
    "from Kamaelia.Protocol.EchoProtocol import EchoProtocol;"
    "SimpleServer(protocol=EchoProtocol, port=int(sys.argv[1])).run()")


def server_cmd(name, port):
    if name == "microaxon":
        return [sys.executable, "-m", "examples.echo_server", "--port", str(port)]
    if name == "microaxon-backlog100":          # the anchor's listen backlog (asyncio's default)
        return [sys.executable, "-m", "examples.echo_server", "--port", str(port), "--backlog", "100"]
    if name in ("asyncio", "asyncio-backlog1024"):
        patch = ""
        if name == "asyncio-backlog1024":       # the anchor unchanged but for our listen backlog
            patch = "import asyncio, functools; asyncio.start_server = functools.partial(asyncio.start_server, backlog=1024); "
        return [sys.executable, "-c", RAISE + patch + "sys.argv=['x', sys.argv[1]]; runpy.run_path(%r, run_name='__main__')"
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


def load(port, clients, requests, which, timeout, cpu=None):
    """Returns ((req/s, p99_ms), "") or (None, why)."""
    if which == "native":
        return native_load.run(port, clients, requests, timeout=timeout, cpu=cpu)
    if which == "anchor":
        cmd = [sys.executable, "-c", RAISE + "sys.argv=['x']+sys.argv[1:]; runpy.run_path(%r, run_name='__main__')"
               % os.path.join(ANCHORS, "echo_load.py"), str(port), str(clients), str(requests)]
    else:
        cmd = [sys.executable, "-m", "microaxon.tools.loadgen", "127.0.0.1", str(port), "-c", str(clients),
               "-n", str(requests), "-q"]
    try:
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                             preexec_fn=native_load.pinned(cpu))
    except subprocess.TimeoutExpired:
        return None, "took over %g s" % timeout
    if out.returncode != 0:
        return None, (out.stderr.strip().splitlines() or ["exit status %d" % out.returncode])[-1]
    line = out.stdout.strip().splitlines()[-1]
    if which == "anchor":
        rps, p99 = line.split()
        return (float(rps), float(p99)), ""
    fields = dict(kv.split("=", 1) for kv in line.split())
    return (float(fields["req/s"]), float(fields["p99_ms"])), ""


def perf_works():
    """True if `perf stat` can count user-space instructions here (linux-perf installed, and the
    kernel and the VM allow it)."""
    try:
        out = subprocess.run(["perf", "stat", "-x,", "-e", "instructions:u", "true"], capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(line.split(",")[0].strip().isdigit() for line in out.stderr.splitlines())


class InstructionCounter:
    """Counts the user-space instructions a process executes while a load runs (`perf stat -p`).
    Unlike seconds, instruction counts hardly move with what else the machine is doing."""

    def __init__(self, pid):
        self.proc = subprocess.Popen(["perf", "stat", "-x,", "-e", "instructions:u", "-p", str(pid)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.15)                     # let perf attach before the load starts

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None
        for line in err.splitlines():
            f = line.split(",")
            if len(f) > 2 and f[0].strip().isdigit() and f[2].startswith("instructions"):
                return int(f[0])
        return None


def valgrind_instructions(name, conns, requests, cpus, warm=True):
    """User-space instructions one server executes for ``conns`` x ``requests`` echoes of the
    native load, counted exactly by valgrind (cachegrind, no cache simulation): the whole run, from
    start to exit, so take the difference of two such runs. None if valgrind is missing or fails.
    ``warm``: one connection first, as the bench's 1-connection level does."""
    import re
    port = free_port()
    try:
        proc = subprocess.Popen(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
                                + server_cmd(name, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, preexec_fn=native_load.pinned(cpus[0]))
    except OSError:
        return None
    try:
        if not wait_listening(port, proc, timeout=120):
            return None
        if warm:
            native_load.run(port, 1, 5, timeout=600, cpu=cpus[1])
        r, _ = native_load.run(port, conns, requests, timeout=600, cpu=cpus[1])
        err = None
        for sig in (signal.SIGINT, signal.SIGTERM):   # (valgrind reports on either; a server
            proc.send_signal(sig)                     # under valgrind has been seen to sit
            try:                                      # out a SIGINT)
                err = proc.communicate(timeout=60)[1]
                break
            except subprocess.TimeoutExpired:
                continue
    finally:
        if proc.poll() is None:
            proc.kill()
    m = re.search(r"I\s+refs:\s+([\d,]+)", err or "")
    return int(m.group(1).replace(",", "")) if r and m else None


def print_valgrind(servers, conns, cpus, short=20, long=220):
    """User-space instructions per request under valgrind: (run of ``long`` requests per connection
    - run of ``short``) / requests between them. Exact and unmoved by other work on the machine
    (seconds on a shared machine move by 2x; perf's counters are missing in many VMs)."""
    print("user-space instructions per request, valgrind, native load, %d connections (%d - %d "
          "requests each):" % (conns, long, short))
    per = {}
    for name in servers:
        a = valgrind_instructions(name, conns, short, cpus)
        b = valgrind_instructions(name, conns, long, cpus) if a is not None else None
        if a is None or b is None:
            print("  %-20s n/a (valgrind missing or the run failed)" % name)
            continue
        per[name] = (b - a) / (conns * (long - short))
        print("  %-20s %8.0f" % (name, per[name]), flush=True)
    for mine, other in PAIRS:
        if mine in per and other in per:
            print("  %-20s vs %-19s instructions/req x%.3f" % (mine, other, per[mine] / per[other]))


def median(xs):
    """The median of a non-empty list (the mean of the middle two for an even count)."""
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def cpu_used(pid):
    """(on-CPU seconds, user seconds, system seconds) a process has used so far (Linux /proc).
    On-CPU time comes from /proc/PID/schedstat, in nanoseconds; utime and stime from
    /proc/PID/stat are in clock ticks (10 ms), too coarse alone for a run of a fraction of a
    second, so they only say how the on-CPU time splits."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    user, system = int(fields[11]) / tick, int(fields[12]) / tick
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            oncpu = int(f.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        oncpu = user + system
    return oncpu, user, system


def start_servers(servers, server_cpu, notes):
    procs = {}
    for name in servers:
        port = free_port()
        proc = subprocess.Popen(server_cmd(name, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, preexec_fn=native_load.pinned(server_cpu))
        if not wait_listening(port, proc):
            err = proc.stderr.read() if proc.poll() is not None else "did not start listening"
            notes.append("%s: server did not start: %s" % (name, (err.strip().splitlines() or [err])[-1]))
            proc.kill()
            continue
        procs[name] = (proc, port)
    return procs


def run_order(names, rep):
    """The order the servers run in during repeat ``rep``: rotated by one each repeat, so with two
    servers the runs go A B, B A, A B, ... (each server goes first as often as the other, and a
    drift in the machine's speed falls on both alike)."""
    k = rep % len(names) if names else 0
    return names[k:] + names[:k]


class Run:
    """One load run against one server: req/s and p99 as the load generator measured them, and
    the server's CPU per request (on-CPU, user and system microseconds) and, where perf works,
    user-space kilo-instructions per request."""

    def __init__(self, rps, p99, cpu_us, user_us, sys_us, kinstr=None):
        self.rps, self.p99, self.cpu_us, self.user_us, self.sys_us, self.kinstr = \
            rps, p99, cpu_us, user_us, sys_us, kinstr


def paired_ratios(ours, theirs, field):
    """Per-repeat ratios ours/theirs of one field of Run, for the repeats both servers completed
    (``ours`` and ``theirs`` map repeat -> Run). The two runs of a repeat follow each other, so
    their ratio is what the machine's noise moves least."""
    out = []
    for rep in sorted(ours):
        if rep in theirs:
            a, b = getattr(ours[rep], field), getattr(theirs[rep], field)
            if a is not None and b:
                out.append(a / b)
    return out


def spread(ratios):
    """"x1.03 (0.97-1.10, 5 repeats)": the median of per-repeat ratios and their range."""
    if not ratios:
        return "n/a"
    return "x%.2f (%.2f-%.2f, %d)" % (median(ratios), min(ratios), max(ratios), len(ratios))


def best_ratio(ours, theirs, field, higher_is_better=True):
    """Ours / theirs of each server's best run (highest req/s, or lowest CPU per request) over
    the repeats: other work on the machine only ever slows a run, so the best run of each is the
    least disturbed one. None if either has no run."""
    a = [getattr(r, field) for r in ours.values() if getattr(r, field) is not None]
    b = [getattr(r, field) for r in theirs.values() if getattr(r, field) is not None]
    if not a or not b:
        return None
    pick = max if higher_is_better else min
    return pick(a) / pick(b) if pick(b) else None


def measure(procs, servers, levels, loadgen, repeats, total, load_cpu, notes, count_instructions=False):
    """{(server, level): {repeat: Run}}; a server that failed at a level has no entry for it.

    Fair to every server: before the measured repeats of a level each server gets one short
    unmeasured run (the interpreter specialises its hot code and the allocator grows on the
    first load, whichever server that falls on), then each repeat runs every server once, in
    the order run_order gives."""
    runs = {}
    failed = set()
    for c in levels:
        m = max(5, total // c)
        names = [n for n in servers if n in procs]
        for name in names:                   # warm-up, not measured
            load(procs[name][1], c, max(5, m // 4), loadgen, timeout=60, cpu=load_cpu)
        for rep in range(repeats):
            for name in run_order(names, rep):
                if (name, c) in failed:
                    continue
                proc, port = procs[name]
                counter = InstructionCounter(proc.pid) if count_instructions else None
                cpu0 = cpu_used(proc.pid)
                r, why = load(port, c, m, loadgen, timeout=60, cpu=load_cpu)
                cpu1 = cpu_used(proc.pid)
                ins = counter.stop() if counter is not None else None
                if r is None:
                    failed.add((name, c))
                    runs.pop((name, c), None)
                    notes.append("%s load, %s at %d connections failed: %s" % (loadgen, name, c, why))
                    continue
                n = c * m
                runs.setdefault((name, c), {})[rep] = Run(
                    r[0], r[1], (cpu1[0] - cpu0[0]) * 1e6 / n, (cpu1[1] - cpu0[1]) * 1e6 / n,
                    (cpu1[2] - cpu0[2]) * 1e6 / n, ins / 1e3 / n if ins else None)
        for name in servers:
            rs = runs.get((name, c))
            if not rs:
                continue
            rs = [rs[k] for k in sorted(rs)]
            ins = [r.kinstr for r in rs if r.kinstr is not None]
            print("%-7s %-20s conns=%-5d req/s=%8.0f p99_ms=%8.2f cpu_us/req=%6.1f (user %4.1f sys %4.1f)%s"
                  "  (runs: %s)" % (
                      loadgen, name, c, median([r.rps for r in rs]), median([r.p99 for r in rs]),
                      median([r.cpu_us for r in rs]), median([r.user_us for r in rs]),
                      median([r.sys_us for r in rs]),
                      "  user_kinstr/req=%6.1f" % median(ins) if ins else "",
                      ", ".join("%.0f/%.1f" % (r.rps, r.cpu_us) for r in rs)), flush=True)
    return runs


# (ours, theirs) pairs to compare: each peer against microaxon as shipped, and the like-for-like
# listen backlogs (at 1,000 connections the backlog decides how many clients are admitted at once)
PAIRS = [("microaxon", "asyncio"), ("microaxon", "kamaelia"), ("microaxon", "asyncio-backlog1024"),
         ("microaxon-backlog100", "asyncio")]


def print_ratios(runs, servers, levels, loadgen):
    print("ratios, %s load: ours / other per repeat (the two runs of a repeat are back to back), "
          "median (min-max, repeats), and the ratio of each server's best run; req/s: higher is "
          "better; p99 and server CPU per request: lower is better" % loadgen)
    for mine, other in PAIRS:
        if mine not in servers or other not in servers:
            continue
        for c in levels:
            ours, theirs = runs.get((mine, c)), runs.get((other, c))
            if ours and theirs:
                ins = paired_ratios(ours, theirs, "kinstr")
                best = (best_ratio(ours, theirs, "rps"), best_ratio(ours, theirs, "cpu_us", False))
                print("  %-20s vs %-19s conns=%-5d req/s %-24s cpu/req %-24s p99 %-24s best runs: req/s x%.2f "
                      "cpu/req x%.2f%s" % (
                          mine, other, c, spread(paired_ratios(ours, theirs, "rps")),
                          spread(paired_ratios(ours, theirs, "cpu_us")), spread(paired_ratios(ours, theirs, "p99")),
                          best[0] or 0, best[1] or 0, "   instructions/req %s" % spread(ins) if ins else ""))
            else:
                print("  %-20s vs %-19s conns=%-5d n/a (%s)" % (mine, other, c, "ours failed" if not ours
                                                                  else "theirs failed"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--levels", default="1,100,1000")
    ap.add_argument("--loadgen", default="native,anchor",
                    help="comma list of native, anchor, ours (default native,anchor)")
    ap.add_argument("--servers", default="microaxon,asyncio,kamaelia,asyncio-backlog1024,microaxon-backlog100",
                    help="comma list; the -backlog variants give both servers the same listen backlog")
    ap.add_argument("--total", type=int, default=20000, help="requests per load run (split over the clients)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin servers and load generator to CPUs")
    ap.add_argument("--no-instructions", action="store_true",
                    help="do not count the servers' instructions with perf (counted when perf works)")
    ap.add_argument("--valgrind", type=int, default=0, metavar="CONNS",
                    help="also count each server's user-space instructions per request exactly, under "
                         "valgrind, at CONNS connections (slow: about 10 s per server)")
    a = ap.parse_args()
    loadgens = a.loadgen.split(",")
    for lg in loadgens:
        if lg not in ("native", "anchor", "ours"):
            ap.error("unknown load generator %r" % lg)
    if "native" in loadgens:
        try:
            native_load.build()
        except native_load.BuildError as e:
            print("note: native load generator unavailable (%s); skipping it" % e)
            loadgens.remove("native")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(NOFILE, hard), hard))
    levels = [int(x) for x in a.levels.split(",")]
    servers = a.servers.split(",")
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    server_cpu = load_cpu = None
    if not a.no_pin and len(cpus) >= 2:
        server_cpu, load_cpu = cpus[0], cpus[1]
        os.sched_setaffinity(0, {load_cpu})    # this harness too keeps off the servers' CPU
        print("servers pinned to CPU %d, load generator (and this harness) to CPU %d" % (server_cpu, load_cpu))
    notes = []
    count = not a.no_instructions and perf_works()
    if not count and not a.no_instructions:
        notes.append("perf cannot count instructions here: no instructions/req column")
    procs = start_servers(servers, server_cpu, notes)
    tables = []
    try:
        for lg in loadgens:
            tables.append((lg, measure(procs, servers, levels, lg, a.repeats, a.total, load_cpu, notes,
                                       count_instructions=count)))
    finally:
        for proc, _ in procs.values():
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
    for lg, results in tables:
        print()
        print_ratios(results, servers, levels, lg)
    if a.valgrind:
        print()
        print_valgrind(servers, a.valgrind, (server_cpu, load_cpu))
    for n in notes:
        print("note:", n)


if __name__ == "__main__":
    main()
