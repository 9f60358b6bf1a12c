"""Fuzz targets for the surtitle show's pure logic: what files, the operator and the network feed it.

    python3 -m tools.fuzz.surtitles --list
    python3 -m tools.fuzz.surtitles TARGET -max_total_time=180 -timeout=2 -rss_limit_mb=1024

Targets (each feeds one kind of input the way the show meets it, and checks what the module
promises besides not raising):

* ``subtitles``: any bytes as an SRT/WebVTT file through ``parse_subtitles`` (the ``srt`` /
  ``webvtt-py`` packages behind the portable front end) and ``parse_subtitles_portable``: never
  raises; every cue plays (ends after it starts, has text); both parsers agree on the cue times
  unless the package's rejection is reported.
* ``cue_list``: any bytes as a cue-list file: loads, and ``format_cue_list`` writes back what
  ``parse_cue_list`` reads as the same list.
* ``commands``: any typed line through ``parse_command`` / ``parse_player_command`` /
  ``parse_control_line``: a command or CommandError; ``format_command`` round-trips; the command
  applied to a deck is taken or refused with the KeyError/ValueError the cue player reports.
* ``operator``: a session of typed lines and clock ticks on a timed deck, the console model
  following it, and the resume record of every step read back onto a fresh deck.
* ``resume``: any bytes as a saved-position file (a power cut, a hand edit): refused with
  ValueError, or restored onto a deck that then plays and saves again.
* ``showlog``: state changes and events as log lines, read back by ``parse_log_line``; and any
  text as a log line.
* ``sync``: any payload, signed with the show's key (a buggy or hostile leader) or not (a
  stranger), to a follower, a leader that hears it and the display-health counter.
* ``sync_stream``: TCP sync frames split anywhere give the same datagrams as whole.
* ``markup``: any cue text through ``plain_text``, ``strip_markup`` and ``styled_runs``.
"""
from __future__ import annotations

import json
import sys
from typing import Any, List

from tools.fuzz import runner

_MODULES = (
    "kamaelia_lite.surtitles.markup",
    "kamaelia_lite.surtitles.subtitle_text",
    "kamaelia_lite.surtitles.subtitles",
    "kamaelia_lite.surtitles.commands",
    "kamaelia_lite.surtitles.cues",
    "kamaelia_lite.surtitles.console",
    "kamaelia_lite.surtitles.showlog",
    "kamaelia_lite.surtitles.resume",
    "kamaelia_lite.surtitles.sync_follow",
    "kamaelia_lite.surtitles.sync",
)

if __name__ == "__main__":
    runner.instrumented(*_MODULES)

import atheris  # noqa: E402

from kamaelia_lite.surtitles import showlog  # noqa: E402
from kamaelia_lite.surtitles.commands import KEYWORDS, CommandError, format_command, parse_command  # noqa: E402
from kamaelia_lite.surtitles.console import ConsoleModel  # noqa: E402
from kamaelia_lite.surtitles.control import parse_control_line  # noqa: E402
from kamaelia_lite.surtitles.cues import (  # noqa: E402
    CueDeck,
    CueEntry,
    CueList,
    format_cue_list,
    format_operator_view,
    parse_cue_list,
)
from kamaelia_lite.surtitles.markup import strip_markup, styled_runs  # noqa: E402
from kamaelia_lite.surtitles.resume import (  # noqa: E402
    decode_position,
    encode_position,
    position_record,
    restore_deck,
)
from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable, plain_text  # noqa: E402
from kamaelia_lite.surtitles.subtitles import parse_player_command, parse_subtitles  # noqa: E402
from kamaelia_lite.surtitles.sync import (  # noqa: E402
    HEARTBEAT_MAGIC,
    MAGIC,
    DisplayHealth,
    StreamFrameDecoder,
    SyncFollower,
    SyncLeader,
    encode_stream_frame,
    format_health,
    make_authenticator,
    open_datagram,
)
from kamaelia_lite.surtitles.sync_components import adopt_commands  # noqa: E402

KEY = b"fuzz-key-fuzz-key"
WORDS = ("1", "2", "2a", "0", "-1", "+3", "1.5", "inf", "-inf", "nan", "1e400", "on", "off", "act",
         "Act 2", "x", "fg", "#ff00ff", "1,2,3", "tempete", "0.5", "99999999999999999999", "")


