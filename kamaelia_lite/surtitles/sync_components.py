"""Components for display sync: ``SyncLeaderComponent`` and ``SyncFollowerComponent`` wrap the
sans-IO leader/follower state machines of ``kamaelia_lite.surtitles.sync`` (the protocol is
described there) for the microaxon runtime. Portable to MicroPython.
"""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.sync import (
    DEFAULT_MAX_PAYLOAD,
    DEFAULT_REPEATS,
    DEFAULT_SNAPSHOT_PERIOD,
    HEARTBEAT_MAGIC,
    MAGIC,
    DisplayHealth,
    StateTooLarge,
    SyncLeader,
    _stderr,
    make_authenticator,
    open_datagram,
)

# the follower's components live in sync_follow_components (a display loads only that)
from kamaelia_lite.surtitles.sync_follow_components import (  # noqa: F401
    FollowerPulse,
    SyncFollowerComponent,
    _datagram_of,
    _Follows,
)
from microaxon import component, now, producerFinished, shutdownMicroprocess

__all__ = ["SyncLeaderComponent", "SyncFollowerComponent", "FollowerPulse", "adopt_commands"]

def adopt_commands(state):
    """Cue-player commands that bring an operator's deck to a heard audience state (its cue
    position, blackout, freeze and timing mode: a timed show's clock starts from the cue
    heard, in step with the leader's); [] for states that are not a cue deck's."""
    pos = state.get("pos")
    if not isinstance(pos, int):
        return []
    out = [("freeze", False), ("goto", pos + 1) if pos >= 0 else ("rewind",),
           ("blackout", bool(state.get("blackout")))]
    if state.get("freeze"):
        out.append(("freeze", True))
    if "timed" in state:
        out.append(("timed", bool(state.get("timed"))))
    return out


def _adopt_key(state):
    return (state.get("pos"), state.get("cue"), bool(state.get("blackout")), bool(state.get("freeze")),
            state.get("timed"))


