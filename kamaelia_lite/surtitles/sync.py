"""Keep many displays showing the same content: a leader publishes, followers apply.

The protocol (sans-IO, portable to MicroPython: no typing, no f-strings):

* The leader publishes *content position*, never a scroll fraction: a state dict such as
  ``CueDeck.shown()`` (cue id, position, texts per language, blackout, freeze) or a
  teleprompter's (word index, speed step, playing). Each new state gets the next ``version``.
* Every datagram carries the *whole* state, so any one datagram brings a display up to date.
  A new state is sent at once and repeated a few times soon after (``repeats``) to ride out
  loss; after that the leader repeats it every ``snapshot_period`` seconds (default 0.5 s), so
  a display that joins late, or missed everything, shows the current cue within that period.
* A follower applies a state only when its (epoch, version) is newer than what it shows, so
  repeats, reordering and replays never move a display backwards. ``epoch`` identifies a
  leader run (wall-clock ms when it starts publishing, above any epoch it heard): a restarted
  leader (a higher epoch) takes over; a lower epoch is accepted only after ``stale_after``
  seconds without the current one.
* Every datagram is authenticated with HMAC-SHA256 and a shared key
  (``kamaelia_lite.net.auth.DatagramAuthenticator``): datagrams without the key are dropped and
  counted (``SyncFollower.forged``), so nobody on the LAN can put text on the screens.
* Nothing here touches the network or a clock: callers pass ``now`` (seconds) in, send the
  bytes that come out, and feed received bytes in. ``SyncLeaderComponent`` /
  ``SyncFollowerComponent`` (in ``sync_components``) wrap the state machines for the microaxon
  runtime; any datagram
  transport (UDP/multicast, reliable multicast) or stream transport (TCP, with
  ``encode_stream_frame`` / ``StreamFrameDecoder``) carries the bytes.

Wire format of the payload inside the authenticated datagram::

    b"KLS1" | JSON object {"e": epoch, "v": version, "t": leader send time (ms), "s": state,
                           "p": leader priority, "r": leader run id}
    b"KLH1" | JSON object {"d": display id, "l": [languages], "e": epoch, "v": version}   (heartbeat)

Several leaders (a primary and hot backups sharing the key) agree on who publishes, each on
its own, from what it hears of the others (``SyncLeader.hear``):

* rank = (priority, run id); the run id is random per leader run, so two ranks never tie;
* a leader starts standing by and publishes only after ``hold`` seconds without hearing a
  higher-ranked leader; a publishing leader that hears a higher-ranked one stops at once;
* a leader that starts publishing takes a new epoch above every epoch it heard (and moves to a
  new one when it hears a lower-ranked leader on an epoch as high as its own), so followers,
  which take the newest epoch at once, follow the leader that leads without waiting;
* a leader standing by hands the live leader's state to its owner (``hear`` returns it), so a
  backup takes over from the cue the audience sees, and a returning primary continues from
  where the backup got to.

Followers send heartbeats back (``encode_heartbeat``); a leader counts them with
``DisplayHealth`` (live displays per language, and which went silent).

A leader restarted on a saved position (``SyncLeader.listen``) first hears the displays: it
sends nothing for a bounded window while their heartbeats say which (epoch, version) and which
cue each shows; then ``resume_choice`` compares the newest place any display shows with the
saved one (a display on a leader run begun after the record was saved, or whose cue deck counted
more changes than the record's ``version``, is newer; the record is written after a state goes
out, so without counts it can only lag behind what the displays got), and when the displays are
newer the leader waits (bounded again) for its owner to move there before it publishes: a
restart never takes the audience back. No display answering: the saved record.
"""

import json

try:
    import time as _time
except ImportError:  # pragma: no cover
    _time = None

# what a follower needs lives in sync_follow (a display loads only that); re-exported here
from kamaelia_lite.surtitles.sync_follow import (  # noqa: F401
    HEARTBEAT_MAGIC,
    MAGIC,
    LeaderWatch,
    SyncFollower,
    encode_heartbeat,
    make_authenticator,
)

DEFAULT_HOLD = 1.0
DEFAULT_SNAPSHOT_PERIOD = 0.5
DEFAULT_REPEATS = (0.02, 0.1)
DEFAULT_MAX_PAYLOAD = 1200      # fits one Ethernet-sized UDP datagram with the auth trailer
DEFAULT_RESUME_LISTEN = 1.5     # a restarted leader hears the displays this long (heartbeats: 1 s)
ADOPT_WAIT = 1.0                # then waits at most this long for its owner to move there


