"""Operator cue lists for surtitles: the cue file, the deck that moves through it, the player.

* ``CueList``: numbered cues, each with an id, a scene and its text in one or more languages.
  Read from a cue-list file (``parse_cue_list`` / ``load_cue_list``, format below) or built from
  one subtitle track per language (``CueList.from_tracks``, cues aligned by time).
* ``CueDeck``: the operator's position in a CueList, pure logic: next, previous, jump to a cue
  or a scene, blackout, freeze. ``shown()`` is what the audience sees (a content position, never
  a scroll fraction), ``operator_view()`` the previous / current / next cues for the console.
* ``CuePlayer`` (in ``cues_components``): a component wrapping a CueDeck: commands from ``kamaelia_lite.surtitles.commands``
  on ``inbox``, what the audience sees on ``outbox`` (dicts, for SubtitleDisplay or SyncLeader),
  the operator view on ``"operator"``, rejected commands explained on ``"errors"``.

Cue-list file format (UTF-8 text; ``#`` starts a comment line; blank lines are ignored)::

    languages: en fr            # optional: the languages, in display order
    scene: Act 1                # the scene of the cues that follow
    cue: 1                      # a new cue with id "1" (ids are any word without blanks)
    en: Where is she?           # a line of the cue in English; repeat the key for more lines
    fr: Où est-elle ?
    cue: 1a                     # a cue with no text lines is a blank (nothing is shown)
    cue: 2
    en: The second cue

``cue:`` with no id numbers the cue after the previous one. Problems (unknown line, duplicate
id, text before any cue) are reported with their line numbers in ``CueList.problems``; the rest
of the file still loads. Pure logic (everything except CuePlayer) is portable to MicroPython.
"""

from kamaelia_lite.surtitles.subtitle_text import Problem, decode_subtitle_bytes, strip_markup


class CueEntry:
    """One cue: ``ident`` (str), ``scene`` (str or ""), ``texts`` {language: text},
    ``number`` (1-based position), ``line`` (file line), ``start_ms``/``end_ms`` (None unless
    built from timed subtitles)."""

    __slots__ = ("ident", "scene", "texts", "number", "line", "start_ms", "end_ms")

    def __init__(self, ident, scene="", texts=None, line=0, start_ms=None, end_ms=None):
        self.ident = ident
        self.scene = scene
        self.texts = texts if texts is not None else {}
        self.number = 0
        self.line = line
        self.start_ms = start_ms
        self.end_ms = end_ms

    def text(self, language):
        """The cue's text in ``language`` ("" when it has none)."""
        return self.texts.get(language, "")

    def summary(self, language=None):
        """A one-line description for the operator: id, scene and (first language) text
        (without the italics marks)."""
        if language is None:
            language = first_key(self.texts)
        t = self.texts.get(language, "") if language else ""
        t = strip_markup(t).replace("\n", " / ")
        if not t:
            t = "(blank)"
        if self.scene:
            return "%s [%s] %s" % (self.ident, self.scene, t)
        return "%s %s" % (self.ident, t)

    def __repr__(self):
        return "CueEntry(%r, %r, %r)" % (self.ident, self.scene, self.texts)


def first_key(d):
    """The smallest key of a dict (a stable choice on every platform), or None."""
    best = None
    for k in d:
        if best is None or k < best:
            best = k
    return best