def _deck(timed: bool = True) -> CueDeck:
    """A small show: three scenes, ids with letters, times on every cue when ``timed``."""
    entries = []
    ids = ("1", "2", "2a", "3", "10")
    for i, ident in enumerate(ids):
        start = i * 1000 if timed else None
        end = start + 900 if timed else None
        entries.append(CueEntry(ident, ("Act 1", "Act 2", "Act 2", "Finale", "")[i],
                                {"en": "line %d <i>it</i>" % i, "fr": "tempête %d" % i}, i + 1, start, end))
    return CueDeck(CueList(entries, ["en", "fr"]))


def _line(fdp: atheris.FuzzedDataProvider) -> str:
    """An operator's line: mostly a known keyword with plausible or random words, else any text."""
    if fdp.ConsumeBool():
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 60))
    words = [fdp.PickValueInList(list(KEYWORDS) + ["seek", "go", "find", "jump", "Cue", "GOTO"])]
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        if fdp.ConsumeBool():
            words.append(fdp.PickValueInList(list(WORDS)))
        else:
            words.append(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 12)))
    return " ".join(words)


def _check_deck(deck: CueDeck) -> None:
    """What a deck offers its player, console and log works in any state it can reach."""
    shown = deck.shown()
    json.dumps(shown)
    view = deck.operator_view()
    format_operator_view(view, "en")
    assert -1 <= deck.position < len(deck.cues) and isinstance(deck.position, int), deck.position
    assert -1 <= deck.live_position() < len(deck.cues)
    for kind, text in showlog.state_changes(None, shown):
        showlog.parse_log_line(showlog.log_line(1.0e9, kind, text))


# ------------------------------------------------------------------------------- targets


def fuzz_subtitles(data: bytes) -> None:
    """Any bytes as a subtitle file: cues that play, problems by line, and the parsers agree."""
    fmt = (None, "srt", "vtt")[data[0] % 3] if data else None
    body = data[1:]
    full = parse_subtitles(body, fmt)
    port = parse_subtitles_portable(body, fmt)
    for track in (full, port):
        for c in track.cues:
            assert c.end_ms > c.start_ms and c.text, c
        for p in track.skipped + track.warnings:
            assert p.line >= 1, p
        track.report()
    rejected = [p for p in full.skipped if "rejected" in p.reason]
    if not rejected:
        assert [(c.start_ms, c.end_ms, c.text) for c in full.cues] == [(c.start_ms, c.end_ms, c.text) for c in port.cues], (
            full.cues, port.cues)


def fuzz_cue_list(data: bytes) -> None:
    """Any bytes as a cue-list file: it loads, and what format_cue_list writes reads back the same."""
    cl = parse_cue_list(data)
    for p in cl.problems:
        assert p.line >= 1, p
    again = parse_cue_list(format_cue_list(cl))
    assert again.problems == [], again.problems
    assert again.languages == cl.languages, (again.languages, cl.languages)
    assert [(e.ident, e.scene, e.texts) for e in again.entries] == [(e.ident, e.scene, e.texts) for e in cl.entries]
    deck = CueDeck(cl)
    for e in cl.entries:
        deck.goto(e.ident)
        assert deck.entry(deck.position) is e
        deck.goto_scene(e.scene)
    _check_deck(deck)


def fuzz_commands(data: bytes) -> None:
    """Any typed line: a command or a clear CommandError; it formats back; a deck takes or refuses it."""
    fdp = atheris.FuzzedDataProvider(data)
    line = _line(fdp) if fdp.ConsumeBool() else fdp.ConsumeUnicodeNoSurrogates(300)
    for parse in (parse_command, parse_player_command):
        try:
            parse(line)
        except CommandError:
            pass
    try:
        parse_control_line(line.encode("utf-8", "surrogatepass"), {"PEDAL1": "next", "B": "blackout"})
    except CommandError:
        pass
    try:
        cmd = parse_command(line)
    except CommandError as exc:
        assert str(exc)
        return
    again = parse_command(format_command(cmd))
    assert again == cmd or (again[1] != again[1] and cmd[1] != cmd[1]), (cmd, again)
    showlog.describe_command(cmd)
    for timed in (False, True):
        deck = _deck(timed)
        try:
            deck.apply(cmd, 5000)
        except (KeyError, ValueError) as exc:         # what CuePlayer reports on "errors"
            assert exc.args and isinstance(exc.args[0], str)
        deck.tick(7000)
        _check_deck(deck)


