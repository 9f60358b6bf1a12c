"""Subtitles: read SRT/WebVTT files tolerantly, play them against a clock, show them.

* ``parse_subtitles(data, fmt=None, name=None)`` / ``load_subtitles(path)`` -> ``SubtitleTrack``:
  the portable front end in ``subtitle_text`` repairs what it can (BOM, CRLF, encodings, missing
  indices, bad arrows, overlaps) and reports the rest by line number; on CPython the repaired
  blocks are then parsed by the ``srt`` / ``webvtt-py`` packages (so cue markup, entities and cue
  settings are handled as those packages do); without them (MicroPython) the portable parser's
  result is used as is.
* ``SubtitlePlayer``: a component that emits the showing cues at their times (timer waits).
* ``SubtitleDisplay``: a component that renders cue text through the canvas, centred and wrapped,
  in one or several languages (each display chooses its own).
"""
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import CommandError, is_command, parse_command
from kamaelia_lite.surtitles.subtitle_text import (
    SRT,
    VTT,
    Cue,
    Problem,
    SubtitleTrack,
    _sort_problems,
    cues_from_blocks,
    decode_subtitle_bytes,
    detect_format,
    format_ms,
    parse_subtitles_portable,
    plain_text,
    repair_blocks,
)
from microaxon import component, now, producerFinished

__all__ = [
    "Cue",
    "Problem",
    "SubtitleTrack",
    "parse_subtitles",
    "load_subtitles",
    "SubtitlePlayer",
    "SubtitleDisplay",
    "SRT",
    "VTT",
    "format_ms",
    "render_subtitles",
    "SubtitleStyle",
]

_packages = []   # [srt module or None, webvtt module or None], imported on first parse


def _parsers():
    """The ``srt`` and ``webvtt`` packages (CPython's [subtitles] extra), or None where absent;
    imported on first use so displays that only show cues do not pay for them."""
    if not _packages:
        try:
            import srt
        except ImportError:  # pragma: no cover - MicroPython / minimal installs
            srt = None
        try:
            import webvtt
        except ImportError:  # pragma: no cover
            webvtt = None
        _packages.extend((srt, webvtt))
    return _packages


def parse_subtitles(data, fmt=None, name=None, language=None):
    """Read SRT or WebVTT from bytes (any encoding) or str; never raises on bad content.

    ``data`` bytes or str; ``fmt`` None, "srt" or "vtt"; ``name`` the file name (a hint);
    ``language`` a language code recorded on the track.

    Returns a SubtitleTrack whose ``skipped`` and ``warnings`` say exactly what was dropped or
    repaired, with line numbers. ``fmt`` forces "srt" or "vtt"; otherwise the header (and the
    file ``name``) decide.
    """
    text, enc, warnings = decode_subtitle_bytes(data)
    if fmt is None:
        fmt = detect_format(text, name)
    _srt, _webvtt = _parsers()
    if fmt == SRT and _srt is None or fmt == VTT and _webvtt is None:
        return parse_subtitles_portable(data, fmt, name, language)
    skipped = []
    rblocks = repair_blocks(text, fmt, skipped, warnings)
    if fmt == SRT:
        texts = _texts_via_srt(_srt, rblocks, skipped)
        parser = "srt"
    else:
        texts = _texts_via_webvtt(_webvtt, rblocks, skipped)
        parser = "webvtt-py"
    cues = cues_from_blocks(rblocks, texts, skipped, warnings)
    _sort_problems(skipped)
    _sort_problems(warnings)
    return SubtitleTrack(cues, skipped, warnings, enc, fmt, parser, language)


def load_subtitles(path, language=None):
    """``parse_subtitles`` on a file's bytes (the format from its header or extension)."""
    with open(path, "rb") as f:
        data = f.read()
    return parse_subtitles(data, name=path, language=language)


def _texts_via_srt(_srt, rblocks, skipped):
    """Parse the repaired blocks as one canonical SRT document with the ``srt`` package;
    if it rejects the document, parse block by block so only the bad block is lost."""
    doc = "\n".join(rb.srt_text(i + 1) for i, rb in enumerate(rblocks))
    try:
        subs = list(_srt.parse(doc))
        if len(subs) == len(rblocks):
            return [plain_text(s.content) for s in subs]
    except Exception:  # the package's own errors (SRTParseError, TimestampParseError...)
        pass
    texts = []
    for i, rb in enumerate(rblocks):
        try:
            subs = list(_srt.parse(rb.srt_text(i + 1)))
            texts.append(plain_text(subs[0].content) if subs else "")
        except Exception as exc:
            skipped.append(Problem(rb.line, "srt package rejected the cue: %s" % exc))
            texts.append(None)
    return texts


