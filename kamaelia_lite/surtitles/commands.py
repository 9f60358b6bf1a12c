"""The one command vocabulary for displays (teleprompter, ticker, subtitles, cue player).

Keyboard, serial (foot pedals, hardware buttons) and TCP control inputs all turn what they
receive into the same text lines, and ``parse_command`` turns a line into a command tuple
that display components accept on their ``control``-side command inbox. Pure logic: runs
on CPython and MicroPython (no typing, no dataclasses).

Grammar: one command per line, words separated by blanks, case-insensitive keywords.

==========================  ===============================  ==================================
line                        tuple                            meaning
==========================  ===============================  ==================================
play | go | start           ("play",)                        start/resume scrolling
pause | stop                ("pause",)                       stop scrolling (keeps position)
toggle | space              ("toggle",)                      play <-> pause
speed N                     ("speed", N)                     set speed step, N in -10..10
speed +N | speed -N         ("speed_by", N)                  change speed step by N
faster | slower             ("speed_by", 1) / (.., -1)
reverse                     ("reverse",)                     negate the speed step
rewind | top | home         ("rewind",)                      back to the first word
end | bottom                ("end",)                         to the last line
ff [N] | forward [N]        ("skip", N)                      N words forward (default 50)
back [N] | rw [N]           ("skip", -N)                     N words back (default 50)
goto N                      ("goto", N)                      to word index N (0-based; may be
                                                             fractional: 12.5 = mid-word 12)
jump NAME | marker NAME     ("jump", "name")                 to a [[marker]] or heading
next | prev | previous      ("next",) / ("prev",)            next/previous marker (teleprompter)
                                                             or cue (cue player)
cue ID                      ("cue", "ID")                    go to cue ID (cue player)
scene NAME                  ("scene", "name")                go to a scene (cue player)
blackout [on|off]           ("blackout", True|False|None)    None = toggle
freeze [on|off]             ("freeze", True|False|None)      None = toggle
language CODE | lang CODE   ("language", "code")             subtitle language on this display
mirror x|y|xy|none          ("mirror", mx, my)               absolute mirror state (none = off)
font N | font +N | font -N  ("font", N) / ("font_by", N)     text size in pixels
colour WHAT R,G,B | #RRGGBB ("colour", "fg"|"bg"|"marker"|   live colours; ``color`` works too
                             "heading", (r, g, b))
readingline FRACTION|on|off ("reading_line", f|True|False)   reading-line place (0..1) / shown
atend stop|loop|exit        ("at_end", "stop"|"loop"|"exit") what happens at the end
countdown N                 ("countdown", N)                 count N seconds down, then play
clear                       ("clear",)                       clear the display (ticker)
status                      ("status",)                      report state on the outbox
quit | exit                 ("quit",)                        finish the component
==========================  ===============================  ==================================

``parse_command`` raises ``CommandError`` (a ``ValueError``) with a message meant for the
person who typed the line. ``format_command`` turns a tuple back into a line.
"""

SPEED_MIN = -10
SPEED_MAX = 10
FONT_MIN = 6
FONT_MAX = 400
DEFAULT_SKIP = 50
MAX_LINE = 200

AT_END_MODES = ("stop", "loop", "exit")
COLOUR_TARGETS = ("fg", "bg", "marker", "heading")
_COLOUR_ALIASES = {"text": "fg", "foreground": "fg", "background": "bg", "line": "marker"}

_NAMED_COLOURS = {
    "black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 255, 0),
    "blue": (0, 0, 255), "yellow": (255, 255, 0), "cyan": (0, 255, 255),
    "magenta": (255, 0, 255), "grey": (128, 128, 128), "gray": (128, 128, 128),
}

_SIMPLE = {
    "play": ("play",), "go": ("play",), "start": ("play",),
    "pause": ("pause",), "stop": ("pause",),
    "toggle": ("toggle",), "space": ("toggle",),
    "faster": ("speed_by", 1), "slower": ("speed_by", -1),
    "reverse": ("reverse",),
    "rewind": ("rewind",), "top": ("rewind",), "home": ("rewind",),
    "end": ("end",), "bottom": ("end",),
    "next": ("next",), "prev": ("prev",), "previous": ("prev",),
    "clear": ("clear",), "status": ("status",),
    "quit": ("quit",), "exit": ("quit",),
}

