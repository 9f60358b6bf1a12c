"""Anchor: paho-mqtt with its threaded network loop (loop_start), one publisher and one
subscriber client in this process, through the broker given on the command line.

    python tools/bench/anchors/mqtt_paho.py PORT N_THROUGHPUT N_LATENCY RATE

Prints one JSON line: {"impl": "paho", "qos0_msg_s":, "qos1_msg_s":, "p50_ms":, "p99_ms":, "lost":}.
Workloads (the same in every client of tools/bench/mqtt_bench.py): throughput = N 64-byte
messages published as fast as the client takes them, timed from the first publish to the last
delivery; latency = N_LATENCY messages at RATE/s, each carrying its send time.
"""
import json
import sys
import threading
import time

import paho.mqtt.client as mqtt


def client(port, on_message=None, topic=None):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.max_queued_messages_set(0)
    c.max_inflight_messages_set(32)
    ready = threading.Event()
    if topic:
        c.on_connect = lambda cl, u, f, rc, p=None: cl.subscribe(topic, 1)
        c.on_subscribe = lambda *a: ready.set()
    else:
        c.on_connect = lambda *a: ready.set()
    if on_message:
        c.on_message = on_message
    c.connect("127.0.0.1", port, keepalive=60)
    c.loop_start()
    ready.wait(10)
    return c


def throughput(port, n, qos):
    done = threading.Event()
    got = [0, 0.0]

    def on_message(cl, u, m):
        got[0] += 1
        if got[0] == n:
            got[1] = time.perf_counter()
            done.set()

    sub = client(port, on_message, "tp/%d" % qos)
    pub = client(port)
    payload = b"x" * 64
    t0 = time.perf_counter()
    for _ in range(n):
        pub.publish("tp/%d" % qos, payload, qos)
    done.wait(120)
    for c in (pub, sub):
        c.loop_stop()
        c.disconnect()
    return (n / (got[1] - t0) if got[0] == n else 0.0), n - got[0]


def latency(port, n, rate):
    lat = []
    done = threading.Event()

    def on_message(cl, u, m):
        lat.append(time.perf_counter() - float(m.payload[:24]))
        if len(lat) == n:
            done.set()

    sub = client(port, on_message, "lat")
    pub = client(port)
    gap = 1.0 / rate
    t = time.perf_counter()
    for i in range(n):
        t += gap
        while time.perf_counter() < t:
            time.sleep(max(0.0, t - time.perf_counter()))
        pub.publish("lat", (b"%.9f" % time.perf_counter()).ljust(64), 0)
    done.wait(60)
    for c in (pub, sub):
        c.loop_stop()
        c.disconnect()
    lat.sort()
    return lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000, n - len(lat)


def main():
    port, n, nl, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    q0, lost0 = throughput(port, n, 0)
    q1, lost1 = throughput(port, n, 1)
    p50, p99, lostl = latency(port, nl, rate)
    print(json.dumps({"impl": "paho", "qos0_msg_s": q0, "qos1_msg_s": q1, "p50_ms": p50, "p99_ms": p99,
                      "lost": lost0 + lost1 + lostl}))


if __name__ == "__main__":
    main()
