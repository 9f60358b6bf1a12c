"""Anchor: aiomqtt (asyncio, on paho's protocol code), one publisher and one subscriber client
in one event loop, through the broker given on the command line (`pip install aiomqtt`).

    python tools/bench/anchors/mqtt_aiomqtt.py PORT N_THROUGHPUT N_LATENCY RATE

Same workloads and output as mqtt_paho.py, with "impl": "aiomqtt".
"""
import asyncio
import json
import sys
import time

import aiomqtt


async def throughput(port, n, qos):
    topic = "tp/%d" % qos
    async with aiomqtt.Client("127.0.0.1", port, max_queued_outgoing_messages=0) as sub, \
            aiomqtt.Client("127.0.0.1", port) as pub:
        await sub.subscribe(topic, qos)
        got = 0

        async def receive():
            nonlocal got
            async for _ in sub.messages:
                got += 1
                if got == n:
                    return time.perf_counter()

        task = asyncio.ensure_future(receive())
        payload = b"x" * 64
        t0 = time.perf_counter()
        for _ in range(n):
            await pub.publish(topic, payload, qos)
        try:
            t1 = await asyncio.wait_for(task, 120)
        except asyncio.TimeoutError:
            return 0.0, n - got
        return n / (t1 - t0), 0


async def latency(port, n, rate):
    async with aiomqtt.Client("127.0.0.1", port) as sub, aiomqtt.Client("127.0.0.1", port) as pub:
        await sub.subscribe("lat", 0)
        lat = []

        async def receive():
            async for m in sub.messages:
                lat.append(time.perf_counter() - float(bytes(m.payload)[:24]))
                if len(lat) == n:
                    return

        task = asyncio.ensure_future(receive())
        gap = 1.0 / rate
        t = time.perf_counter()
        for _ in range(n):
            t += gap
            await asyncio.sleep(max(0.0, t - time.perf_counter()))
            await pub.publish("lat", (b"%.9f" % time.perf_counter()).ljust(64), 0)
        try:
            await asyncio.wait_for(task, 60)
        except asyncio.TimeoutError:
            pass
        lat.sort()
        return lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000, n - len(lat)


async def amain():
    port, n, nl, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    q0, lost0 = await throughput(port, n, 0)
    q1, lost1 = await throughput(port, n, 1)
    p50, p99, lostl = await latency(port, nl, rate)
    print(json.dumps({"impl": "aiomqtt", "qos0_msg_s": q0, "qos1_msg_s": q1, "p50_ms": p50, "p99_ms": p99,
                      "lost": lost0 + lost1 + lostl}))


if __name__ == "__main__":
    asyncio.run(amain())
