"""Audience-phone fan-out benchmark: cue change -> 1,000 WebSocket clients.

Servers, each in its own process, measured in the same run with the same load generator:
  - microaxon: kamaelia_lite's AudienceServer (the bridge the operator and displays run with --web)
  - websockets: the anchor, `websockets`' asyncio server doing the same job
    (tools/bench/anchors/web_fanout_websockets.py)
Load generator: tools/bench/anchors/web_fanout_load.py, C clients on the `websockets` library's
asyncio client (independent of our code), each recording when every message arrives.

Per run: the server starts and publishes a first state; its RSS is read; the C clients connect
and each receives the current state; RSS is read again (RSS per phone = the difference / C);
then N cue changes are made, one every --interval s. Latency = arrival at a client
(time.monotonic) - the server's time.monotonic() just before it handed the change to its
fan-out ("first": the median over changes of the first client's latency) (both read CLOCK_MONOTONIC, shared by the processes). Every client must receive every
cue (missing ones are reported). The server's CPU time (user + system) over the cue changes,
per change, is printed too: on a shared machine latency moves with whatever else runs, CPU time
hardly does. With two or more CPUs the server is pinned to CPU 0 and the
load generator to CPU 1. Each figure is the median over --repeats runs, the servers
interleaved; ratios are websockets / microaxon (above 1.0x: microaxon is faster / smaller).

    python -m tools.bench.web_fanout_bench [--clients 1000] [--cues 30] [--repeats 3]
"""
import argparse
import json
import os
import subprocess
import sys
import time

from tools.bench.common import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANCHORS = os.path.join(HERE, "anchors")
NOFILE = 4096