class StateTooLarge(ValueError):
    """A state whose encoding exceeds the leader's ``max_payload`` (a bug in the caller)."""


def open_datagram(authenticator, datagram):
    """(magic, body dict) of an authentic sync datagram (state or heartbeat), else None."""
    payload = authenticator.verify(datagram)
    if payload is None or payload[:4] not in (MAGIC, HEARTBEAT_MAGIC):
        return None
    try:
        body = json.loads(payload[4:])
    except Exception:
        return None
    if not isinstance(body, dict):
        return None
    return bytes(payload[:4]), body


def _stderr(msg):
    try:
        import sys
        sys.stderr.write(msg + "\n")
    except Exception:  # pragma: no cover - a device without stderr
        pass


def _wall_ms():
    if _time is None:
        return 0
    try:
        return int(_time.time() * 1000)
    except Exception:  # pragma: no cover
        return 0


class SyncLeader:
    """The publishing side. ``publish(state, now)`` and ``due(now)`` return datagrams to send.

    ``authenticator``: a DatagramAuthenticator (see ``make_authenticator``).
    ``snapshot_period``: seconds between full-state repeats when nothing changes.
    ``repeats``: delays (seconds after a change) of the quick extra sends of a new state.
    ``epoch``: this leader run's id (default: wall-clock ms now).
    ``max_payload``: largest payload in bytes before ``StateTooLarge``.
    ``priority``: rank among leaders sharing the key (higher leads; default 1, a backup 0).
    ``hold``: seconds to stand by, hearing no higher-ranked leader, before publishing (0: publish
    at once, a lone leader); once a higher rank was heard, at least two snapshot periods.
    ``first_hold``: the same at start (default ``hold``): a backup waits longer, so a primary
    started at the same moment, but slower to come up, is heard first. ``leading`` says whether this leader publishes now; ``takeovers``
    and ``yields`` count the changes.
    """

    def __init__(self, authenticator, snapshot_period=DEFAULT_SNAPSHOT_PERIOD, repeats=DEFAULT_REPEATS,
                 epoch=None, max_payload=DEFAULT_MAX_PAYLOAD, priority=1, hold=0.0, first_hold=None):
        if snapshot_period <= 0:
            raise ValueError("snapshot_period must be > 0")
        self.auth = authenticator
        self.snapshot_period = snapshot_period
        self.repeats = tuple(repeats)
        self.epoch = _wall_ms() if epoch is None else epoch
        self.max_payload = max_payload
        self.version = 0
        self.state = None
        self.sent = 0
        self._changed_at = 0.0
        self._pending_repeats = []
        self._next_snapshot = None
        self.priority = priority
        self.hold = hold
        self.first_hold = hold if first_hold is None else first_hold
        sid = authenticator.sender_id
        self.run = (sid[0] << 24) | (sid[1] << 16) | (sid[2] << 8) | sid[3]
        self.leading = hold <= 0
        self.top_epoch = self.epoch
        self.takeovers = 0
        self.yields = 0
        self._quiet_since = None       # standing by: silence from higher ranks counted from here
        self._heard_higher = False
        # resuming (see ``listen``): nothing goes out before ``quiet_until``
        self.quiet_until = None
        self.phase = None              # "listen" (hearing the displays), "adopt" (owner moving), None
        self.audience = None           # (epoch, version, place) newest that a display reported
        self.answered = {}             # display ids heard while listening
        self.heard_leader = False      # another leader heard (it, not the displays, says where)
        self._adopting = None
        self._saved_ms = None

    def rank(self):
        """(priority, run id): the higher rank leads."""
        return (self.priority, self.run)

    def hear(self, body, now):
        """Take in another leader's state datagram body (from ``open_datagram``). Returns the
        state to adopt (the live leader's, while this one stands by), else None."""
        try:
            other = (int(body.get("p", 0)), int(body.get("r", 0)))
            epoch = int(body["e"])
            state = body["s"]
        except Exception:
            return None
        if other[1] == self.run:
            return None                # our own datagram, looped back
        self.heard_leader = True
        if epoch > self.top_epoch:
            self.top_epoch = epoch
        if other > self.rank():
            self._quiet_since = now
            self._heard_higher = True
            if self.leading:
                self.leading = False
                self.yields += 1
                self._pending_repeats = []
        elif self.leading:
            if epoch >= self.epoch:    # a lower rank on our epoch or above: move above it
                self.epoch = self.top_epoch + 1
                self._pending_repeats = [now]
            return None
        return state if isinstance(state, dict) else None

    def listen(self, now, seconds=DEFAULT_RESUME_LISTEN, saved_ms=None):
        """Resuming from a saved position (made at wall-clock ``saved_ms``, when known): send
        nothing for ``seconds`` while the displays' heartbeats (``hear_display``) say what the
        audience sees; at ``quiet_until`` the owner asks ``resume_choice``. The state published
        meanwhile is kept, not sent."""
        if seconds > 0:
            self.quiet_until = now + seconds
            self.phase = "listen"
            self._saved_ms = saved_ms

    def hear_display(self, body):
        """Take in a display's heartbeat body (from ``open_datagram``) while listening: keeps
        the newest (epoch, version) reported with a cue place. A display behind the others
        (an older state) never counts; the epoch it reports raises this leader's epoch above
        it, so the displays take what this leader publishes next."""
        if self.phase != "listen":
            return
        e = body.get("e")
        v = body.get("v")
        place = body.get("s")
        if not isinstance(e, int) or not isinstance(v, int) or isinstance(e, bool):
            return
        if e > self.top_epoch:
            self.top_epoch = e
        if len(self.answered) < 1000:
            self.answered[str(body.get("d"))[:40]] = True
        if not isinstance(place, dict) or not isinstance(place.get("pos"), int):
            return
        if self.audience is None or (e, v) > (self.audience[0], self.audience[1]):
            self.audience = (e, v, place)

    def resume_choice(self, now):
        """At the end of ``listen``: (place, why). ``place`` is the displays' newest cue place
        (a dict with ``pos``, ``cue``, ``blackout``, ``freeze``, ``timed``) when the owner must
        move there before anything is published (this leader then waits for a state at that
        place, at most ``ADOPT_WAIT`` s), else None: the state held (the saved record) goes out.
        ``why`` says which and why, for the operator."""
        self.phase = None
        self.quiet_until = None
        if self.epoch <= self.top_epoch:
            self.epoch = self.top_epoch + 1        # above every epoch the displays showed
        mine = self.state if isinstance(self.state, dict) else {}
        seen = self.audience
        if self.heard_leader:
            return None, "another operator is live: following it, not the saved position"
        if seen is None:
            if self.answered:
                return None, "the displays did not say which cue they show: resumed from the saved position"
            return None, "no display answered: resumed from the saved position"
        place = seen[2]
        if _same_place(place, mine):
            return None, "the displays show the saved position"
        if mine.get("timed") and isinstance(mine.get("pos"), int) and place["pos"] <= mine["pos"]:
            return None, ("the show clock carried on to cue %s (the displays show cue %s): resumed "
                          "from the saved clock" % (mine.get("cue"), place.get("cue")))
        saved = self._saved_ms
        theirs, ours = place.get("version"), mine.get("version")
        if not (isinstance(saved, (int, float)) and seen[0] > saved) and isinstance(theirs, int) \
                and isinstance(ours, int) and theirs < ours:
            # the same run made both (its epoch is older than the record) and the displays' count
            # of changes is behind the record's: they missed the last change, the record is newer
            return None, ("the displays show cue %s, older than the saved cue %s (they missed the "
                          "last change): resumed from the saved position" % (place.get("cue"), mine.get("cue")))
        self.phase = "adopt"
        self.quiet_until = now + ADOPT_WAIT
        self._adopting = place
        why = ("the displays show cue %s, newer than the saved cue %s (the position was not saved "
               "before the operator stopped)" % (place.get("cue"), mine.get("cue")))
        if place.get("timed"):
            why += "; the show clock starts again from that cue's start time"
        return place, why

    def _take_over(self, now):
        self.leading = True
        self.takeovers += 1
        self.epoch = max(_wall_ms(), self.top_epoch + 1)
        self.top_epoch = self.epoch
        self._pending_repeats = [now] + [now + d for d in self.repeats]
        self._next_snapshot = now + self.snapshot_period

    def takeover_at(self, now):
        """When a leader standing by will publish if it hears no higher rank (None: leading)."""
        if self.leading:
            return None
        if self._quiet_since is None:
            self._quiet_since = now
        return self._quiet_since + self._wait()

    def _wait(self):
        # after hearing a higher rank, its silence must last two snapshot periods at least
        if self._heard_higher:
            return max(self.hold, 2 * self.snapshot_period)
        return self.first_hold if self.takeovers == 0 else self.hold

    def encode(self, state, now):
        """The payload (before signing) for ``state`` at the current version."""
        body = {"e": self.epoch, "v": self.version, "t": int(now * 1000) & 0x7FFFFFFF, "s": state,
                "p": self.priority, "r": self.run}
        payload = MAGIC + json.dumps(body).encode()
        if len(payload) > self.max_payload:
            raise StateTooLarge("sync state is %d bytes, more than max_payload=%d; shorten the cue texts "
                                "or raise max_payload" % (len(payload), self.max_payload))
        return payload

    def publish(self, state, now):
        """Make ``state`` (a JSON-able dict) current: returns the datagrams to send now.

        A state equal to the current one is not a change (returns []). Raises StateTooLarge
        (and keeps the previous state) when it does not fit one datagram. A leader standing by
        keeps the state and sends nothing.
        """
        if state == self.state:
            return []
        self.version += 1
        try:
            payload = self.encode(state, now)
        except StateTooLarge:
            self.version -= 1
            raise
        self.state = state
        self._changed_at = now
        self._pending_repeats = [now + d for d in self.repeats]
        self._next_snapshot = now + self.snapshot_period
        if self.phase == "adopt" and isinstance(state, dict) and _same_place(self._adopting, state):
            self.phase = self.quiet_until = self._adopting = None      # the owner is there: publish
        if not self.leading:
            self._pending_repeats = []
            return []
        if self.quiet_until is not None:
            self._pending_repeats = [now]          # sent by ``due`` when the quiet ends
            return []
        return [self._sign(payload)]

    def due(self, now):
        """Datagrams due at ``now`` (quick repeats of a change, then periodic snapshots); a
        leader standing by that heard no higher rank for ``hold`` seconds takes over here."""
        if not self.leading:
            if self.takeover_at(now) > now:
                return []
            self._take_over(now)
        if self.quiet_until is not None:
            if now < self.quiet_until or self.phase == "listen":
                return []                  # (the end of listening is the owner's: resume_choice)
            self.phase = self.quiet_until = self._adopting = None    # owner never moved: go on
            self._pending_repeats = [now]
        if self.state is None:
            return []
        send = False
        while self._pending_repeats and self._pending_repeats[0] <= now:
            self._pending_repeats.pop(0)
            send = True
        if self._next_snapshot is not None and self._next_snapshot <= now:
            send = True
            self._next_snapshot = now + self.snapshot_period
        if not send:
            return []
        return [self._sign(self.encode(self.state, now))]

    def next_due(self):
        """The time at which ``due`` next has something to do (None: nothing until a state)."""
        q = self.quiet_until
        if not self.leading:
            t = self._quiet_since + self._wait() if self._quiet_since is not None else 0.0
            return t if q is None or t < q else q
        if q is not None:
            return q
        if self.state is None:
            return None
        t = self._next_snapshot
        if self._pending_repeats and self._pending_repeats[0] < t:
            t = self._pending_repeats[0]
        return t

    def _sign(self, payload):
        self.sent += 1
        return self.auth.sign(payload)


