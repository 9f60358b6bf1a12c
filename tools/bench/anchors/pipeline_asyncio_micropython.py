"""asyncio anchor for MicroPython (runs under CPython too): a 10-stage pass-through pipeline,
one task per stage, each stage reading a bounded channel. Prints hops/s for two variants:

  asyncio-channel-methods  the channel is an object with plain methods (ready, room, get, put)
                           over a ring, and two Events (data, space) a task awaits through an
                           async method when it must wait: the call shape of microaxon's
                           dataReady/hasSpace/recv/send and its pause/wake.
  asyncio-inlined          the same rings and Events, with the channel operations written out
                           in each task (no method calls): what asyncio can do at best.

Shape as in the other anchors: a source emits N small ints respecting the bound, 10 stages,
a sink counts; hops/s = N x 11 / seconds. Channel capacity 16 on MicroPython (microaxon's
default box there), 64 on CPython.
"""
import sys
import time

import asyncio
from collections import deque

MPY = sys.implementation.name == "micropython"
N = 20000 if MPY else 100000
STAGES = 10
CAP = 16 if MPY else 64


def ring(cap):
    try:
        return deque((), cap, 1)         # MicroPython: a preallocated C ring
    except TypeError:
        return deque()                   # CPython: the length is checked below


def clock():
    return time.ticks_us() / 1e6 if MPY else time.perf_counter()


class Channel:
    """A bounded channel with plain methods, like microaxon's boxes (dataReady/recv/send,
    hasSpace); a task awaits its Events only when the channel is empty or full."""

    def __init__(self):
        self.q = ring(CAP)
        self.data = asyncio.Event()
        self.space = asyncio.Event()

    def ready(self):
        return len(self.q)

    def room(self):
        return CAP - len(self.q)

    def put(self, x):
        self.q.append(x)
        self.data.set()

    def get(self):
        self.space.set()
        return self.q.popleft()

    async def wait_data(self):
        self.data.clear()
        await self.data.wait()

    async def wait_space(self):
        self.space.clear()
        await self.space.wait()


async def source(out):
    i = 0
    while i <= N:
        if not out.room():
            await out.wait_space()
            continue
        out.put(i & 63 if i < N else None)
        i += 1


async def stage(a, b):
    while True:
        if not a.ready():
            await a.wait_data()
            continue
        if not b.room():
            await b.wait_space()
            continue
        x = a.get()
        b.put(x)
        if x is None:
            return


async def sink(a, res):
    n = 0
    while True:
        if not a.ready():
            await a.wait_data()
            continue
        if a.get() is None:
            break
        n += 1
    res.append(n)


async def source_inl(out):
    q, data, space = out.q, out.data, out.space
    for i in range(N + 1):
        while len(q) >= CAP:
            space.clear()
            await space.wait()
        q.append(i & 63 if i < N else None)
        data.set()


async def stage_inl(a, b):
    aq, adata, aspace = a.q, a.data, a.space
    bq, bdata, bspace = b.q, b.data, b.space
    while True:
        while not aq:
            adata.clear()
            await adata.wait()
        x = aq.popleft()
        aspace.set()
        while len(bq) >= CAP:
            bspace.clear()
            await bspace.wait()
        bq.append(x)
        bdata.set()
        if x is None:
            return


async def sink_inl(a, res):
    q, data, space = a.q, a.data, a.space
    n = 0
    while True:
        while not q:
            data.clear()
            await data.wait()
        x = q.popleft()
        space.set()
        if x is None:
            break
        n += 1
    res.append(n)


async def pipeline(inlined):
    chans = [Channel() for _ in range(STAGES + 1)]
    res = []
    if inlined:
        tasks = [source_inl(chans[0])] + [stage_inl(chans[i], chans[i + 1]) for i in range(STAGES)]
        tasks.append(sink_inl(chans[-1], res))
    else:
        tasks = [source(chans[0])] + [stage(chans[i], chans[i + 1]) for i in range(STAGES)]
        tasks.append(sink(chans[-1], res))
    t = clock()
    await asyncio.gather(*tasks)
    dt = clock() - t
    assert res == [N], res
    return N * (STAGES + 1) / dt


if __name__ == "__main__":
    for name, inlined in (("asyncio-channel-methods", False), ("asyncio-inlined", True)):
        print(name, "%.0f" % max([asyncio.run(pipeline(inlined)) for _ in range(3)]))
