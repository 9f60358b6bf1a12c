"""MQTT benchmark through one mosquitto, in one run: our components vs paho-mqtt and aiomqtt.

    python -m tools.bench.mqtt_bench [--n 20000] [--latency-n 2000] [--rate 1000] [--repeats 3]
                                     [--fanout 1000] [--fanout-messages 20]

Starts one mosquitto (anonymous, loopback, no persistence, unlimited queues) on a free port; each
client runs in its own process, one publisher and one subscriber connection in it, the clients
interleaved over --repeats rounds (medians reported):
  - microaxon: MQTTPublisher + MQTTClient (kamaelia_lite.net.mqtt) on one scheduler;
  - paho:      paho-mqtt with its threaded loop (tools/bench/anchors/mqtt_paho.py);
  - aiomqtt:   asyncio (tools/bench/anchors/mqtt_aiomqtt.py), if installed.
Workloads: throughput = N 64-byte messages published as fast as each client takes them, at QoS 0
and QoS 1, timed from the first publish to the last delivery; latency = --latency-n messages at
--rate per second (QoS 0), each carrying its send time: p50/p99 publish-to-receive.
Fan-out (a figure, ours only): --fanout subscriber connections in one process, the broker
delivering --fanout-messages messages to each: deliveries/s and the time until the last
subscriber has each message.
"""
import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from tools.bench.common import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANCHORS = os.path.join(HERE, "anchors")


def start_broker(d):
    """mosquitto on a free port; returns (Popen, port)."""
    port = free_port()
    conf = os.path.join(d, "bench.conf")
    user = ["user %s" % os.environ.get("USER", "root")] if os.geteuid() == 0 else []
    with open(conf, "w") as f:
        f.write("\n".join(user + ["listener %d 127.0.0.1" % port, "allow_anonymous true",
                                  "max_queued_messages 0", "max_inflight_messages 32",
                                  "persistence false", "log_type error"]) + "\n")
    p = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return p, port
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("mosquitto did not start")


# ----------------------------------------------------------------------------- our client

