"""The follower's components for display sync: ``SyncFollowerComponent`` (and what any follower
component holds, ``_Follows``, ``FollowerPulse``) around ``sync_follow.SyncFollower``. Apart from
``sync_components`` (which re-exports them) so that a display loads none of the leader's code.
Portable to MicroPython.
"""
from kamaelia_lite.surtitles.sync_follow import (
    LeaderWatch,
    SyncFollower,
    encode_heartbeat,
    make_authenticator,
)
from microaxon import component, now, shutdown

__all__ = ["SyncFollowerComponent", "FollowerPulse"]


def _datagram_of(msg):
    """bytes from a transport message: bytes, bytearray/memoryview, or (data, address)."""
    if isinstance(msg, tuple) and msg:
        msg = msg[0]
    if isinstance(msg, (bytes, bytearray, memoryview)):
        return bytes(msg)
    return None


class FollowerPulse:
    """What a follower says besides showing states: "lost" / "found" when the leader goes
    silent for ``lost_after`` s or comes back, and a heartbeat every ``heartbeat_period`` s."""

    def __init__(self, lost_after=5.0, heartbeat_period=None, display_id=None, languages=()):
        self.watch = LeaderWatch(lost_after)
        self.period = heartbeat_period
        self.display_id = display_id
        self.languages = languages
        self.beat_at = None

    def tick(self, f, t):
        """(change or None, heartbeat datagram or None, when to look again or None) for the
        SyncFollower ``f`` at ``t``."""
        change = self.watch.check(f.last_heard, t)
        wake = self.watch.next_check(f.last_heard)
        beat = None
        if self.period:
            if self.beat_at is None or t >= self.beat_at:
                self.beat_at = t + self.period
                if self.display_id is None:       # random per run: the signing sender id
                    self.display_id = "d-" + "".join(["%02x" % c for c in f.auth.sender_id])
                ident = self.display_id
                beat = encode_heartbeat(f.auth, ident, self.languages, f.epoch, f.version, f.state)
            if wake is None or self.beat_at < wake:
                wake = self.beat_at
        return change, beat, wake


class _Follows(component):
    """What a follower component holds, over any transport: ``follower`` (a SyncFollower from
    ``key`` or ``authenticator`` and ``stale_after``) and ``pulse`` (a FollowerPulse from
    ``lost_after``, ``heartbeat_period``, ``display_id`` and ``languages``)."""

    key = None
    authenticator = None
    stale_after = 3.0
    lost_after = 5.0
    heartbeat_period = None
    display_id = None
    languages = ()

    def __init__(self, **argd):
        super().__init__(**argd)
        self.follower = SyncFollower(self.authenticator or make_authenticator(self.key), self.stale_after)
        self.pulse = FollowerPulse(self.lost_after, self.heartbeat_period, self.display_id, self.languages)
        # set now what the kernel sets on the first message dropped on an unlinked outbox
        # (core.Box.overflow): a device then never grows this instance's table mid-run
        self._drops = None


class SyncFollowerComponent(_Follows):
    """Turns received datagrams into the states to show: only authentic, newer ones pass.

    ``key`` (bytes/str) or ``authenticator``; ``stale_after`` as for SyncFollower.
    ``lost_after`` (5 s): silence from the leader after which ``("signal", "lost")`` goes out of
    ``leader`` (and ``("signal", "found")`` when it is heard again); the display keeps its text.
    ``heartbeat_period`` (None: off): seconds between signed heartbeats on ``heartbeat``
    (``display_id``, ``languages``), for the leader's count of live displays.
    inbox: datagrams (bytes, or (bytes, address) from a UDP/multicast receiver).
    outbox: state dicts, each newer than the last. ``follower`` holds the counters
    (``forged``, ``stale``, ``malformed``, ``applied``).
    rejected: ``("rejected", reason, stats)`` for every datagram dropped as forged, replayed
    or malformed (reason is one of those words; stats is ``follower.stats()``) — what an
    operator screen shows as "someone is sending packets without the key".
    """

    Inboxes = {"inbox": "datagrams", "control": "shutdown signals"}
    Outboxes = {"outbox": "state dicts to show", "rejected": "dropped datagrams, explained",
                "signal": "shutdown signals", "leader": "signal lost / found",
                "heartbeat": "signed heartbeats for the leader"}

    def tick(self, t):
        """Signal lost/found and heartbeats due at ``t``; returns when to look again (or None)."""
        change, beat, wake = self.pulse.tick(self.follower, t)
        if change is not None:
            self.send(("signal", change), "leader")
        if beat is not None:
            self.send(beat, "heartbeat")
        return wake

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
            wake = self.tick(now())
            while self.dataReady("control"):     # flow.passed_shutdown_on, written out: a
                msg = self.recv("control")        # handheld then does not load kamaelia_lite.flow
                if isinstance(msg, shutdown):
                    self.send(msg, "signal")
                    return
            if not self.anyReady():
                self.pause(None if wake is None else max(0.0, wake - now()))
            yield 1
