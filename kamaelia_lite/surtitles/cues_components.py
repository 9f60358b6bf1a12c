"""``CuePlayer``: the operator's cue player component, wrapping a ``CueDeck`` of
``kamaelia_lite.surtitles.cues`` (commands in, what the audience sees out)."""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import is_command, parse_command
from kamaelia_lite.surtitles.cues import CueDeck, CueList, format_operator_view, load_cue_list
from microaxon import component, now, producerFinished

__all__ = ["CuePlayer"]


class CuePlayer(component):
    """The operator's cue player: commands in, what the audience sees out.

    ``cues``: a CueList, or a path to a cue-list file. ``language``: the language of the
    operator view's summaries (default: the list's first).

    inbox: command tuples or text lines (``kamaelia_lite.surtitles.commands``): next, prev, cue ID,
    scene NAME, goto N, rewind, end, blackout [on|off], freeze [on|off], clear, status, quit.
    outbox: ``CueDeck.shown()`` dicts, sent at start and whenever what the audience sees
    changes (for SubtitleDisplay, or SyncLeaderComponent to reach many displays).
    operator: after every command, ``{"view": operator_view(), "text": three-line summary}``.
    errors: ``("error", command, message)`` for each rejected command (unknown cue, bad
    syntax...); nothing stops.

    ``timed=True`` starts timed playback (a list built from SRT/WebVTT: each cue at its start
    time, held until the next) at once; ``play``/``go`` starts it later, ``pause`` stops the
    clock. Manual moves keep working while timed: the clock carries on from the cue moved to.
    """

    Inboxes = {"inbox": "commands (tuples or lines)", "control": "shutdown signals"}
    Outboxes = {"outbox": "audience state dicts", "operator": "operator view after each command",
                "errors": "messages about rejected commands", "signal": "shutdown signals"}

    cues = None
    language = None
    timed = False

    def __init__(self, cues=None, **argd):
        super().__init__(**argd)
        if cues is not None:
            self.cues = cues
        if isinstance(self.cues, str):
            self.cues = load_cue_list(self.cues)
        if self.cues is None:
            self.cues = CueList()
        if self.language is None and self.cues.languages:
            self.language = self.cues.languages[0]
        self.deck = CueDeck(self.cues)
        self._sent_version = None

    def _publish(self):
        if self.deck.version != self._sent_version:
            self._sent_version = self.deck.version
            self.send(self.deck.shown(), "outbox")
        view = self.deck.operator_view()
        self.send({"view": view, "text": format_operator_view(view, self.language)}, "operator")

    def handle(self, cmd):
        """Apply one command (tuple or line). Returns False for quit; errors go to "errors"."""
        line = cmd
        try:
            if not is_command(cmd):
                cmd = parse_command(cmd)
            if cmd[0] == "quit":
                return False
            if cmd[0] != "status":
                self.deck.apply(cmd, int(now() * 1000))
        except (ValueError, KeyError) as exc:
            self.send(("error", line, str(exc.args[0] if exc.args else exc)), "errors")
        return True

    def main(self):
        if self.timed and not self.deck.timed:     # (a resumed deck keeps its own clock)
            self.deck.set_timed(True, int(now() * 1000))
        self._publish()
        while True:
            while self.dataReady("inbox"):
                if not self.handle(self.recv("inbox")):
                    self.send(producerFinished(self), "outbox")
                    self.send(producerFinished(self), "signal")
                    return
                self._publish()
            if passed_shutdown_on(self):
                return
            due = self.deck.tick(int(now() * 1000))
            if self.deck.version != self._sent_version:
                self._publish()
                due = self.deck.tick(int(now() * 1000))
            if not self.anyReady():
                self.pause(None if due is None else max(0.0, due / 1000.0 - now()) + 0.0005)
            yield 1