def _same_place(a, b):
    """True when two cue states (or heartbeat places) show the same cue the same way."""
    return (a.get("pos") == b.get("pos") and bool(a.get("blackout")) == bool(b.get("blackout"))
            and bool(a.get("freeze")) == bool(b.get("freeze")))


class DisplayHealth:
    """The leader's view of its displays, from their heartbeats (pure; ``now`` in seconds).

    ``heartbeat(body, now)`` records one (a body from ``open_datagram``) and returns
    ``CHANGED`` when the live displays changed with it (a new display, one back from silence, or
    other languages), ``SAME`` when a live display is still live, False when the body is not a
    well-formed heartbeat; a display is live
    while its last heartbeat is under ``silent_after`` seconds old, then silent; silent ones
    are forgotten after ``forget_after`` seconds, and at most ``max_displays`` are remembered
    (the longest silent forgotten first). ``summary(now)`` gives
    ``{"live": n, "languages": {lang: n}, "silent": [display ids]}``, plus ``"back": [display
    ids]`` when displays that the previous summary named silent are live again, and ``"behind":
    [display ids]`` for live displays whose heartbeats said, for over ``silent_after`` s, that
    they show an older state than ``current`` (the leader's (epoch, version); None while it does
    not publish): their heartbeats get through but the states do not.
    """

    SAME = 1
    CHANGED = 2

    def __init__(self, silent_after=3.0, forget_after=600.0, max_displays=1000):
        self.silent_after = silent_after
        self.forget_after = forget_after
        self.max_displays = max_displays
        self.displays = {}             # id -> [last heard, languages, last seen current, behind]
        self.silent = []               # the silent ones in the last summary
        self.current = None            # (epoch, version) the leader publishes; None: not leading

    def heartbeat(self, body, now):
        """Record a heartbeat body: CHANGED, SAME, or False when it is not a well-formed heartbeat."""
        ident = body.get("d")
        langs = body.get("l")
        if not isinstance(ident, str) or not ident or not isinstance(langs, list):
            return False
        langs = [x[:35] for x in langs[:8] if isinstance(x, str)]   # BCP 47 tags fit in 35
        ident = ident[:40]              # the name as kept: a longer one is still one display
        if ident not in self.displays and len(self.displays) >= self.max_displays:
            oldest = None
            for k in self.displays:
                if oldest is None or self.displays[k][0] < self.displays[oldest][0]:
                    oldest = k
            del self.displays[oldest]
        old = self.displays.get(ident)
        e = body.get("e")
        v = body.get("v")
        cur = self.current
        if cur is None or "v" not in body or (isinstance(e, int) and isinstance(v, int) and (e, v) >= cur):
            ok_at = now                 # shows what the leader publishes (or cannot be judged)
        else:
            ok_at = now if old is None or now - old[0] > self.silent_after else old[2]   # (new or back: from now)
        behind = now - ok_at > self.silent_after
        self.displays[ident] = [now, langs, ok_at, behind]
        if old is None or now - old[0] > self.silent_after or old[1] != langs or old[3] != behind:
            return self.CHANGED
        return self.SAME

    def summary(self, now):
        """Live displays in all and per language, the ids of the silent ones, and of those
        silent in the last summary that are live again ("back", only when there are some)."""
        live = 0
        per = {}
        silent = []
        back = []
        behind = []
        gone = []
        for ident in self.displays:
            heard, langs, _, late = self.displays[ident]
            age = now - heard
            if age > self.forget_after:
                gone.append(ident)
            elif age > self.silent_after:
                silent.append(ident)
            else:
                live += 1
                for lang in (langs or ["all"]):
                    per[lang] = per.get(lang, 0) + 1
                if ident in self.silent:
                    back.append(ident)
                if late:
                    behind.append(ident)
        for ident in gone:
            del self.displays[ident]
        silent.sort()
        self.silent = silent
        out = {"live": live, "languages": per, "silent": silent}
        if back:
            back.sort()
            out["back"] = back
        if behind:
            behind.sort()
            out["behind"] = behind
        return out

    def next_change(self, now):
        """The earliest time a live display would turn silent (None if none is live)."""
        t = None
        for ident in self.displays:
            due = self.displays[ident][0] + self.silent_after
            if due >= now and (t is None or due < t):
                t = due
        return t