def _texts_via_webvtt(_webvtt, rblocks, skipped):
    """As _texts_via_srt, with ``webvtt-py`` (which strips cue markup such as <v Speaker>)."""
    doc = "WEBVTT\n\n" + "\n".join(rb.vtt_text() for rb in rblocks)
    try:
        caps = list(_webvtt.from_string(doc))
        if len(caps) == len(rblocks):
            return [plain_text(c.text) for c in caps]
    except Exception:
        pass
    texts = []
    for rb in rblocks:
        try:
            caps = list(_webvtt.from_string("WEBVTT\n\n" + rb.vtt_text()))
            texts.append(plain_text(caps[0].text) if caps else "")
        except Exception as exc:
            skipped.append(Problem(rb.line, "webvtt-py rejected the cue: %s" % exc))
            texts.append(None)
    return texts




# ------------------------------------------------------------------ the clock-driven player

def parse_player_command(line):
    """A control line for SubtitlePlayer: the shared vocabulary (``kamaelia_lite.surtitles.commands``)
    plus ``seek SECONDS`` (absolute media time, e.g. ``seek 83.5``) -> ("seek", seconds).
    Raises CommandError with a message for the operator."""
    words = line.split() if isinstance(line, str) else []
    if words and words[0].lower() == "seek":
        if len(words) != 2:
            raise CommandError("seek: expected a time in seconds, e.g. 'seek 83.5'")
        try:
            t = float(words[1])
        except ValueError:
            raise CommandError("seek: expected a time in seconds, got %r" % words[1]) from None
        if t < 0:
            raise CommandError("seek: the time must not be negative")
        return ("seek", t)
    return parse_command(line)


def _as_tracks(tracks):
    if isinstance(tracks, SubtitleTrack):
        return {tracks.language or "und": tracks}
    return dict(tracks)


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


# ------------------------------------------------------------------ the display

class SubtitleStyle:
    """How SubtitleDisplay draws: ``fg`` colour of the first language, ``alt`` colours of the
    others, ``bg``, ``size`` (text height, shrunk down to ``min_size`` to fit), ``margin``,
    ``gap`` between languages, ``valign`` "top" | "centre" | "bottom"."""

    def __init__(self, fg=(255, 255, 255), bg=(0, 0, 0), alt=((255, 220, 0), (0, 220, 255), (160, 255, 160)),
                 size=32, min_size=8, margin=8, gap=None, valign="centre"):
        self.fg = fg
        self.bg = bg
        self.alt = alt
        self.size = size
        self.min_size = min_size
        self.margin = margin
        self.gap = gap
        self.valign = valign

    def colour(self, i):
        if i == 0:
            return self.fg
        return self.alt[(i - 1) % len(self.alt)]


