"""Components for display sync: ``SyncLeaderComponent`` and ``SyncFollowerComponent`` wrap the
sans-IO leader/follower state machines of ``kamaelia_lite.surtitles.sync`` (the protocol is
described there) for the microaxon runtime. Portable to MicroPython.
"""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.sync import (
    DEFAULT_MAX_PAYLOAD,
    DEFAULT_REPEATS,
    DEFAULT_SNAPSHOT_PERIOD,
    StateTooLarge,
    SyncFollower,
    SyncLeader,
    _stderr,
    make_authenticator,
)
from microaxon import component, now, producerFinished, shutdownMicroprocess

__all__ = ["SyncLeaderComponent", "SyncFollowerComponent"]

def _datagram_of(msg):
    """bytes from a transport message: bytes, bytearray/memoryview, or (data, address)."""
    if isinstance(msg, tuple) and msg:
        msg = msg[0]
    if isinstance(msg, (bytes, bytearray, memoryview)):
        return bytes(msg)
    return None


class SyncLeaderComponent(component):
    """Publishes states to followers: state dicts on inbox, signed datagrams on outbox.

    ``key`` (bytes/str, shared with the followers) or ``authenticator``; ``snapshot_period``,
    ``repeats``, ``max_payload``, ``epoch`` as for SyncLeader. Link outbox to any datagram
    transport (multicast/UDP sender), or through ``encode_stream_frame`` to TCP connections.
    A state too large for one datagram is refused with a message on ``errors`` (and stderr);
    the followers keep the previous one. Waits on a timer for the next repeat; no polling.
    """

    Inboxes = {"inbox": "state dicts to publish", "control": "shutdown signals"}
    Outboxes = {"outbox": "signed datagrams (bytes)", "errors": "refused states, explained",
                "signal": "shutdown signals"}

    key = None
    authenticator = None
    snapshot_period = DEFAULT_SNAPSHOT_PERIOD
    repeats = DEFAULT_REPEATS
    max_payload = DEFAULT_MAX_PAYLOAD
    epoch = None

    def __init__(self, **argd):
        super().__init__(**argd)
        auth = self.authenticator or make_authenticator(self.key)
        self.leader = SyncLeader(auth, self.snapshot_period, self.repeats, self.epoch, self.max_payload)

    def main(self):
        while True:
            while self.dataReady("inbox"):
                state = self.recv("inbox")
                if isinstance(state, (producerFinished, shutdownMicroprocess)):
                    continue
                try:
                    for d in self.leader.publish(state, now()):
                        self.send(d, "outbox")
                except (StateTooLarge, TypeError, ValueError) as exc:
                    msg = "sync leader: state not published: %s" % exc
                    self.send(msg, "errors")
                    _stderr(msg)
            for d in self.leader.due(now()):
                self.send(d, "outbox")
            if passed_shutdown_on(self):
                return
            t = self.leader.next_due()
            self.pause(None if t is None else max(0.0, t - now()))
            yield 1


class SyncFollowerComponent(component):
    """Turns received datagrams into the states to show: only authentic, newer ones pass.

    ``key`` (bytes/str) or ``authenticator``; ``stale_after`` as for SyncFollower.
    inbox: datagrams (bytes, or (bytes, address) from a UDP/multicast receiver).
    outbox: state dicts, each newer than the last. ``follower`` holds the counters
    (``forged``, ``stale``, ``malformed``, ``applied``).
    rejected: ``("rejected", reason, stats)`` for every datagram dropped as forged, replayed
    or malformed (reason is one of those words; stats is ``follower.stats()``) — what an
    operator screen shows as "someone is sending packets without the key".
    """

    Inboxes = {"inbox": "datagrams", "control": "shutdown signals"}
    Outboxes = {"outbox": "state dicts to show", "rejected": "dropped datagrams, explained",
                "signal": "shutdown signals"}

    key = None
    authenticator = None
    stale_after = 3.0

    def __init__(self, **argd):
        super().__init__(**argd)
        auth = self.authenticator or make_authenticator(self.key)
        self.follower = SyncFollower(auth, self.stale_after)

    def main(self):
        while True:
            while self.dataReady("inbox"):
                d = _datagram_of(self.recv("inbox"))
                f = self.follower
                if d is None:
                    f.malformed += 1
                    self.send(("rejected", "malformed", f.stats()), "rejected")
                    continue
                before = (f.auth.forged, f.auth.replayed, f.auth.malformed + f.malformed)
                st = f.receive(d, now())
                if st is not None:
                    self.send(st, "outbox")
                elif f.auth.forged != before[0]:
                    self.send(("rejected", "forged", f.stats()), "rejected")
                elif f.auth.replayed != before[1]:
                    self.send(("rejected", "replayed", f.stats()), "rejected")
                elif f.auth.malformed + f.malformed != before[2]:
                    self.send(("rejected", "malformed", f.stats()), "rejected")
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1
