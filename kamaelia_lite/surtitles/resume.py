"""Resuming a show where it was: the operator's position as a small record (pure, portable).

The record says where the operator is (``cue`` id and ``pos``), what the audience sees
(``live`` cue id), ``blackout``, ``freeze`` and ``mode`` (the timing mode, when the player has
one). ``resume_components.PositionSaver`` writes it to a file atomically on every change;
``restore_deck`` puts a fresh ``CueDeck`` back there, so a restarted operator publishes the
same cue first and the displays never blank.
"""
import json

RECORD_VERSION = 1


def position_record(view, mode=None):
    """The record for an operator view (``CueDeck.operator_view()`` / CuePlayer ``operator``)."""
    cur = view.get("current")
    live = view.get("live")
    return {"format": RECORD_VERSION, "cue": cur.ident if cur is not None else None,
            "pos": view.get("position", -1), "live": live.ident if live is not None else None,
            "blackout": bool(view.get("blackout")), "freeze": bool(view.get("freeze")),
            "mode": mode if mode is not None else view.get("mode")}


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


def restore_deck(deck, record):
    """Move a fresh CueDeck to ``record``; returns a list of problems (empty when exact).

    Cues are found by id (so an edited cue list still resumes on the same cue), by position
    when the id is gone."""
    problems = []
    live = _index(deck, record.get("live"), record.get("pos"))
    here = _index(deck, record.get("cue"), record.get("pos"))
    if here is None:
        problems.append("saved cue %r is not in the cue list; starting from standby" % (record.get("cue"),))
        return problems
    if record.get("freeze") and live is not None:
        deck.goto_position(live)
        deck.set_freeze(True)
    deck.goto_position(here)
    deck.set_blackout(bool(record.get("blackout")))
    return problems