# every keyword the parser knows, for error messages and help
KEYWORDS = (
    "play", "pause", "toggle", "speed", "faster", "slower", "reverse", "rewind", "end",
    "ff", "forward", "back", "rw", "goto", "jump", "marker", "next", "prev", "cue", "scene",
    "blackout", "freeze", "language", "mirror", "font", "colour", "color", "readingline",
    "atend", "countdown", "clear", "status", "quit",
)


class CommandError(ValueError):
    """A control line that is not a valid command; the message says why."""


def _int(word, what):
    try:
        return int(word)
    except ValueError:
        raise CommandError("%s: expected a whole number, got %r" % (what, word)) from None


def _signed(word):
    return word[:1] in ("+", "-")


def _on_off(args, keyword):
    if not args:
        return None
    if len(args) > 1:
        raise CommandError("%s: expected on or off, got %r" % (keyword, " ".join(args)))
    word = args[0].lower()
    if word in ("on", "1", "true", "yes"):
        return True
    if word in ("off", "0", "false", "no"):
        return False
    raise CommandError("%s: expected on or off, got %r" % (keyword, args[0]))


def parse_colour(text):
    """'#rrggbb', 'r,g,b' or a colour name -> (r, g, b); CommandError otherwise."""
    word = text.strip().lower()
    if word in _NAMED_COLOURS:
        return _NAMED_COLOURS[word]
    if word.startswith("#") and len(word) == 7:
        try:
            return (int(word[1:3], 16), int(word[3:5], 16), int(word[5:7], 16))
        except ValueError:
            pass
    else:
        parts = word.replace(" ", "").split(",")
        if len(parts) == 3:
            try:
                rgb = (int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                rgb = None
            if rgb is not None and min(rgb) >= 0 and max(rgb) <= 255:
                return rgb
    raise CommandError("colour: expected #rrggbb, r,g,b (0..255) or a name, got %r" % text)


def _count(args, keyword, default):
    if not args:
        return default
    if len(args) > 1:
        raise CommandError("%s: expected one number of words" % keyword)
    n = _int(args[0], keyword)
    if n < 0:
        raise CommandError("%s: the number of words must not be negative" % keyword)
    return n


def _one_name(args, keyword):
    if not args:
        raise CommandError("%s: needs a name" % keyword)
    return " ".join(args)


def parse_command(line):
    """Parse one control line into a command tuple (see the module table).

    Raises CommandError for an empty, overlong or unknown line or bad arguments.
    """
    if not isinstance(line, str):
        try:
            line = line.decode("utf-8")
        except (AttributeError, UnicodeError):
            raise CommandError("command must be text (UTF-8)") from None
    if len(line) > MAX_LINE:
        raise CommandError("command longer than %d characters" % MAX_LINE)
    words = line.split()
    if not words:
        raise CommandError("empty command")
    keyword = words[0].lower()
    args = words[1:]
    if keyword in _SIMPLE:
        if args:
            raise CommandError("%s takes no arguments" % keyword)
        return _SIMPLE[keyword]
    if keyword == "speed":
        if len(args) != 1:
            raise CommandError("speed: expected one number, e.g. 'speed 3' or 'speed +1'")
        n = _int(args[0], "speed")
        if _signed(args[0]):
            return ("speed_by", n)
        if n < SPEED_MIN or n > SPEED_MAX:
            raise CommandError("speed: %d is outside %d..%d" % (n, SPEED_MIN, SPEED_MAX))
        return ("speed", n)
    if keyword in ("ff", "forward"):
        return ("skip", _count(args, keyword, DEFAULT_SKIP))
    if keyword in ("back", "rw"):
        return ("skip", -_count(args, keyword, DEFAULT_SKIP))
    if keyword == "goto":
        if len(args) != 1:
            raise CommandError("goto: expected one word index")
        try:
            n = int(args[0])
        except ValueError:
            try:
                n = float(args[0])
            except ValueError:
                raise CommandError("goto: expected a word index, got %r" % args[0]) from None
        if n != n or n - n != 0:        # nan, or +-inf (1e400 reads as inf)
            raise CommandError("goto: expected a finite word index, got %r" % args[0])
        if n < 0:
            raise CommandError("goto: word index must not be negative")
        return ("goto", n)
    if keyword in ("jump", "marker"):
        return ("jump", _one_name(args, keyword).lower())
    if keyword == "cue":
        if len(args) != 1:
            raise CommandError("cue: expected one cue id")
        return ("cue", args[0])
    if keyword == "scene":
        return ("scene", _one_name(args, keyword).lower())
    if keyword in ("blackout", "freeze"):
        return (keyword, _on_off(args, keyword))
    if keyword in ("language", "lang"):
        if len(args) != 1:
            raise CommandError("language: expected one language code, e.g. 'language en'")
        return ("language", args[0].lower())
    if keyword == "mirror":
        if len(args) != 1:
            raise CommandError("mirror: expected x, y, xy or none")
        which = args[0].lower()
        if which in ("none", "off"):
            return ("mirror", False, False)
        if which in ("x", "y", "xy", "yx"):
            return ("mirror", "x" in which, "y" in which)
        raise CommandError("mirror: expected x, y, xy or none, got %r" % args[0])
    if keyword == "font":
        if len(args) != 1:
            raise CommandError("font: expected a size in pixels, e.g. 'font 48' or 'font +4'")
        n = _int(args[0], "font")
        if _signed(args[0]):
            return ("font_by", n)
        if n < FONT_MIN or n > FONT_MAX:
            raise CommandError("font: %d is outside %d..%d" % (n, FONT_MIN, FONT_MAX))
        return ("font", n)
    if keyword in ("colour", "color"):
        if len(args) < 2:
            raise CommandError("colour: expected a target (fg, bg, marker, heading) and a colour")
        target = _COLOUR_ALIASES.get(args[0].lower(), args[0].lower())
        if target not in COLOUR_TARGETS:
            raise CommandError("colour: unknown target %r (fg, bg, marker, heading)" % args[0])
        return ("colour", target, parse_colour(" ".join(args[1:])))
    if keyword == "readingline":
        if len(args) != 1:
            raise CommandError("readingline: expected on, off or a fraction 0..1")
        word = args[0].lower()
        if word in ("on", "off"):
            return ("reading_line", word == "on")
        try:
            f = float(word)
        except ValueError:
            raise CommandError("readingline: expected on, off or a fraction 0..1, got %r" % args[0]) from None
        if not 0.0 <= f <= 1.0:
            raise CommandError("readingline: %s is outside 0..1" % args[0])
        return ("reading_line", f)
    if keyword == "atend":
        if len(args) != 1 or args[0].lower() not in AT_END_MODES:
            raise CommandError("atend: expected stop, loop or exit")
        return ("at_end", args[0].lower())
    if keyword == "countdown":
        if len(args) != 1:
            raise CommandError("countdown: expected a number of seconds")
        n = _int(args[0], "countdown")
        if n < 0 or n > 3600:
            raise CommandError("countdown: seconds must be within 0..3600")
        return ("countdown", n)
    raise CommandError("unknown command %r (known: %s)" % (words[0], ", ".join(KEYWORDS)))


def format_command(command):
    """Turn a command tuple back into a line that ``parse_command`` accepts."""
    name = command[0]
    if name in ("speed_by", "font_by"):
        base = "speed" if name == "speed_by" else "font"
        return "%s %+d" % (base, command[1])
    if name == "skip":
        return "ff %d" % command[1] if command[1] >= 0 else "back %d" % -command[1]
    if name == "mirror":
        which = ("x" if command[1] else "") + ("y" if command[2] else "")
        return "mirror " + (which or "none")
    if name == "colour":
        r, g, b = command[2]
        return "colour %s #%02x%02x%02x" % (command[1], r, g, b)
    if name in ("blackout", "freeze"):
        if command[1] is None:
            return name
        return "%s %s" % (name, "on" if command[1] else "off")
    if name == "reading_line":
        v = command[1]
        if v is True or v is False:
            return "readingline " + ("on" if v else "off")
        return "readingline %s" % v
    if name == "at_end":
        return "atend " + command[1]
    if len(command) == 1:
        return name
    return "%s %s" % (name, command[1])


def is_command(value):
    """True if value looks like a command tuple (a tuple whose first item is a str)."""
    return isinstance(value, tuple) and len(value) > 0 and isinstance(value[0], str)
