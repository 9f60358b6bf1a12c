"""The show log's lines (pure, portable): one line per operator action, cue change or event,
with the wall-clock time, written by ``showlog_components.ShowLog``.

Line format (UTF-8, one per line; the text never holds a line break)::

    2026-12-06T16:50:01.123Z ACTION next
    2026-12-06T16:50:01.124Z CUE 4 scene=Act 1 en=Where is she?
    2026-12-06T16:50:07.900Z BLACKOUT on
    2026-12-06T16:50:09.000Z ROLE leading epoch=1796575801000
"""
import json

try:
    import time as _time
except ImportError:  # pragma: no cover
    _time = None


def utc_stamp(t):
    """ISO 8601 UTC with milliseconds for wall-clock seconds ``t``."""
    ms = int(round(t * 1000))
    tm = _time.gmtime(ms // 1000)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (tm[0], tm[1], tm[2], tm[3], tm[4], tm[5], ms % 1000)


def one_line(text, limit=300):
    """``text`` on one line (breaks shown as " / "), cut to ``limit`` characters."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", " / ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def log_line(t, kind, text=""):
    """One log line (with its line end) for event ``kind`` (a word) at wall-clock ``t``."""
    return "%s %s%s\n" % (utc_stamp(t), kind, (" " + one_line(text)) if text != "" else "")


def describe_command(cmd):
    """A command (tuple or typed line) as the operator would have typed it."""
    if isinstance(cmd, tuple):
        parts = []
        for x in cmd:
            if x is True:
                parts.append("on")
            elif x is False:
                parts.append("off")
            elif x is not None:
                parts.append(str(x))
        return " ".join(parts)
    return str(cmd)


def state_changes(old, new):
    """[(kind, text)] log entries for the change from audience state ``old`` to ``new``:
    CUE when the cue changes, BLACKOUT / FREEZE when those do, MODE when the timing mode does."""
    out = []
    old = old or {}
    if new.get("cue") != old.get("cue") or new.get("pos") != old.get("pos"):
        texts = new.get("texts") or {}
        words = [str(new.get("cue")) if new.get("cue") is not None else "standby"]
        if new.get("scene"):
            words.append("scene=" + str(new.get("scene")))
        for lang in sorted(texts):
            words.append("%s=%s" % (lang, texts[lang]))
        out.append(("CUE", " ".join(words)))
    for key, kind in (("blackout", "BLACKOUT"), ("freeze", "FREEZE")):
        if bool(new.get(key)) != bool(old.get(key)):
            out.append((kind, "on" if new.get(key) else "off"))
    nm, om = _mode(new), _mode(old)
    if nm != om and (om is not None or nm == "timed"):
        out.append(("MODE", str(nm)))
    return out


def _mode(state):
    """A state's timing mode: its ``mode``, else "timed"/"manual" from ``timed`` (CueDeck)."""
    m = state.get("mode")
    if m is None and "timed" in state:
        m = "timed" if state["timed"] else "manual"
    return m


def describe_event(event):
    """(kind, text) for an event message: ("role", r, epoch), ("resumed", source, why, cue), a
    health summary dict, an error tuple ("error", command, message), or anything else (logged as
    NOTE)."""
    if isinstance(event, tuple) and event and event[0] in ("role", "error"):
        more = event[1:] + ("", "")             # a short tuple is logged too, never an IndexError
        if event[0] == "role":
            return ("ROLE", "%s epoch=%s" % (more[0], more[1]))
        return ("ERROR", "%s: %s" % (describe_command(more[0]), more[1]))
    if isinstance(event, tuple) and len(event) == 4 and event[0] == "resumed":
        return ("RESUMED", "from the %s cue=%s: %s" % (event[1], event[3], event[2]))
    if isinstance(event, dict) and "live" in event and "silent" in event:
        return ("DISPLAYS", json.dumps(event, sort_keys=True))
    return ("NOTE", str(event))


def parse_log_line(line):
    """(stamp, kind, text) of a log line; ValueError when it is not one."""
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].endswith("Z"):
        raise ValueError("not a show-log line: %r" % (line[:60],))
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""
