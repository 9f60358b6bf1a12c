"""What the fuzz harnesses and their property tests compare, in one place (no atheris here:
the tests under tests/ import it, and CI has no atheris)."""
from __future__ import annotations

import struct
from typing import List, Tuple

# WebSocket close codes a server may send when it refuses a peer: 1002, 1007, 1009 (a frame
# both too big and malformed may meet either check first, depending on how it was cut)
REFUSED_CLOSES = (b"\x03\xea", b"\x03\xef", b"\x03\xf1")


def server_frames(data: bytes) -> List[Tuple[int, bytes]]:
    """The frames a server wrote (unmasked), as (opcode, payload); a refusing close is
    ``(8, b"refused")`` whichever refusal it was, other closes keep only their code (a reason
    text may quote where a decoder stopped, which depends on the pieces)."""
    frames = []
    while data:
        n, at = data[1] & 0x7F, 2
        if n == 126:
            n, at = struct.unpack("!H", data[2:4])[0], 4
        op, payload = data[0] & 0x0F, data[at:at + n]
        if op == 8 and payload[:2] in REFUSED_CLOSES:
            payload = b"refused"
        frames.append((op, payload[:2] if op == 8 else payload))
        data = data[at + n:]
    return frames


def audio_events(events: list) -> List[Tuple]:
    """A decoder's events with consecutive PCM joined, as comparable tuples (the same audio,
    however the calls cut it, compares equal)."""
    out: List[Tuple] = []
    for ev in events:
        if isinstance(ev, bytes):
            if out and out[-1][0] == "pcm":
                out[-1] = ("pcm", out[-1][1] + ev)
            elif ev:
                out.append(("pcm", ev))
        else:
            out.append((type(ev).__name__, repr(ev)))
    return out


def decoded(dec, chunks: List[bytes], slack: int) -> list:
    """Feeds `chunks` to a VorbisPushDecoder `dec` (a call's backlog continued with
    ``feed(b"")``), then finishes and closes it; returns every event. Each call's PCM stays within
    the decoder's ``max_output_bytes`` plus its ``max_silence_bytes`` and `slack` (a packet's
    worth), and an AudioError, if any, is the last event (both asserted)."""
    budget = dec.max_output_bytes
    events: list = []
    try:
        for c in chunks:
            got = dec.feed(c)
            while True:
                if budget is not None:
                    pcm = sum(len(e) for e in got if isinstance(e, bytes))
                    assert pcm <= budget + dec.max_silence_bytes + slack, pcm
                events += got
                if not dec.backlog:
                    break
                got = dec.feed(b"")
        events += dec.finish()
    finally:
        dec.close()
    errors = [i for i, e in enumerate(events) if type(e).__name__ == "AudioError"]
    assert len(errors) <= 1 and (not errors or errors[0] == len(events) - 1), events[-3:]
    return events
