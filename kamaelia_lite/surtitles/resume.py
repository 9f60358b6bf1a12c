"""Resuming a show where it was: the operator's position as a small record (pure, portable).

The record says where the operator is (``cue`` id and ``pos``), what the audience sees
(``live`` cue id), ``blackout``, ``freeze``, the timing ``mode`` ("timed": cues follow their
times, or "manual": GO only) and, while timed, the show ``clock`` as [wall-clock ms since
the epoch, media ms] at one instant, plus ``version`` (the deck's count of what the audience
saw change, carried on by ``restore_deck``, so a restarted leader can tell whether the displays
show something newer than the record) and ``saved`` (wall-clock ms when the record was made).
``resume_components.PositionSaver`` writes it to a file atomically on every change;
``restore_deck`` puts a fresh ``CueDeck`` back there, so a restarted operator publishes the
same cue first, in the same timing mode, and the displays never blank.

A timed show's clock carries on across a restart by the time the operator was away (the
performance went on meanwhile), unless the record is older than ``CARRY_LIMIT_MS``: then the
clock waits at the saved cue for the operator's ``play`` (and the reason is reported).
"""
import json

RECORD_VERSION = 1
CARRY_LIMIT_MS = 10 * 60 * 1000
MODES = ("manual", "timed")


def position_record(view, mode=None, epoch_offset_ms=None, saved_ms=None):
    """The record for an operator view (``CueDeck.operator_view()`` / CuePlayer ``operator``).

    ``mode`` overrides the view's timing mode; ``epoch_offset_ms`` turns the view's clock
    (the deck's clock, e.g. monotonic ms) into wall-clock ms since the epoch (the clock is left
    out without it); ``saved_ms`` is the wall-clock time of the record."""
    cur = view.get("current")
    live = view.get("live")
    if mode is None:
        mode = view.get("mode") or ("timed" if view.get("timed") else "manual")
    clock = view.get("clock")
    if mode != "timed" or clock is None or epoch_offset_ms is None:
        clock = None
    else:
        clock = [int(clock[0] + epoch_offset_ms), int(clock[1])]
    rec = {"format": RECORD_VERSION, "cue": cur.ident if cur is not None else None,
           "pos": view.get("position", -1), "live": live.ident if live is not None else None,
           "blackout": bool(view.get("blackout")), "freeze": bool(view.get("freeze")),
           "mode": mode, "clock": clock}
    ver = view.get("version")
    if isinstance(ver, int) and not isinstance(ver, bool):
        rec["version"] = ver          # of what the audience sees: orders the record and the displays
    if saved_ms is not None:
        rec["saved"] = int(saved_ms)
    return rec


def same_position(a, b):
    """True when records ``a`` and ``b`` differ at most in when they were made."""
    if a is None or b is None:
        return a is b
    for k in a:
        if k != "saved" and a[k] != b.get(k):
            return False
    for k in b:
        if k != "saved" and k not in a:
            return False
    return True


def encode_position(record):
    """The record as one line of JSON (bytes)."""
    return json.dumps(record).encode() + b"\n"


def decode_position(data):
    """The record in ``data``; ValueError saying what is wrong when it is not one."""
    try:
        rec = json.loads(data)
    except Exception:
        raise ValueError("not a saved position (not JSON)") from None
    if not isinstance(rec, dict) or rec.get("format") != RECORD_VERSION or not isinstance(rec.get("pos"), int):
        raise ValueError("not a saved position (format %r)" % (rec.get("format") if isinstance(rec, dict) else rec,))
    return rec


def _index(deck, ident, pos):
    if ident is not None:
        i = deck.cues.index_of(ident)
        if i >= 0:
            return i
    if isinstance(pos, int) and -1 <= pos < len(deck.cues):
        return pos
    return None


def _number(x):
    """A finite int or float (JSON lets a file hold Infinity and NaN; a bool is not a number)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and x - x == 0


def _restore_mode(deck, record, now_ms, wall_ms, carry_limit_ms, problems):
    mode = record.get("mode")
    if mode is None or mode == "manual":
        return
    if mode not in MODES:
        problems.append("saved timing mode %r is not known; resuming with GO only" % (mode,))
        return
    if not deck.has_times():
        problems.append("the show was timed but these cues have no times; resuming with GO only")
        return
    clock = record.get("clock")
    media = None
    good = isinstance(clock, list) and len(clock) == 2 and _number(clock[0]) and _number(clock[1])
    if clock is not None and not good:
        problems.append("the saved show clock %r is not [wall ms, media ms]; the clock starts from "
                        "the saved cue's start time" % (clock,))
    if wall_ms is not None and good:
        saved = record.get("saved")
        age = wall_ms - saved if _number(saved) else 0
        if age > carry_limit_ms:
            problems.append("the saved position is %d min old: timed playback waits at the saved cue "
                            "('play' starts the clock)" % (age // 60000))
            return
        media = clock[1] + max(0, wall_ms - clock[0])
    deck.set_timed(True, now_ms, media)


def restore_deck(deck, record, now_ms=0, wall_ms=None, carry_limit_ms=CARRY_LIMIT_MS):
    """Move a fresh CueDeck to ``record``; returns a list of problems (empty when exact).

    Cues are found by id (so an edited cue list still resumes on the same cue), by position
    when the id is gone. A timed show resumes timed: ``now_ms`` is the deck's clock now (what
    its player passes to ``tick``), ``wall_ms`` the wall-clock ms since the epoch; with both,
    the show clock carries on by the time since the record's clock (see the module notes),
    else it restarts from the saved cue's start time."""
    problems = []
    # no live cue: the audience saw standby (frozen there while the operator moved on)
    live = -1 if record.get("live") is None else _index(deck, record.get("live"), record.get("pos"))
    here = _index(deck, record.get("cue"), record.get("pos"))
    if here is None:
        problems.append("saved cue %r is not in the cue list; starting from standby" % (record.get("cue"),))
        return problems
    if record.get("freeze") and live is not None:
        deck.goto_position(live)
        deck.set_freeze(True)
    deck.goto_position(here)
    deck.set_blackout(bool(record.get("blackout")))
    _restore_mode(deck, record, now_ms, wall_ms, carry_limit_ms, problems)
    ver = record.get("version")
    if isinstance(ver, int) and not isinstance(ver, bool) and ver >= 0:
        deck.version = ver            # the audience's count of changes carries on (see sync.SyncLeader.listen)
    return problems
