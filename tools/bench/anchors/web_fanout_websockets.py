"""Audience fan-out anchor: the same job as kamaelia_lite's AudienceServer, with `websockets`'
asyncio server. usage: web_fanout_websockets.py PORT

Serves WebSockets on 127.0.0.1:PORT (any path). Every client gets the current state when it
connects and every change after (``websockets.asyncio.server.broadcast``, which skips a client
whose buffers are full rather than waiting for it). What clients send is read and ignored.
stdin: ``cue N`` makes cue N current (a message of the same shape and size as ours); stdout:
``READY``, then ``PUB N <time.monotonic() before the broadcast>`` per cue.
"""
import asyncio
import json
import sys
import time

from websockets.asyncio.server import broadcast, serve

LANGS = ["en", "ja", "ar"]
clients = set()
current = [None]


def message(n, seq):
    texts = {"ar": "السطر %d: أين السفينة؟" % n, "en": "Line %d: where is the ship?" % n,
             "ja": "第%d幕 船はどこ？" % n}
    return json.dumps({"seq": seq, "cue": str(n), "texts": texts, "blackout": False, "langs": LANGS},
                      ensure_ascii=False, separators=(",", ":"))


async def phone(ws):
    clients.add(ws)
    try:
        if current[0] is not None:
            await ws.send(current[0])
        async for _ in ws:           # read-only: whatever a phone sends is dropped
            pass
    finally:
        clients.discard(ws)


async def main(port):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    async with serve(phone, "127.0.0.1", port, max_size=256, ping_interval=15, ping_timeout=15,
                     compression=None, backlog=1024):
        seq = 0
        current[0] = message(0, seq)
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        while True:
            line = await reader.readline()
            if not line:
                return
            parts = line.split()
            if len(parts) == 2 and parts[0] == b"cue":
                n = int(parts[1])
                seq += 1
                t = time.monotonic()
                current[0] = message(n, seq)
                broadcast(clients, current[0])
                sys.stdout.write("PUB %d %.6f\n" % (n, t))
                sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