class CueList:
    """An ordered list of CueEntry with lookup by id and by scene.

    ``languages`` lists the languages in display order; ``problems`` the Problems met while
    reading (line-numbered; nothing else was lost).
    """

    def __init__(self, entries=None, languages=None, problems=None):
        self.entries = []
        self.by_id = {}
        self.languages = list(languages) if languages else []
        self.problems = problems if problems is not None else []
        for e in entries or ():
            self.append(e)

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, i):
        return self.entries[i]

    def append(self, entry):
        """Add a cue; a duplicate id is renamed ``id~2`` and reported."""
        ident = entry.ident
        if ident in self.by_id:
            n = 2
            while "%s~%d" % (ident, n) in self.by_id:
                n += 1
            new = "%s~%d" % (ident, n)
            self.problems.append(Problem(entry.line, "duplicate cue id %r renamed %r" % (ident, new)))
            entry.ident = new
        entry.number = len(self.entries) + 1
        self.by_id[entry.ident] = len(self.entries)
        self.entries.append(entry)
        for lang in entry.texts:
            if lang not in self.languages:
                self.languages.append(lang)

    def index_of(self, ident):
        """Position of cue ``ident`` (str), or -1."""
        return self.by_id.get(str(ident), -1)

    def scene_start(self, name):
        """Position of the first cue of the scene called ``name`` (case-insensitive; a unique
        prefix will do), or -1."""
        want = name.strip().lower()
        prefix = -1
        for i in range(len(self.entries)):
            scene = self.entries[i].scene.lower()
            if scene == want:
                return i
            if prefix < 0 and scene.startswith(want):
                prefix = i
        return prefix

    def scenes(self):
        """Scene names in order of first appearance."""
        out = []
        for e in self.entries:
            if e.scene not in out:
                out.append(e.scene)
        return out

    @classmethod
    def from_tracks(cls, tracks, primary=None):
        """Build a cue list from subtitle tracks, one per language ({language: SubtitleTrack}).

        The ``primary`` language's cues (default: the first in sorted order) define the cue
        list; each other language contributes the cue that overlaps it most in time (cues
        that overlap nothing are reported in ``problems``). Ids are the numbers the primary
        file gave its cues (SRT indices, WebVTT ids), so a printed cue sheet matches ``cue N``
        even when a broken cue was skipped; a cue without one is numbered after the previous.
        """
        langs = sorted(tracks)
        if primary is None:
            primary = langs[0]
        langs.remove(primary)
        order = [primary] + langs
        problems = []
        base = tracks[primary].cues
        entries = []
        auto = 0
        taken = {}
        for c in base:
            ident = c.ident.strip() if c.ident else ""
            if ident and " " not in ident and ident not in taken:
                if _is_int(ident):
                    auto = int(ident)
            else:
                auto += 1
                while str(auto) in taken:
                    auto += 1
                ident = str(auto)
            taken[ident] = 1
            entries.append(CueEntry(ident, "", {primary: c.text}, c.line, c.start_ms, c.end_ms))
        for lang in langs:
            used = {}
            for oc in tracks[lang].cues:
                best = -1
                best_overlap = 0
                for i in range(len(base)):
                    b = base[i]
                    overlap = min(b.end_ms, oc.end_ms) - max(b.start_ms, oc.start_ms)
                    if overlap > best_overlap:
                        best_overlap = overlap
                        best = i
                if best < 0:
                    problems.append(Problem(oc.line, "%s cue %d overlaps no %s cue; not used" % (lang, oc.index, primary)))
                    continue
                e = entries[best]
                if best in used:
                    e.texts[lang] = e.texts[lang] + "\n" + oc.text
                else:
                    e.texts[lang] = oc.text
                    used[best] = 1
        return cls(entries, order, problems)


def parse_cue_list(data):
    """Read the cue-list format (bytes or str; see the module docstring) into a CueList."""
    text, _enc, problems = decode_subtitle_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cl = CueList(problems=problems)
    scene = ""
    current = None
    auto = 0
    lineno = 0
    for raw in text.split("\n"):
        lineno += 1
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        colon = line.find(":")
        if colon <= 0:
            problems.append(Problem(lineno, "expected 'key: value'", line[:60]))
            continue
        key = line[:colon].strip().lower()
        value = line[colon + 1:].strip()
        if key == "languages":
            for lang in value.replace(",", " ").split():
                if lang.lower() not in cl.languages:
                    cl.languages.append(lang.lower())
        elif key == "scene":
            scene = value
        elif key == "cue":
            if current is not None:
                cl.append(current)
            if len(value.split()) > 1:      # a tab is a blank too: "cue a<TAB>b" cannot be typed
                problems.append(Problem(lineno, "cue id has blanks; using the first word", value))
                value = value.split()[0]
            if not value:
                auto += 1
                value = str(auto)
                while value in cl.by_id:
                    auto += 1
                    value = str(auto)
            elif _is_int(value):
                auto = int(value)
            current = CueEntry(value, scene, {}, lineno)
        elif len(key.split()) != 1 or "," in key or len(key) > 16:    # not a language code
            problems.append(Problem(lineno, "expected 'key: value'", line[:60]))
        elif current is None:
            problems.append(Problem(lineno, "text before the first 'cue:' line", line[:60]))
        else:
            old = current.texts.get(key)
            current.texts[key] = value if old is None else old + "\n" + value
    if current is not None:
        cl.append(current)
    problems.sort(key=_line_of)
    return cl


def load_cue_list(path):
    """``parse_cue_list`` on a file's contents."""
    with open(path, "rb") as f:
        return parse_cue_list(f.read())


def format_cue_list(cue_list):
    """Write a CueList in the cue-list format (``parse_cue_list`` reads it back)."""
    out = []
    if cue_list.languages:
        out.append("languages: " + " ".join(cue_list.languages))
    scene = None
    for e in cue_list.entries:
        if e.scene != scene:
            out.append("scene: " + e.scene)
            scene = e.scene
        out.append("cue: " + e.ident)
        for lang in cue_list.languages:
            t = e.texts.get(lang)
            if t is not None:           # "" too: an empty "en:" line reads back as one
                for ln in t.split("\n"):
                    out.append("%s: %s" % (lang, ln))
    return "\n".join(out) + "\n"


