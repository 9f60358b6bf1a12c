"""The following side of display sync (``kamaelia_lite.surtitles.sync`` describes the protocol):
``SyncFollower`` verifies and applies states, ``LeaderWatch`` notices a silent leader,
``encode_heartbeat`` signs a display's heartbeat. In a module of its own so that a display (a
MicroPython handheld above all) loads none of the leaders' code: election, health, streams.
Sans-IO and portable to MicroPython; ``sync`` re-exports every name.
"""
import json

from kamaelia_lite.net.auth import DatagramAuthenticator

MAGIC = b"KLS1"
HEARTBEAT_MAGIC = b"KLH1"


def make_authenticator(key, replay_window=64, max_senders=32):
    """A DatagramAuthenticator for the sync protocol (``key`` bytes or str, shared by all)."""
    if not key:
        raise ValueError("sync needs a shared key (bytes or str), e.g. from --key or a key file")
    return DatagramAuthenticator(key, replay_window=replay_window, max_senders=max_senders)


def encode_heartbeat(authenticator, display, languages, epoch, version, state=None):
    """A follower's signed heartbeat: who it is, the languages it shows, what it shows: the
    (epoch, version) and, for a cue state, its place (``pos``, ``blackout``, ``freeze``,
    ``timed``, the deck's ``version`` and the ``cue`` id), so that a restarted leader can resume
    where the audience is."""
    body = {"d": str(display)[:40], "l": list(languages or [])[:8], "e": epoch, "v": version}
    if isinstance(state, dict) and isinstance(state.get("pos"), int):
        g = state.get
        body["s"] = {"pos": g("pos"), "cue": str(g("cue"))[:40], "blackout": g("blackout") is True,
                     "freeze": g("freeze") is True, "timed": g("timed") is True, "version": g("version")}
    return authenticator.sign(HEARTBEAT_MAGIC + json.dumps(body).encode())


class SyncFollower:
    """The displaying side: ``receive(datagram, now)`` returns the new state to show, or None.

    Counters: ``applied`` (states shown), ``stale`` (repeats or older versions, ignored),
    ``malformed`` (authentic but not this protocol), and through the authenticator ``forged``
    (no valid key: ignored) and ``replayed``.
    """

    def __init__(self, authenticator, stale_after=3.0):
        self.auth = authenticator
        self.stale_after = stale_after
        self.epoch = None
        self.version = -1
        self.state = None
        self.last_heard = None
        self.leader_time_ms = None
        self.applied = 0
        self.stale = 0
        self.malformed = 0

    @property
    def forged(self):
        """Datagrams dropped because their HMAC did not verify (wrong or no key)."""
        return self.auth.forged

    @property
    def replayed(self):
        """Authentic datagrams dropped as replays of ones already seen."""
        return self.auth.replayed

    def receive(self, datagram, now):
        """Verify and decode one datagram; returns the state dict if it is newer, else None."""
        payload = self.auth.verify(datagram)
        if payload is None:
            return None
        if payload[:4] != MAGIC:
            self.malformed += 1
            return None
        try:
            body = json.loads(payload[4:])
            epoch = int(body["e"])
            version = int(body["v"])
            state = body["s"]
            sent_ms = int(body.get("t", 0))
        except Exception:  # any decoding problem of an authentic packet: count it, keep going
            self.malformed += 1
            return None
        if not isinstance(state, dict):
            self.malformed += 1
            return None
        if self.epoch is not None and epoch != self.epoch:
            newer_leader = epoch > self.epoch
            old_leader_gone = self.last_heard is None or now - self.last_heard > self.stale_after
            if not (newer_leader or old_leader_gone):
                self.stale += 1
                return None
            self.version = -1
        if epoch == self.epoch and version <= self.version:
            self.stale += 1
            if version == self.version:
                self.last_heard = now
            return None
        self.epoch = epoch
        self.version = version
        self.state = state
        self.last_heard = now
        self.leader_time_ms = sent_ms
        self.applied += 1
        return state

    def leader_lost(self, now):
        """True when nothing current has come from the leader for ``stale_after`` seconds."""
        return self.last_heard is None or now - self.last_heard > self.stale_after

    def stats(self):
        """Counters as a dict."""
        return {"applied": self.applied, "stale": self.stale, "malformed": self.malformed + self.auth.malformed,
                "forged": self.auth.forged, "replayed": self.auth.replayed, "version": self.version}


class LeaderWatch:
    """Notices when a follower stops hearing its leader (pure). ``check(last_heard, now)``
    returns "lost" once the leader has been silent for ``lost_after`` seconds, "found" when
    it is heard again, else None; ``lost`` says which holds now."""

    def __init__(self, lost_after=5.0):
        self.lost_after = lost_after
        self.lost = False

    def check(self, last_heard, now):
        if last_heard is None:
            return None
        silent = now - last_heard >= self.lost_after
        if silent == self.lost:
            return None
        self.lost = silent
        return "lost" if silent else "found"

    def next_check(self, last_heard):
        """When ``check`` may next change its answer (None: only when something arrives)."""
        if last_heard is None or self.lost:
            return None
        return last_heard + self.lost_after