def fuzz_operator(data: bytes) -> None:
    """A session of typed lines and ticks on a timed deck, the console following, resume on each step."""
    fdp = atheris.FuzzedDataProvider(data)
    deck = _deck(fdp.ConsumeBool())
    model = ConsoleModel(deck.cues)
    now_ms = 0
    for _ in range(fdp.ConsumeIntInRange(1, 12)):
        now_ms += fdp.ConsumeIntInRange(0, 5000)
        line = _line(fdp)
        words = line.split(None, 1)
        if words and words[0].lower() in ("find", "jump"):
            try:
                model.jump_target(words[1] if len(words) > 1 else "")
            except KeyError:
                pass
            continue
        try:
            cmd = parse_command(line)
            if cmd[0] not in ("quit", "status"):
                deck.apply(cmd, now_ms)
        except (KeyError, ValueError):
            pass
        deck.tick(now_ms)
        model.update(deck.operator_view())
        model.status_line()
        model.text()
        model.rows(fdp.ConsumeIntInRange(0, 8))
        _check_deck(deck)
        rec = decode_position(encode_position(position_record(deck.operator_view(), None, 1.0e12, 1.0e12)))
        fresh = CueDeck(deck.cues)
        problems = restore_deck(fresh, rec, now_ms, 1.0e12)
        assert problems == [], problems
        assert (fresh.position, fresh.live_position(), fresh.blackout, fresh.freeze, fresh.timed) == (
            deck.position, deck.live_position(), deck.blackout, deck.freeze, deck.timed)


def _json_value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    """A JSON value such as a damaged or hand-edited record holds (Infinity and NaN included)."""
    kind = fdp.ConsumeIntInRange(0, 8 if depth < 2 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-3, 6)
    if kind == 3:
        return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 12))
    if kind == 4:
        return fdp.ConsumeFloat()
    if kind == 5:
        return fdp.PickValueInList(["1", "2", "2a", "3", "10", "manual", "timed", "x", ""])
    if kind == 6:
        return fdp.ConsumeUnicodeNoSurrogates(6)
    if kind == 7:
        return [_json_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    return {fdp.PickValueInList(["cue", "pos", "x"]): _json_value(fdp, depth + 1)}


_RECORD_KEYS = ("format", "cue", "pos", "live", "blackout", "freeze", "mode", "clock", "saved")


def fuzz_resume(data: bytes) -> None:
    """Any bytes as a saved position (or, from a leading 0xff, a record of damaged values):
    ValueError, or a deck that plays and saves again."""
    if data[:1] == b"\xff":
        fdp = atheris.FuzzedDataProvider(data[1:])
        rec = {"format": 1, "pos": fdp.ConsumeIntInRange(-2, 6)}
        for k in _RECORD_KEYS:
            if fdp.ConsumeBool():
                rec[k] = _json_value(fdp)
        data = json.dumps(rec).encode()
    try:
        rec = decode_position(data)
    except ValueError:                           # reported by the operator; the file is not used
        return
    deck = _deck(True)
    restore_deck(deck, rec, 1000, 1.0e12)
    deck.tick(2000)
    deck.apply(("next",), 2500)
    _check_deck(deck)
    encode_position(position_record(deck.operator_view(), None, 1.0e12, 1.0e12))


def fuzz_showlog(data: bytes) -> None:
    """Log lines of arbitrary states and events read back; any text as a log line."""
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 400))
    try:
        showlog.parse_log_line(text)
    except ValueError:
        pass
    t = fdp.ConsumeFloatInRange(0.0, 4.0e9)
    state = {"cue": fdp.ConsumeUnicodeNoSurrogates(8) or None, "pos": fdp.ConsumeIntInRange(-1, 9),
             "scene": fdp.ConsumeUnicodeNoSurrogates(20), "texts": {"en": text},
             "blackout": fdp.ConsumeBool(), "freeze": fdp.ConsumeBool(), "timed": fdp.ConsumeBool()}
    events: List[Any] = [("role", text, fdp.ConsumeInt(8)), ("error", text, text), {"live": 1, "silent": [text]},
                         text, ("error",), ("role",)]
    entries = showlog.state_changes(None, state) + [showlog.describe_event(e) for e in events]
    for kind, body in entries:
        line = showlog.log_line(t, kind, body)
        assert line.count("\n") == 1 and line.endswith("\n"), line
        stamp, k, rest = showlog.parse_log_line(line)
        assert k == kind and rest == showlog.one_line(body), (kind, body, rest)


