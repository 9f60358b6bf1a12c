"""Audience fan-out load generator on the `websockets` library (independent of microaxon):
C WebSocket clients connect to ws://127.0.0.1:PORT/live and record when each message arrives.

usage: web_fanout_load.py PORT C
stdout: ``CONNECTED C`` once every client has its first message (the current state); then, on
``report`` (stdin), one JSON line {cue: [time.monotonic() of arrival at each client]} and exit
(the first arrival of each cue at each client: a repeat of the same state is not counted).
"""
import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect

PORT, C = int(sys.argv[1]), int(sys.argv[2])
arrivals = {}
ready = [0]


async def client(i, gate, all_ready):
    async with gate:
        for _ in range(100):
            try:
                ws = await connect("ws://127.0.0.1:%d/live?lang=%s" % (PORT, ("en", "ja", "ar")[i % 3]),
                                   max_size=None, compression=None, open_timeout=30, ping_interval=None)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            raise SystemExit("could not connect to 127.0.0.1:%d" % PORT)
        first = await ws.recv()
    json.loads(first)
    ready[0] += 1
    if ready[0] == C:
        all_ready.set()
    seen = set()
    try:
        async for msg in ws:
            t = time.monotonic()
            at = msg.index('"cue":"') + 7
            cue = msg[at:msg.index('"', at)]
            if cue not in seen:              # a repeat of the current state is not a change
                seen.add(cue)
                arrivals.setdefault(cue, []).append(t)
    except Exception:
        pass


async def main():
    gate = asyncio.Semaphore(100)            # connect 100 at a time
    all_ready = asyncio.Event()
    tasks = [asyncio.create_task(client(i, gate, all_ready)) for i in range(C)]
    await all_ready.wait()
    sys.stdout.write("CONNECTED %d\n" % C)
    sys.stdout.flush()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while (await reader.readline()).strip() != b"report":
        pass
    sys.stdout.write(json.dumps(arrivals) + "\n")
    sys.stdout.flush()
    for t in tasks:
        t.cancel()


if __name__ == "__main__":
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, C + 100), hard), hard))
    asyncio.run(main())
