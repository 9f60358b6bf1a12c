"""Shared helpers for the reliable-multicast tests (not a test module): a seeded lossy channel
that drops, duplicates and reorders datagrams, and a driver that runs a receiver over it."""
import random


def make_messages(n, seed, lo=8, hi=120):
    """n distinct messages (the index is in the last 4 bytes) of random length lo..hi."""
    rnd = random.Random(seed)
    return [bytes([rnd.randrange(256)]) * rnd.randint(lo, hi) + i.to_bytes(4, "big") for i in range(n)]


def sender_datagrams(tx, messages, flush=True):
    wire = []
    for msg in messages:
        wire.extend(tx.send(msg))
    if flush:
        wire.extend(tx.flush())
    return wire


def lossy_channel(wire, seed, loss, dup=0.0, reorder=0.0, reach=5):
    """(delivered datagrams, set of indices into ``wire`` that were dropped)."""
    rnd = random.Random(seed)
    out = []
    dropped = set()
    for n, d in enumerate(wire):
        if rnd.random() < loss:
            dropped.add(n)
            continue
        out.append(d)
        if rnd.random() < dup:
            out.append(d)
    for i in range(len(out) - 1):
        if rnd.random() < reorder:
            j = min(len(out) - 1, i + rnd.randint(1, reach))
            out[i], out[j] = out[j], out[i]
    return out, dropped


def run_receiver(rx, datagrams, flush=True, now=0.0):
    """Feed every datagram; returns (messages, gaps, all events)."""
    events = []
    for d in datagrams:
        events.extend(rx.receive(d, now))
    if flush:
        events.extend(rx.flush())
    data = [e[1] for e in events if e[0] == "data"]
    gaps = [(e[1], e[2]) for e in events if e[0] == "gap"]
    return data, gaps, events