def _is_int(s):
    try:
        int(s)
        return True
    except ValueError:
        return False


def _line_of(p):
    return p.line


class CueDeck:
    """The operator's position in a CueList (pure logic, no I/O, no clock).

    Position -1 is "standing by" before the first cue (nothing shown). ``freeze`` keeps the
    audience on what it saw when freezing while the operator moves on (rehearsing, finding a
    place); unfreezing shows the operator's current cue. ``blackout`` blanks every display
    without moving. Each change that alters what the audience sees bumps ``version``.
    """

    def __init__(self, cue_list):
        self.cues = cue_list
        self.position = -1
        self.blackout = False
        self.freeze = False
        self.frozen_position = -1
        self.version = 0
        self.timed = False          # timed playback: cues follow their start times
        self._anchor = None         # (wall ms, media ms) of the running clock

    # -- timed playback (cue lists built from SRT/WebVTT, whose cues have start times)
    def has_times(self):
        """True when every cue has a start time (lists built from subtitle files)."""
        if not len(self.cues):
            return False
        for e in self.cues.entries:
            if e.start_ms is None:
                return False
        return True

    def media_ms(self, now_ms):
        """The show clock at wall time ``now_ms`` (None when not timed)."""
        if not self.timed or self._anchor is None:
            return None
        return self._anchor[1] + (now_ms - self._anchor[0])

    def _reanchor(self, now_ms):
        e = self.entry(self.position)
        self._anchor = (now_ms, e.start_ms if e is not None else 0)

    def set_timed(self, on, now_ms, media_ms=None):
        """Start (True), stop (False) or toggle (None) timed playback at wall time ``now_ms``.
        The clock starts from the current cue's start time (or from ``media_ms``, when
        given: a resumed show); manual moves keep working and the clock carries on from the
        cue moved to. ValueError when cues have no times."""
        on = (not self.timed) if on is None else bool(on)
        if on and not self.has_times():
            raise ValueError("this cue list has no times (build it from SRT/WebVTT files for timed playback)")
        if on != self.timed:
            self.timed = on
            self.version += 1
        if on and media_ms is not None:
            self._anchor = (now_ms, media_ms)
        elif on:
            self._reanchor(now_ms)
        else:
            self._anchor = None
        return self.version

    def tick(self, now_ms):
        """Timed playback: move to the cue due at ``now_ms`` (a cue is held until the next
        one starts, never blanked). Returns the wall time in ms of the next due change, or None."""
        m = self.media_ms(now_ms)
        if m is None:
            return None
        i = self.position
        n = len(self.cues)
        while i + 1 < n and self.cues[i + 1].start_ms <= m:
            i += 1
        if i != self.position:
            self._go(i)
        if i + 1 < n:
            return now_ms + (self.cues[i + 1].start_ms - m)
        return None

    # -- moving
    def next(self):
        """Go to the next cue (stays on the last)."""
        return self._go(min(self.position + 1, len(self.cues) - 1))

    def previous(self):
        """Go to the previous cue (back to standing by before the first)."""
        return self._go(max(self.position - 1, -1))

    def goto(self, ident):
        """Go to cue ``ident``; raises KeyError with a clear message when there is none."""
        i = self.cues.index_of(ident)
        if i < 0:
            raise KeyError("no cue %r" % (ident,))
        return self._go(i)

    def goto_scene(self, name):
        """Go to the first cue of scene ``name``; KeyError when there is no such scene."""
        i = self.cues.scene_start(name)
        if i < 0:
            raise KeyError("no scene %r (scenes: %s)" % (name, ", ".join(self.cues.scenes())))
        return self._go(i)

    def goto_position(self, i):
        """Go to position ``i`` (-1 .. len-1)."""
        if i < -1 or i >= len(self.cues):
            raise KeyError("no cue at position %d" % i)
        return self._go(i)

    def set_blackout(self, on=None):
        """Blackout on (True), off (False) or toggled (None)."""
        on = (not self.blackout) if on is None else bool(on)
        if on != self.blackout:
            self.blackout = on
            self.version += 1
        return self.version

    def set_freeze(self, on=None):
        """Freeze on/off/toggle. While frozen the audience keeps the cue it saw."""
        on = (not self.freeze) if on is None else bool(on)
        if on == self.freeze:
            return self.version
        self.freeze = on
        if on:
            self.frozen_position = self.position
        self.version += 1
        return self.version

    def _go(self, i):
        if i != self.position:
            self.position = i
            if not self.freeze:
                self.version += 1
        return self.version

    # -- views
    def live_position(self):
        """The position the audience sees (the frozen one while frozen)."""
        return self.frozen_position if self.freeze else self.position

    def entry(self, i):
        """The CueEntry at position ``i``, or None outside the list."""
        if 0 <= i < len(self.cues):
            return self.cues[i]
        return None

    def shown(self):
        """What the audience sees, as a dict (the state that SyncLeader publishes):
        ``cue`` id or None, ``pos`` position, ``scene``, ``texts`` {lang: text} (empty during
        blackout or standby), ``blackout``, ``freeze``, ``version``."""
        pos = self.live_position()
        e = self.entry(pos)
        texts = {}
        if e is not None and not self.blackout:
            texts = dict(e.texts)
        return {
            "cue": e.ident if e is not None else None,
            "pos": pos,
            "scene": e.scene if e is not None else "",
            "texts": texts,
            "blackout": self.blackout,
            "freeze": self.freeze,
            "timed": self.timed,
            "version": self.version,
        }

    def operator_view(self):
        """Previous / current / next CueEntry (or None) around the operator's position, plus
        ``live`` (the audience's entry), ``position``, ``count``, ``blackout``, ``freeze``,
        ``timed``, ``clock`` (the timed clock's anchor: (wall ms, media ms), or None) and
        ``version`` (of what the audience sees)."""
        p = self.position
        return {
            "clock": self._anchor,
            "previous": self.entry(p - 1),
            "current": self.entry(p),
            "next": self.entry(p + 1),
            "live": self.entry(self.live_position()),
            "position": p,
            "count": len(self.cues),
            "blackout": self.blackout,
            "freeze": self.freeze,
            "timed": self.timed,
            "version": self.version,
        }

    def apply(self, command, now_ms=None):
        """Apply a command tuple from ``kamaelia_lite.surtitles.commands``.

        Understood: next, prev, cue ID, scene NAME, goto N (cue number, 1-based), rewind
        (standby), end (last cue), blackout, freeze, clear (= blackout on); with ``now_ms``
        (wall ms): play / go (start timed playback of a list with times, else the next cue:
        GO), pause (stop the clock), toggle, ("timed", on) (timed playback on or off, from
        the current cue; nothing when it already is: a backup operator following a leader). Returns True when
        the command was understood; raises KeyError (unknown cue/scene) or ValueError (a
        command that means nothing to a cue list) with a message for the operator.
        """
        name = command[0]
        if name == "next":
            self.next()
        elif name == "prev":
            self.previous()
        elif name == "cue":
            self.goto(command[1])
        elif name == "scene":
            self.goto_scene(command[1])
        elif name == "goto":
            n = command[1]
            # a whole cue number (2.0 will do); never a bool, a fraction, nan or infinity
            if isinstance(n, bool) or not isinstance(n, (int, float)) or n != n or n - n != 0 or n != int(n):
                raise ValueError("goto: expected a cue number, got %r" % (n,))
            self.goto_position(int(n) - 1)
        elif name == "rewind":
            self._go(-1)
        elif name == "end":
            self._go(len(self.cues) - 1)
        elif name == "blackout":
            self.set_blackout(command[1])
        elif name == "freeze":
            self.set_freeze(command[1])
        elif name == "clear":
            self.set_blackout(True)
        elif name == "play" and (self.timed or not self.has_times() or now_ms is None):
            self.next()                     # GO
        elif name in ("play", "pause", "toggle") and now_ms is not None:
            self.set_timed({"play": True, "pause": False, "toggle": None}[name], now_ms)
        elif name == "timed" and now_ms is not None:
            if bool(command[1]) != self.timed:
                self.set_timed(bool(command[1]), now_ms)
        else:
            raise ValueError("the cue player does not take %r" % (name,))
        if self.timed and now_ms is not None and name not in ("blackout", "freeze", "clear", "pause", "toggle",
                                                              "timed"):
            self._reanchor(now_ms)          # a manual move: the clock carries on from there
        return True


def format_operator_view(view, language=None):
    """The operator view as three or four text lines (for a console or an operator screen)."""
    def line(label, e):
        return "%-8s %s" % (label, e.summary(language) if e is not None else "-")

    flags = []
    if view["blackout"]:
        flags.append("BLACKOUT")
    if view.get("timed"):
        flags.append("TIMED")
    if view["freeze"]:
        flags.append("FROZEN (audience sees %s)" % (view["live"].ident if view["live"] else "nothing"))
    out = [
        line("previous", view["previous"]),
        line("CURRENT", view["current"]) + "   (%d/%d)" % (view["position"] + 1, view["count"]),
        line("next", view["next"]),
    ]
    if flags:
        out.append("         " + " ".join(flags))
    return "\n".join(out)
