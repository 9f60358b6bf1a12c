"""``SubtitlePlayer``: a component that emits the showing cues of subtitle tracks at their times
(timer waits), steered by the shared commands. Tracks come from ``kamaelia_lite.surtitles.subtitles``."""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import is_command
from kamaelia_lite.surtitles.subtitles import _as_tracks, parse_player_command
from microaxon import component, now, producerFinished

__all__ = ["SubtitlePlayer"]


class SubtitlePlayer(component):
    """Plays subtitle tracks against the clock: at each cue change sends what shows.

    ``tracks``: a SubtitleTrack, or {language: SubtitleTrack} for several languages at once.
    ``start_ms``: media time to start from; ``playing``: start playing at once (default True);
    ``at_end``: "exit" (send producerFinished on signal, then finish) or "hold"
    (keep running, e.g. to be sought back).

    outbox: state dicts like ``CueDeck.shown()``: ``cue`` (the primary language's cue index
    as a str, or None), ``texts`` {language: text}, ``media_ms``, ``blackout``, ``freeze``,
    ``playing`` — fit for SubtitleDisplay or SyncLeaderComponent.
    inbox: commands (tuples, or text lines parsed by ``parse_player_command``): play, pause,
    toggle, rewind, seek S, skip N (N seconds), next/prev (to the next/previous cue start),
    cue N (to cue number N of the primary language), blackout, freeze, quit.
    errors: ``("error", command, message)`` for each rejected command.

    Waits on a timer until the next cue boundary; never polls.
    """

    Inboxes = {"inbox": "commands", "control": "shutdown signals"}
    Outboxes = {"outbox": "state dicts at cue changes", "signal": "shutdown signals",
                "errors": "messages about rejected commands"}

    tracks = None
    start_ms = 0
    playing = True
    at_end = "exit"

    def __init__(self, tracks=None, **argd):
        super().__init__(**argd)
        if tracks is not None:
            self.tracks = tracks
        self.tracks = _as_tracks(self.tracks or {})
        langs = sorted(self.tracks)
        self.primary = langs[0] if langs else None
        self.position_ms = int(self.start_ms)  # media time when paused / at _origin
        self._origin = None                    # clock time at media 0 while playing
        self.blackout = False
        self.freeze = False
        self._last = None

    # -- media time
    def media_ms(self):
        """The current media time in ms."""
        if self._origin is None:
            return self.position_ms
        return int((now() - self._origin) * 1000)

    def _seek(self, ms):
        ms = max(0, int(ms))
        self.position_ms = ms
        if self._origin is not None:
            self._origin = now() - ms / 1000.0

    def _play(self, on):
        if on and self._origin is None:
            self._origin = now() - self.position_ms / 1000.0
        elif not on and self._origin is not None:
            self.position_ms = self.media_ms()
            self._origin = None

    def state_at(self, ms):
        """The state dict for media time ``ms``."""
        texts = {}
        cue = None
        for lang in self.tracks:
            t = self.tracks[lang].text_at(ms)
            if t and not self.blackout:
                texts[lang] = t
        if self.primary is not None:
            active = self.tracks[self.primary].active_at(ms)
            if active:
                cue = str(active[0].index)
        return {"cue": cue, "texts": texts, "media_ms": ms, "blackout": self.blackout,
                "freeze": self.freeze, "playing": self._origin is not None}

    def _next_change(self, ms):
        best = None
        for lang in self.tracks:
            t = self.tracks[lang].next_change_after(ms)
            if t is not None and (best is None or t < best):
                best = t
        return best

    def _cue_starts(self):
        if self.primary is None:
            return []
        return [c.start_ms for c in self.tracks[self.primary].cues]

    def apply(self, cmd):
        """Apply one command tuple (see the class docstring); ValueError if not understood."""
        name = cmd[0]
        if name == "play":
            self._play(True)
        elif name == "pause":
            self._play(False)
        elif name == "toggle":
            self._play(self._origin is None)
        elif name == "rewind":
            self._seek(0)
        elif name == "seek":
            self._seek(cmd[1] * 1000)
        elif name == "skip":
            self._seek(self.media_ms() + cmd[1] * 1000)
        elif name == "next":
            ms = self.media_ms()
            later = [t for t in self._cue_starts() if t > ms]
            if later:
                self._seek(later[0])
        elif name == "prev":
            ms = self.media_ms()
            starts = self._cue_starts()
            earlier = [t for t in starts if t < ms - 500] or starts[:1]
            if earlier:
                self._seek(earlier[-1])
        elif name in ("cue", "goto"):
            starts = self._cue_starts()
            try:
                n = int(cmd[1])
            except ValueError:
                raise ValueError("cue: expected a cue number 1..%d" % len(starts)) from None
            if not 1 <= n <= len(starts):
                raise ValueError("cue: no cue %s (1..%d)" % (cmd[1], len(starts)))
            self._seek(starts[n - 1])
        elif name == "blackout":
            self.blackout = (not self.blackout) if cmd[1] is None else cmd[1]
        elif name == "freeze":
            self.freeze = (not self.freeze) if cmd[1] is None else cmd[1]
        else:
            raise ValueError("the subtitle player does not take %r" % (name,))

    def _emit(self, force=False):
        st = self.state_at(self.media_ms())
        if self.freeze and self._last is not None and not force:
            return
        key = (st["cue"], st["texts"], st["blackout"], st["playing"])
        if self._last != key:
            self._last = key
            self.send(st, "outbox")

    def main(self):
        self._play(bool(self.playing))
        self._emit()
        while True:
            if passed_shutdown_on(self):
                return
            while self.dataReady("inbox"):
                cmd = line = self.recv("inbox")
                try:
                    if not is_command(cmd):
                        cmd = parse_player_command(cmd)
                    if cmd[0] == "quit":
                        self.send(producerFinished(self), "signal")
                        return
                    was_frozen = self.freeze
                    self.apply(cmd)
                    self._emit(force=was_frozen and not self.freeze)
                except (ValueError, KeyError) as exc:
                    self.send(("error", line, str(exc.args[0] if exc.args else exc)), "errors")
            self._emit()
            timeout = None
            if self._origin is not None:
                ms = self.media_ms()
                nxt = self._next_change(ms)
                if nxt is None:
                    if self.at_end == "exit":
                        self.send(producerFinished(self), "signal")
                        return
                else:
                    timeout = max(0.0, (nxt - ms) / 1000.0) + 0.0005
            self.pause(timeout)
            yield 1