def fuzz_sync(data: bytes) -> None:
    """Any payload, signed with the key or not, to a follower, a leader hearing it and the health count."""
    fdp = atheris.FuzzedDataProvider(data)
    signer = make_authenticator(KEY)
    follower = SyncFollower(make_authenticator(KEY))
    leader = SyncLeader(make_authenticator(KEY), hold=1.0)
    health = DisplayHealth(max_displays=4)
    verifier = make_authenticator(KEY)
    backup = _deck(True)
    t = 0.0
    while fdp.remaining_bytes():
        t += fdp.ConsumeFloatInRange(0.0, 5.0)
        how = fdp.ConsumeIntInRange(0, 5)
        payload = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 600)) if how < 4 else b""
        if how == 4:                 # a state body of damaged values, from a leader with the key
            body = {k: _json_value(fdp) for k in ("e", "v", "t", "s", "p", "r") if fdp.ConsumeBool()}
            if fdp.ConsumeBool():
                body["s"] = {"cue": _json_value(fdp), "pos": _json_value(fdp), "texts": _json_value(fdp)}
            payload = MAGIC + json.dumps(body).encode()
        elif how == 5:               # a display's heartbeat of damaged values
            body = {k: _json_value(fdp) for k in ("d", "l", "e", "v") if fdp.ConsumeBool()}
            if fdp.ConsumeBool():
                body["d"] = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 50))
                body["l"] = [fdp.ConsumeUnicodeNoSurrogates(3) for _ in range(fdp.ConsumeIntInRange(0, 9))]
            payload = HEARTBEAT_MAGIC + json.dumps(body).encode()
        elif how == 1:
            payload = MAGIC + payload
        elif how == 2:
            payload = HEARTBEAT_MAGIC + payload
        wire = payload if how == 3 else signer.sign(payload)
        st = follower.receive(wire, t)
        assert st is None or isinstance(st, dict)
        follower.leader_lost(t)
        follower.stats()
        opened = open_datagram(verifier, wire)
        if opened is not None:
            magic, body = opened
            if magic == MAGIC:
                got = leader.hear(body, t)
                assert got is None or isinstance(got, dict)
            else:
                health.heartbeat(body, t)
            assert len(health.displays) <= 4
            if magic == MAGIC and isinstance(body.get("s"), dict):
                for cmd in adopt_commands(body["s"]):     # a backup operator follows the leader
                    try:
                        backup.apply(cmd, int(t * 1000))
                    except (KeyError, ValueError):        # reported by its CuePlayer
                        pass
                _check_deck(backup)
        leader.due(t)
        leader.next_due()
        json.dumps(health.summary(t))
        format_health(health.summary(t))
        health.next_change(t)


def _frames_of(max_frame: int, chunks: List[bytes]) -> Any:
    """(datagrams, error or None) of a stream fed in ``chunks``, then one empty read."""
    dec = StreamFrameDecoder(max_frame)
    got: List[bytes] = []
    for c in chunks + [b""]:
        try:
            got += dec.feed(c)
        except ValueError as exc:
            return got, str(exc)
        assert len(dec._buf) <= 2 + max_frame, len(dec._buf)     # at most one frame held
    return got, None


def fuzz_sync_stream(data: bytes) -> None:
    """Frames split anywhere give the datagrams (and the error) the whole stream gives."""
    fdp = atheris.FuzzedDataProvider(data)
    max_frame = fdp.ConsumeIntInRange(0, 64)
    stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 4096))
    chunks = []
    at = 0
    while at < len(stream):
        n = fdp.ConsumeIntInRange(1, 64) if fdp.remaining_bytes() else len(stream)
        chunks.append(stream[at:at + n])
        at += n
    whole = _frames_of(max_frame, [stream])
    assert _frames_of(max_frame, chunks) == whole, whole
    for d in whole[0]:
        assert StreamFrameDecoder(max_frame).feed(encode_stream_frame(d)) == [d]


def fuzz_markup(data: bytes) -> None:
    """Any cue text: display text without raising; the italics runs hold exactly the stripped text."""
    text = data.decode("utf-8", "replace")
    for keep in (True, False):
        shown = plain_text(text, keep)
        for ln in shown.split("\n"):
            assert "".join(run for _, run in styled_runs(ln)) == strip_markup(ln), ln


TARGETS: runner.Targets = {
    "subtitles": (fuzz_subtitles, ()),
    "cue_list": (fuzz_cue_list, ()),
    "commands": (fuzz_commands, ()),
    "operator": (fuzz_operator, ()),
    "resume": (fuzz_resume, ()),
    "showlog": (fuzz_showlog, ()),
    "sync": (fuzz_sync, ()),
    "sync_stream": (fuzz_sync_stream, ()),
    "markup": (fuzz_markup, ()),
}

if __name__ == "__main__":
    sys.exit(runner.main(TARGETS))