def format_health(summary):
    """``3 live (en 2, fr 1); silent: d-2`` (``; back: d-4``, ``; behind: d-5``) for a console line."""
    langs = summary["languages"]
    parts = ["%s %d" % (k, langs[k]) for k in sorted(langs)]
    text = "%d live" % summary["live"]
    if parts:
        text += " (" + ", ".join(parts) + ")"
    if summary["silent"]:
        text += "; silent: " + " ".join(summary["silent"])
    if summary.get("back"):
        text += "; back: " + " ".join(summary["back"])
    if summary.get("behind"):
        text += "; behind: " + " ".join(summary["behind"])
    return text


# -------------------------------------------------------------- stream transports (TCP)

def encode_stream_frame(datagram):
    """A datagram framed for a byte stream: 2-byte big-endian length, then the bytes."""
    n = len(datagram)
    if n > 0xFFFF:
        raise ValueError("sync datagram of %d bytes is too large for a stream frame" % n)
    return bytes([n >> 8, n & 0xFF]) + bytes(datagram)


class StreamFrameDecoder:
    """Reassembles stream frames into datagrams; bounded to ``max_frame`` bytes per frame.

    ``feed(data)`` returns the complete datagrams; a frame longer than ``max_frame`` raises
    ValueError (the connection should then be closed: the peer is not speaking this protocol).
    The frames complete before the bad length are returned first, and the error is raised by
    the next ``feed`` (and every one after), so a stream split anywhere reads the same.
    """

    def __init__(self, max_frame=4096):
        self.max_frame = max_frame
        self._buf = b""
        self._error = None

    def feed(self, data):
        if self._error is not None:
            raise ValueError(self._error)
        self._buf += bytes(data)
        out = []
        while len(self._buf) >= 2:
            n = (self._buf[0] << 8) | self._buf[1]
            if n > self.max_frame:
                self._buf = b""
                self._error = "sync frame of %d bytes exceeds max_frame=%d" % (n, self.max_frame)
                if out:
                    return out
                raise ValueError(self._error)
            if len(self._buf) < 2 + n:
                break
            out.append(self._buf[2:2 + n])
            self._buf = self._buf[2 + n:]
        return out