def serve_ours(port):
    """The microaxon side: AudienceServer fed by stdin ``cue N`` lines (same message as the anchor)."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(NOFILE, hard), hard))
    sys.path.insert(0, ROOT)
    from kamaelia_lite.net.http import Limits
    from kamaelia_lite.surtitles.web_components import AudienceServer
    from microaxon import Scheduler, component, producerFinished

    class Cues(component):
        """stdin ``cue N`` -> an audience state on outbox; prints PUB N <monotonic>."""

        def main(self):
            fd = sys.stdin.fileno()
            buf = b""
            self.send(state(0), "outbox")
            sys.stdout.write("READY\n")
            sys.stdout.flush()
            while True:
                self.waitReadable(fd)
                self.pause()
                yield 1
                data = os.read(fd, 4096)
                if not data:
                    self.send(producerFinished(self), "signal")     # end of input: stop serving
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    parts = line.split()
                    if len(parts) == 2 and parts[0] == b"cue":
                        n = int(parts[1])
                        t = time.monotonic()
                        self.send(state(n), "outbox")
                        yield 1          # the fan-out runs; print after it (not before)
                        sys.stdout.write("PUB %d %.6f\n" % (n, t))
                        sys.stdout.flush()

    def state(n):
        return {"cue": str(n), "texts": {"ar": "السطر %d: أين السفينة؟" % n,
                                         "en": "Line %d: where is the ship?" % n,
                                         "ja": "第%d幕 船はどこ？" % n}, "blackout": False}

    sched = Scheduler()
    cues = Cues()
    # heartbeat: the bridge repeats the current state every 10 s so pages can tell a dead link;
    # the anchor does not, so it is off here (both send the same messages during the run)
    web = AudienceServer(port=port, languages=["en", "ja", "ar"], max_connections=NOFILE - 100,
                         heartbeat=3600.0,
                         limits=Limits(max_message_bytes=256, ping_interval=15, pong_timeout=15,
                                       send_timeout=20))
    cues.link((cues, "outbox"), (web, "inbox"))
    cues.link((cues, "signal"), (web, "control"))
    cues.activate(scheduler=sched)
    web.activate(scheduler=sched)
    sched.run()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pinned(cpu):
    if (os.cpu_count() or 1) < 2:
        return None

    def pin():
        os.sched_setaffinity(0, {cpu})
    return pin


def readline(proc, prefix, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("%s ended: %s" % (proc.args, proc.stderr.read()[-2000:] if proc.stderr else ""))
        if line.startswith(prefix):
            return line
    raise RuntimeError("no %r from %s" % (prefix, proc.args))


def server_cmd(name, port):
    if name == "microaxon":
        return [sys.executable, "-m", "tools.bench.web_fanout_bench", "--serve", str(port)]
    return [sys.executable, os.path.join(ANCHORS, "web_fanout_websockets.py"), str(port)]


def one_run(name, clients, cues, interval):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=ROOT)
    srv = subprocess.Popen(server_cmd(name, port), cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=pinned(0))
    load = None
    try:
        readline(srv, "READY", 30)
        time.sleep(0.3)
        base = rss_kb(srv.pid)
        load = subprocess.Popen([sys.executable, os.path.join(ANCHORS, "web_fanout_load.py"), str(port),
                                 str(clients)], cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=pinned(1))
        readline(load, "CONNECTED", 120)
        time.sleep(0.5)
        held = rss_kb(srv.pid)
        cpu0 = cpu_seconds(srv.pid)
        pub = {}
        for k in range(1, cues + 1):
            srv.stdin.write("cue %d\n" % k)
            srv.stdin.flush()
            _, n, t = readline(srv, "PUB", 10).split()
            pub[n] = float(t)
            time.sleep(interval)
        time.sleep(0.5)
        cpu = cpu_seconds(srv.pid) - cpu0
        load.stdin.write("report\n")
        load.stdin.flush()
        arrivals = json.loads(readline(load, "{", 60))
    finally:
        for p in (load, srv):
            if p is not None:
                p.kill()
                p.wait()
    lat = []
    firsts = []
    missing = 0
    for n, t0 in pub.items():
        got = arrivals.get(n, [])
        missing += clients - len(got)
        lat.extend(t - t0 for t in got)
        if got:
            firsts.append(min(got) - t0)
    lat.sort()
    firsts.sort()
    return {"p50": lat[len(lat) // 2] * 1000, "p99": lat[int(len(lat) * 0.99)] * 1000,
            "max": lat[-1] * 1000, "first": firsts[len(firsts) // 2] * 1000, "kb_per_phone": (held - base) / clients, "missing": missing,
            "base_mb": base / 1024.0, "cpu_ms": cpu * 1000.0 / cues}


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--cues", type=int, default=30)
    p.add_argument("--interval", type=float, default=0.25)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve is not None:
        serve_ours(args.serve)
        return
    names = ["microaxon", "websockets"]
    runs = {n: [] for n in names}
    for r in range(args.repeats):
        for n in (names if r % 2 == 0 else names[::-1]):
            res = one_run(n, args.clients, args.cues, args.interval)
            runs[n].append(res)
            print("run %d %-10s first %5.1f ms  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  CPU/cue %5.1f ms  "
                  "RSS/phone %5.1f KB  (base %.1f MB)  missing %d" % (
                      r + 1, n, res["first"], res["p50"], res["p99"], res["max"], res["cpu_ms"],
                      res["kb_per_phone"], res["base_mb"], res["missing"]), flush=True)
    print()
    print("%d clients, %d cue changes, median of %d runs" % (args.clients, args.cues, args.repeats))
    print("%-10s %9s %9s %13s %14s %8s" % ("server", "p50 ms", "p99 ms", "CPU/cue ms", "RSS/phone KB",
                                             "missing"))
    med = {}
    for n in names:
        med[n] = {k: median([x[k] for x in runs[n]])
                  for k in ("p50", "p99", "cpu_ms", "kb_per_phone", "missing")}
        m = med[n]
        print("%-10s %9.1f %9.1f %13.1f %14.1f %8d" % (n, m["p50"], m["p99"], m["cpu_ms"], m["kb_per_phone"],
                                                       m["missing"]))
    a, o = med["websockets"], med["microaxon"]
    print("ratios websockets/microaxon: p50 %.2fx  p99 %.2fx  CPU per cue %.2fx  RSS per phone %.2fx" % (
        a["p50"] / o["p50"], a["p99"] / o["p99"], a["cpu_ms"] / o["cpu_ms"],
        a["kb_per_phone"] / o["kb_per_phone"]))
    print("load average while measuring: %.2f (2 CPUs; latency is wall-clock and moves with it, CPU per "
          "cue hardly does)" % os.getloadavg()[0])


if __name__ == "__main__":
    main()