def _ours(port, n, nl, rate):
    from kamaelia_lite.net.mqtt import MQTTClient, MQTTPublisher
    from microaxon import Scheduler, component

    class Source(component):
        """n payloads as fast as the publisher takes them (waits for room), or paced at ``rate``."""

        def __init__(self, n, rate=None, start=None):
            super().__init__()
            self.n, self.rate, self.start = n, rate, start

        def main(self):
            while not self.start[0]:               # the subscriber is in place
                self.pause(0.01)
                yield 1
            self.start.append(time.perf_counter())
            payload = b"x" * 64
            gap = 1.0 / self.rate if self.rate else 0
            t = time.perf_counter()
            for _ in range(self.n):
                if gap:
                    t += gap
                    while time.perf_counter() < t:
                        self.pause(max(0.0, t - time.perf_counter()))
                        yield 1
                    payload = (b"%.9f" % time.perf_counter()).ljust(64)
                while not self.hasSpace("outbox"):
                    self.waitSpace("outbox")
                    self.pause()
                    yield 1
                self.send(payload, "outbox")
            while True:
                self.pause()
                yield 1

    class Sink(component):
        Inboxes = {"inbox": "messages", "events": "subscriber events", "control": ""}

        def __init__(self, n, start, lat=None):
            super().__init__()
            self.n, self.start, self.lat, self.got, self.end = n, start, lat, 0, None

        def main(self):
            box = self.getInbox("inbox")
            while True:
                while self.dataReady("events"):
                    if self.recv("events")[0] == "subscribed":
                        self.start[0] = True
                while box.q:
                    m = self.recv("inbox")
                    self.got += 1
                    if self.lat is not None:
                        self.lat.append(time.perf_counter() - float(m.payload[:24]))
                if self.got >= self.n:
                    break
                self.pause()
                yield 1
            self.end = time.perf_counter()
            self.scheduler_ref.stop()

    def one(n, qos, rate=None):
        s = Scheduler()
        start = [False]
        lat = [] if rate else None
        sink = Sink(n, start, lat)
        sink.scheduler_ref = s
        sub = MQTTClient(port=port, subscriptions=[("b/%d" % qos, qos)], log=False)
        src = Source(n, rate, start)
        pub = MQTTPublisher(port=port, topic="b/%d" % qos, qos=qos, log=False)
        sub.link((sub, "outbox"), (sink, "inbox"))
        sub.link((sub, "events"), (sink, "events"))
        src.link((src, "outbox"), (pub, "inbox"))
        for c in (sink, sub, pub, src):
            c.activate(scheduler=s)
        s.run()
        if sink.end is None:
            return 0.0, n - sink.got, lat
        return n / (sink.end - start[1]), n - sink.got, lat

    q0, l0, _ = one(n, 0)
    q1, l1, _ = one(n, 1)
    _, ll, lat = one(nl, 0, rate)
    lat.sort()
    return {"impl": "microaxon", "qos0_msg_s": q0, "qos1_msg_s": q1, "p50_ms": lat[len(lat) // 2] * 1000,
            "p99_ms": lat[int(len(lat) * 0.99)] * 1000, "lost": l0 + l1 + ll}


def _fanout(port, subs, msgs):
    """subs subscriber connections on one scheduler; a publisher sends msgs messages (each after
    every subscriber has the previous one). Returns deliveries/s and the median time for a message
    to reach all subscribers."""
    from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
    from microaxon import Scheduler, component

    state = {"subscribed": 0, "got": 0, "per": [], "t": None, "end": None}

    class Count(component):
        Inboxes = {"inbox": "payloads", "events": "events", "control": ""}

        def main(self):
            while True:
                while self.dataReady("events"):
                    if self.recv("events")[0] == "subscribed":
                        state["subscribed"] += 1
                while self.dataReady("inbox"):
                    self.recv("inbox")
                    state["got"] += 1
                self.pause()
                yield 1

    class Driver(component):
        def main(self):
            while state["subscribed"] < subs:
                self.pause(0.02)
                yield 1
            t0 = time.perf_counter()
            for i in range(msgs):
                target = subs * (i + 1)
                ts = time.perf_counter()
                self.send(b"m%d" % i, "outbox")
                while state["got"] < target:
                    self.pause(0.0005)
                    yield 1
                state["per"].append(time.perf_counter() - ts)
            state["t"] = time.perf_counter() - t0
            self.sched.stop()

    s = Scheduler()
    count = Count()
    count.activate(scheduler=s)
    for _ in range(subs):
        c = MQTTSubscriber(port=port, topic="fan", keepalive=120, log=False, recv_size=4096)
        c.link((c, "outbox"), (count, "inbox"))
        c.link((c, "events"), (count, "events"))
        c.activate(scheduler=s)
    pub = MQTTPublisher(port=port, topic="fan", log=False)
    d = Driver()
    d.sched = s
    d.link((d, "outbox"), (pub, "inbox"))
    pub.activate(scheduler=s)
    d.activate(scheduler=s)
    t0 = time.perf_counter()
    s.run()
    per = sorted(state["per"])
    return {"subscribers": subs, "messages": msgs, "setup_s": time.perf_counter() - t0 - (state["t"] or 0),
            "deliveries_s": subs * msgs / state["t"] if state["t"] else 0.0,
            "all_reached_p50_ms": per[len(per) // 2] * 1000 if per else None,
            "all_reached_max_ms": per[-1] * 1000 if per else None}


# ----------------------------------------------------------------------------- driver

def run_impl(name, port, args):
    if name == "microaxon":
        cmd = [sys.executable, "-m", "tools.bench.mqtt_bench", "--impl", "microaxon", "--port", str(port)]
    else:
        cmd = [sys.executable, os.path.join(ANCHORS, "mqtt_%s.py" % name), str(port)]
    cmd += [str(args.n), str(args.latency_n), str(args.rate)] if name != "microaxon" else [
        "--n", str(args.n), "--latency-n", str(args.latency_n), "--rate", str(args.rate)]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    return {"impl": name, "error": (p.stderr or p.stdout)[-500:]}


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[len(xs) // 2] if xs else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--latency-n", type=int, default=2000)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fanout", type=int, default=1000)
    ap.add_argument("--fanout-messages", type=int, default=20)
    ap.add_argument("--impl", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.impl == "microaxon":
        print(json.dumps(_ours(args.port, args.n, args.latency_n, args.rate)))
        return
    if args.impl == "fanout":
        print(json.dumps(_fanout(args.port, args.fanout, args.fanout_messages)))
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 2 * args.fanout + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))     # inherited by mosquitto and clients
    impls = ["microaxon", "paho"]
    try:
        import aiomqtt  # noqa: F401
        impls.append("aiomqtt")
    except ImportError:
        print("aiomqtt not installed (pip install aiomqtt): asyncio anchor left out")
    d = tempfile.mkdtemp(prefix="mqttbench")
    broker, port = start_broker(d)
    results = dict((i, []) for i in impls)
    try:
        for r in range(args.repeats):
            order = impls[r % len(impls):] + impls[:r % len(impls)]
            for name in order:
                results[name].append(run_impl(name, port, args))
        fan = None
        if args.fanout:
            p = subprocess.run([sys.executable, "-m", "tools.bench.mqtt_bench", "--impl", "fanout", "--port",
                                str(port), "--fanout", str(args.fanout), "--fanout-messages",
                                str(args.fanout_messages)], cwd=ROOT, capture_output=True, text=True, timeout=600)
            lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
            fan = json.loads(lines[-1]) if lines else {"error": p.stderr[-500:]}
    finally:
        broker.terminate()
        broker.wait()
        shutil.rmtree(d, ignore_errors=True)
    print("MQTT through one mosquitto, %d x 64-byte messages (throughput), %d at %g/s (latency), "
          "median of %d" % (args.n, args.latency_n, args.rate, args.repeats))
    print("%-10s %12s %12s %9s %9s %6s" % ("client", "QoS0 msg/s", "QoS1 msg/s", "p50 ms", "p99 ms", "lost"))
    med = {}
    for name in impls:
        rs = [x for x in results[name] if "error" not in x]
        if not rs:
            print("%-10s failed: %s" % (name, results[name][0].get("error")))
            continue
        m = dict((k, median([x[k] for x in rs])) for k in ("qos0_msg_s", "qos1_msg_s", "p50_ms", "p99_ms"))
        m["lost"] = sum(x["lost"] for x in rs)
        med[name] = m
        print("%-10s %12.0f %12.0f %9.3f %9.3f %6d" % (name, m["qos0_msg_s"], m["qos1_msg_s"], m["p50_ms"],
                                                       m["p99_ms"], m["lost"]))
    ours = med.get("microaxon")
    for name in impls[1:]:
        o = med.get(name)
        if ours and o:
            print("microaxon / %s: QoS0 throughput x%.2f, QoS1 throughput x%.2f, p99 x%.2f (lower is better)" % (
                name, ours["qos0_msg_s"] / o["qos0_msg_s"], ours["qos1_msg_s"] / o["qos1_msg_s"],
                ours["p99_ms"] / o["p99_ms"]))
    if fan:
        print("fan-out: %s" % json.dumps(fan))


if __name__ == "__main__":
    main()