class SyncLeaderComponent(component):
    """Publishes states to followers: state dicts on inbox, signed datagrams on outbox.

    ``key`` (bytes/str, shared with the followers) or ``authenticator``; ``snapshot_period``,
    ``repeats``, ``max_payload``, ``epoch``, ``priority``, ``hold``, ``first_hold`` as for SyncLeader. Link
    outbox to any datagram transport (multicast/UDP sender), or through ``encode_stream_frame``
    to TCP connections. A state too large for one datagram is refused with a message on
    ``errors`` (and stderr); the followers keep the previous one. Waits on a timer for the next
    repeat; no polling.

    heard: datagrams from the network (bytes or (bytes, address)): other leaders' states (who
    leads: see ``sync``) and the displays' heartbeats. role: ``("role", "leading"|"standby",
    epoch)`` at start and on every change. adopt: cue-player commands that follow the live
    leader while this one stands by (link to the CuePlayer's inbox). health: a
    ``DisplayHealth.summary`` dict whenever the live / silent displays change (``silent_after``
    seconds without a heartbeat makes a display silent).

    ``resume_listen`` (seconds, default 0: off): set it when the states to publish start from a
    saved position (``resume_saved_ms``: the wall-clock ms it was saved at, when known). The leader then sends nothing for that long while the displays' heartbeats
    say what the audience sees; if the displays show a newer place than the first state, it
    sends the commands that move there on ``adopt`` and publishes once its owner is there (see
    ``SyncLeader.listen``). Either way ``("resumed", "displays"|"record", why, cue id)`` goes
    out of ``role``.
    """

    Inboxes = {"inbox": "state dicts to publish", "control": "shutdown signals",
               "heard": "datagrams heard: other leaders, display heartbeats"}
    Outboxes = {"outbox": "signed datagrams (bytes)", "errors": "refused states, explained",
                "signal": "shutdown signals", "role": "leading / standby changes",
                "adopt": "commands following the live leader", "health": "live displays"}

    key = None
    authenticator = None
    snapshot_period = DEFAULT_SNAPSHOT_PERIOD
    repeats = DEFAULT_REPEATS
    max_payload = DEFAULT_MAX_PAYLOAD
    epoch = None
    priority = 1
    hold = 0.0
    first_hold = None
    silent_after = 3.0
    resume_listen = 0.0
    resume_saved_ms = None

    def __init__(self, **argd):
        super().__init__(**argd)
        auth = self.authenticator or make_authenticator(self.key)
        self.leader = SyncLeader(auth, self.snapshot_period, self.repeats, self.epoch, self.max_payload,
                                 self.priority, self.hold, self.first_hold)
        self.verifier = make_authenticator(self.key, max_senders=1024) if self.key else auth
        self.health = DisplayHealth(self.silent_after)
        self._role = None
        self._adopted = None
        self._health_sent = None
        self._health_at = None

    def _hear(self, msg, t):
        d = _datagram_of(msg)
        opened = open_datagram(self.verifier, d) if d is not None else None
        if opened is None:
            return
        magic, body = opened
        if magic == MAGIC:
            st = self.leader.hear(body, t)
            if st is not None and _adopt_key(st) != self._adopted:
                self._adopted = _adopt_key(st)
                for cmd in adopt_commands(st):
                    self.send(cmd, "adopt")
        elif magic == HEARTBEAT_MAGIC:
            lead = self.leader
            self.health.current = (lead.epoch, lead.version) if lead.leading and lead.state is not None else None
            lead.hear_display(body)
            seen = self.health.heartbeat(body, t)
            soon = t + 0.25                   # gather a burst of heartbeats into one report
            if seen and (self._health_at is None or (seen == self.health.CHANGED and self._health_at > soon)):
                self._health_at = soon        # (a display joining or back: not at the next silence check)

    def _resume(self, t):
        """The end of the resume window: say where the show resumes, move the owner there."""
        lead = self.leader
        if lead.phase != "listen" or t < lead.quiet_until:
            return
        place, why = lead.resume_choice(t)
        if place is not None:
            self._adopted = _adopt_key(place)
            for cmd in adopt_commands(place):
                self.send(cmd, "adopt")
        src = place if place is not None else lead.state
        cue = src.get("cue") if isinstance(src, dict) else None
        self.send(("resumed", "displays" if place is not None else "record", why, cue), "role")

    def _report(self, t):
        role = "leading" if self.leader.leading else "standby"
        if role != self._role:
            self._role = role
            self._adopted = None
            self.send(("role", role, self.leader.epoch), "role")
        if self._health_at is not None and t >= self._health_at:
            self._health_at = None
            summary = self.health.summary(t)
            if summary != self._health_sent:
                self._health_sent = dict(summary)
                self._health_sent.pop("back", None)     # said once: the same counts after it are no news
                self.send(summary, "health")
            nxt = self.health.next_change(t)
            if nxt is not None:
                self._health_at = nxt + 0.01

    def main(self):
        # Woken over 0.5 s after the timer set last, this process stood still (suspended,
        # swapping, paused): the timed decisions (a takeover, displays gone silent) wait 0.25 s
        # ("calm"), so what waited in the sockets meanwhile (other leaders, heartbeats) is read
        # first, and a live primary or display is not taken for a silent one.
        wake = None
        calm = None
        if self.resume_listen:
            self.leader.listen(now(), self.resume_listen, self.resume_saved_ms)
        while True:
            if wake is not None and now() - wake > 0.5:
                calm = now() + 0.25
            wake = None
            while self.dataReady("heard"):
                self._hear(self.recv("heard"), now())
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
            if calm is None or now() >= calm:
                calm = None
                self._resume(now())
                for d in self.leader.due(now()):
                    self.send(d, "outbox")
                self._report(now())
            if passed_shutdown_on(self):
                return
            t = self.leader.next_due()
            if self._health_at is not None and (t is None or self._health_at < t):
                t = self._health_at
            if calm is not None:
                t = calm
            if not self.anyReady():
                if t is not None:
                    wake = max(t, now())
                self.pause(None if t is None else max(0.0, t - now()))
            yield 1
