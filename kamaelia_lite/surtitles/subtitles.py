"""Subtitles: read SRT/WebVTT files tolerantly (the player and the display live beside it).

* ``parse_subtitles(data, fmt=None, name=None)`` / ``load_subtitles(path)`` -> ``SubtitleTrack``:
  the portable front end in ``subtitle_text`` repairs what it can (BOM, CRLF, encodings, missing
  indices, bad arrows, overlaps) and reports the rest by line number; on CPython the repaired
  blocks are then parsed by the ``srt`` / ``webvtt-py`` packages (so cue markup, entities and cue
  settings are handled as those packages do); without them (MicroPython) the portable parser's
  result is used as is.
* ``parse_player_command(line)``: the player's control lines (the shared commands plus ``seek``).
* The components: ``SubtitlePlayer`` (``subtitles_components``: emits the showing cues at their
  times) and ``SubtitleDisplay`` (``kamaelia_lite.displays.subtitle_display``: renders cue text
  through the canvas, centred and wrapped, in one or several languages).
"""
from kamaelia_lite.surtitles.commands import CommandError, parse_command
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

__all__ = [
    "Cue",
    "Problem",
    "SubtitleTrack",
    "parse_subtitles",
    "load_subtitles",
    "SRT",
    "VTT",
    "format_ms",
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
            if len(subs) > 1:       # the package found a cue in the text (reported): keep it all
                texts.append(plain_text("\n".join(rb.lines)))
                continue
            texts.append(plain_text(subs[0].content) if subs else "")
        except Exception as exc:
            skipped.append(Problem(rb.line, "srt package rejected the cue: %s" % exc))
            texts.append(None)
    return texts


def _texts_via_webvtt(_webvtt, rblocks, skipped):
    """As _texts_via_srt, with ``webvtt-py`` (its raw cue text, so ``plain_text`` keeps italics and speaker names)."""
    doc = "WEBVTT\n\n" + "\n".join(rb.vtt_text() for rb in rblocks)
    try:
        caps = list(_webvtt.from_string(doc))
        if len(caps) == len(rblocks):
            return [_vtt_text(rb, c) for rb, c in zip(rblocks, caps)]
    except Exception:
        pass
    texts = []
    for rb in rblocks:
        try:
            caps = list(_webvtt.from_string("WEBVTT\n\n" + rb.vtt_text()))
            texts.append(_vtt_text(rb, caps[0]) if caps else "")
        except Exception as exc:
            skipped.append(Problem(rb.line, "webvtt-py rejected the cue: %s" % exc))
            texts.append(None)
    return texts


def _vtt_text(rb, caption):
    """A cue's display text from webvtt-py's caption; a cue whose text holds "-->" (handed to
    webvtt-py escaped, reported by repair_blocks) is taken from its own lines, as written."""
    for ln in rb.lines:
        if "-->" in ln:
            return plain_text("\n".join(rb.lines))
    return plain_text(caption.raw_text)


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
        if t != t or t - t != 0:        # nan, or +-inf (1e400 reads as inf)
            raise CommandError("seek: expected a finite time in seconds, got %r" % words[1])
        if t < 0:
            raise CommandError("seek: the time must not be negative")
        return ("seek", t)
    return parse_command(line)


def _as_tracks(tracks):
    if isinstance(tracks, SubtitleTrack):
        return {tracks.language or "und": tracks}
    return dict(tracks)