def render_subtitles(canvas, blocks, style, blackout=False):
    """Draw ``blocks`` [(language, text)] centred and wrapped on ``canvas``, then present.

    Shrinks the text until everything fits (down to ``style.min_size``). Blackout draws
    nothing but black. Returns the layout: a list of (language, [lines], y, size).
    """
    if blackout:
        canvas.fill((0, 0, 0))
        canvas.present()
        return []
    canvas.fill(style.bg)
    w = canvas.width - 2 * style.margin
    avail = canvas.height - 2 * style.margin
    size = style.size
    while True:
        lh = canvas.line_height(size)
        gap = style.gap if style.gap is not None else lh // 2
        wrapped = [(lang, canvas.wrap(text, w, size)) for lang, text in blocks if text]
        total = sum(len(lines) for _, lines in wrapped) * lh + gap * max(0, len(wrapped) - 1)
        if total <= avail or size <= style.min_size:
            break
        size = max(style.min_size, (size * 17) // 20)
    if style.valign == "top":
        y = style.margin
    elif style.valign == "bottom":
        y = canvas.height - style.margin - total
    else:
        y = (canvas.height - total) // 2
    layout = []
    for i, (lang, lines) in enumerate(wrapped):
        colour = style.colour(i)
        layout.append((lang, lines, y, size))
        for line in lines:
            tw = canvas.text_width(line, size)
            canvas.text(line, (canvas.width - tw) // 2, y, colour, size)
            y += lh
        y += gap
    canvas.present()
    return layout


class SubtitleDisplay(component):
    """Shows subtitle/cue states on a canvas: centred, wrapped, one or several languages.

    ``canvas``: any canvas backend (pygame, framebuf). ``languages``: the languages this
    display shows, in order (None: every language of the state, sorted). ``style``: a
    SubtitleStyle (or pass its fields: ``size``, ``fg``, ``bg``, ``valign``...).

    inbox: state dicts (``CueDeck.shown()``, SubtitlePlayer, SyncFollowerComponent), a plain
    str (shown as is), or command tuples / lines: ``language CODE`` (several: ``language
    en,fr``), ``blackout``, ``clear``, ``font N``/``font +N``, ``colour fg|bg ...``.
    outbox: after every frame, a dict ``{"cue", "version", "text", "languages", "blackout",
    "frame"}`` saying what is on the screen now (for tests, logs and followers' reports).
    """

    Inboxes = {"inbox": "states, text or commands", "control": "shutdown signals"}
    Outboxes = {"outbox": "what was shown, after each frame", "signal": "shutdown signals",
                "errors": "messages about rejected commands"}

    canvas = None
    languages = None
    style = None

    def __init__(self, canvas=None, languages=None, style=None, **argd):
        style_keys = ("fg", "bg", "alt", "size", "min_size", "margin", "gap", "valign")
        style_args = {}
        for k in style_keys:
            if k in argd:
                style_args[k] = argd.pop(k)
        super().__init__(**argd)
        if canvas is not None:
            self.canvas = canvas
        if self.canvas is None:
            raise ValueError("SubtitleDisplay needs a canvas")
        if languages is not None:
            self.languages = languages
        if isinstance(self.languages, str):
            self.languages = [x for x in self.languages.replace(",", " ").split()]
        self.style = style or self.style or SubtitleStyle(**style_args)
        self.state = {"cue": None, "texts": {}, "blackout": False}
        self.frames = 0
        self.layout = []

    def blocks(self, state):
        """[(language, text)] this display shows for ``state``."""
        texts = state.get("texts") or {}
        langs = self.languages if self.languages else sorted(texts)
        return [(lang, texts[lang]) for lang in langs if texts.get(lang)]

    def _command(self, cmd):
        name = cmd[0]
        if name == "language":
            self.languages = [x for x in cmd[1].replace(",", " ").replace("+", " ").split()]
        elif name == "blackout":
            on = not self.state.get("blackout") if cmd[1] is None else cmd[1]
            self.state = dict(self.state, blackout=on)
        elif name == "clear":
            self.state = {"cue": None, "texts": {}, "blackout": False}
        elif name == "font":
            self.style.size = cmd[1]
        elif name == "font_by":
            self.style.size = max(self.style.min_size, self.style.size + cmd[1])
        elif name == "colour" and cmd[1] in ("fg", "bg"):
            setattr(self.style, cmd[1], cmd[2])
        else:
            raise ValueError("the subtitle display does not take %r" % (name,))

    def draw(self):
        """Render the current state and report it on outbox."""
        blocks = self.blocks(self.state)
        blackout = bool(self.state.get("blackout"))
        self.layout = render_subtitles(self.canvas, blocks, self.style, blackout)
        self.frames += 1
        self.send({"cue": self.state.get("cue"), "version": self.state.get("version"),
                   "text": "" if blackout else "\n".join(t for _, t in blocks),
                   "languages": [lang for lang, _ in blocks], "blackout": blackout,
                   "frame": self.frames}, "outbox")

    def main(self):
        self.draw()
        while True:
            dirty = False
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                try:
                    if isinstance(msg, dict):
                        self.state = msg
                    elif is_command(msg):
                        self._command(msg)
                    elif isinstance(msg, str):
                        try:
                            self._command(parse_command(msg))
                        except CommandError:
                            self.state = {"cue": None, "texts": {"": msg}, "blackout": False}
                    elif isinstance(msg, producerFinished):
                        continue
                    else:
                        raise ValueError("cannot show %r" % (type(msg).__name__,))
                    dirty = True
                except ValueError as exc:
                    self.send(("error", msg, str(exc)), "errors")
            if dirty:
                self.draw()
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1
