"""Tolerant SRT / WebVTT reading that plays what can be played and reports the rest.

Portable: this module runs unchanged on CPython and MicroPython (no typing, no dataclasses,
no f-strings), so a handheld display can read a subtitle file itself. On CPython,
``kamaelia_lite.surtitles.subtitles.parse_subtitles`` runs the repaired blocks through the ``srt``
and ``webvtt-py`` packages as well; this module is the shared tolerant front end and the
fallback parser where those packages are absent.

What is repaired (and reported as a warning, the cue still plays):
  * a byte-order mark (UTF-8, UTF-16 LE/BE), CRLF or CR line ends; UTF-16 without a BOM
  * text that is not UTF-8 (decoded as cp1252, else latin-1; the encoding used is reported): in
    a UTF-8 file only the bad lines are, each reported with its line number
  * missing or non-numeric cue indices
  * malformed arrows between the times (``->``, ``- ->``, ``==>``, ``—>``, no spaces, ...)
  * times written with ``.`` or ``,`` or ``:`` before the fraction, 1-3 fraction digits,
    no fraction, no hours
  * cues out of order (sorted), cues that overlap in time (both play)
  * text split by a stray blank line (joined to the cue before it)
  * a blank line missing between two cues (a timing line inside a cue's text starts a new cue,
    with the index line before it)
  * cue text holding ``-->`` (kept as text: an unreadable timing line after a missing blank
    line, or WebVTT text that wants ``--&gt;``)

What is skipped (and reported with its line number and the reason):
  * a block whose timing line cannot be read
  * a cue that ends before (or when) it starts
  * a cue with no text

Times are whole milliseconds (ints), which MicroPython's ``time.ticks_ms`` clock also uses.
"""
from kamaelia_lite.surtitles.markup import ITALIC_OFF, ITALIC_ON, strip_markup, styled_runs  # noqa: F401

SRT = "srt"
VTT = "vtt"
MAX_HOURS = 99999       # beyond it a time is unreadable (the srt package fails on such times)


class Cue:
    """One subtitle: shown from ``start_ms`` (inclusive) until ``end_ms`` (exclusive).

    ``index`` is the cue's position after sorting (1-based), ``ident`` the identifier the
    file gave it (SRT index or WebVTT cue id, a string, or None), ``line`` the 1-based line
    number of its timing line in the file, ``text`` the display text (lines joined by "\\n").
    """

    __slots__ = ("index", "ident", "start_ms", "end_ms", "text", "line")

    def __init__(self, start_ms, end_ms, text, ident=None, line=0, index=0):
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.text = text
        self.ident = ident
        self.line = line
        self.index = index

    def __repr__(self):
        return "Cue(%d, %s-%s, %r)" % (self.index, format_ms(self.start_ms), format_ms(self.end_ms), self.text)

    def __eq__(self, other):
        return (
            isinstance(other, Cue)
            and self.start_ms == other.start_ms
            and self.end_ms == other.end_ms
            and self.text == other.text
        )

    def __hash__(self):
        return hash((self.start_ms, self.end_ms, self.text))


class Problem:
    """A line-numbered note about the input: ``line`` (1-based), ``reason``, ``excerpt``."""

    __slots__ = ("line", "reason", "excerpt")

    def __init__(self, line, reason, excerpt=""):
        self.line = line
        self.reason = reason
        self.excerpt = excerpt

    def __repr__(self):
        return "Problem(line %d: %s)" % (self.line, self.reason)

    def __str__(self):
        if self.excerpt:
            return "line %d: %s: %r" % (self.line, self.reason, self.excerpt)
        return "line %d: %s" % (self.line, self.reason)


class SubtitleTrack:
    """The playable result of reading a subtitle file.

    ``cues`` sorted by start time; ``skipped`` the Problems that lost a block (nothing else is
    lost); ``warnings`` the Problems that were repaired; ``encoding`` the text encoding used;
    ``format`` "srt" or "vtt"; ``parser`` which parser produced the cues.
    """

    def __init__(self, cues, skipped, warnings, encoding, fmt, parser="portable", language=None):
        self.cues = cues
        self.skipped = skipped
        self.warnings = warnings
        self.encoding = encoding
        self.format = fmt
        self.parser = parser
        self.language = language
        self._times = None

    def __len__(self):
        return len(self.cues)

    def report(self):
        """A human-readable account of what was skipped and repaired (empty when clean)."""
        out = []
        for p in self.skipped:
            out.append("skipped " + str(p))
        for p in self.warnings:
            out.append("repaired " + str(p))
        return "\n".join(out)

    def active_at(self, ms):
        """The cues showing at time ``ms`` (several when cues overlap), in start order."""
        return [c for c in self.cues if c.start_ms <= ms < c.end_ms]

    def change_times(self):
        """Sorted distinct times at which the set of showing cues can change."""
        if self._times is None:
            seen = {}
            for c in self.cues:
                seen[c.start_ms] = 1
                seen[c.end_ms] = 1
            self._times = sorted(seen)
        return self._times

    def next_change_after(self, ms):
        """The first change time strictly after ``ms``, or None when nothing changes any more."""
        times = self.change_times()
        lo, hi = 0, len(times)
        while lo < hi:
            mid = (lo + hi) // 2
            if times[mid] <= ms:
                lo = mid + 1
            else:
                hi = mid
        return times[lo] if lo < len(times) else None

    def text_at(self, ms):
        """The text showing at ``ms`` (overlapping cues stacked, one per line), or ""."""
        return "\n".join(c.text for c in self.active_at(ms))


# ---------------------------------------------------------------- decoding


def decode_subtitle_bytes(data):
    """Decode subtitle bytes: returns (text, encoding, warnings list of Problem).

    A byte-order mark says UTF-8 or UTF-16; without one, UTF-16 is recognised by its NUL bytes
    (plain-text subtitle files hold none otherwise). Otherwise UTF-8, line by line: a file that
    is UTF-8 except for some lines keeps its UTF-8 lines and has each bad line decoded as cp1252
    (else latin-1) and reported by its line number; a file with no UTF-8 beyond ASCII is a
    legacy file, decoded as cp1252 (else latin-1) as a whole. Any repair is reported.
    """
    warnings = []
    if isinstance(data, str):
        return (data[1:] if data[:1] == "\ufeff" else data), "str", warnings
    data = bytes(data)
    if data[:3] == b"\xef\xbb\xbf":
        text, enc = _decode_8bit(data[3:], warnings)
        if enc == "utf-8":
            enc = "utf-8-sig"
    elif data[:2] == b"\xff\xfe" or data[:2] == b"\xfe\xff":
        enc = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        text = _utf16(data[2:], enc == "utf-16-be", warnings)
    else:
        enc = _utf16_without_bom(data)
        if enc is not None:
            warnings.append(Problem(1, "no byte-order mark; read as " + enc.upper() + " (NUL byte pattern)"))
            text = _utf16(data, enc == "utf-16-be", warnings)
        else:
            text, enc = _decode_8bit(data, warnings)
            if text[:1] == "\ufeff":
                text = text[1:]
                enc = "utf-8-sig" if enc == "utf-8" else enc
    return text, enc, warnings


def _decode_or_none(data, codec):
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, ValueError):
        return None


def _utf16_without_bom(data):
    """"utf-16-le"/"utf-16-be" when the first bytes have the NUL pattern of UTF-16, else None."""
    sample = data[:512]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = odd = 0
    for i in range(0, 2 * pairs, 2):
        if sample[i] == 0:
            even += 1
        if sample[i + 1] == 0:
            odd += 1
    # timing lines are ASCII, so at least a quarter of the code units have a zero high byte
    if odd * 4 >= pairs and even * 4 < odd:
        return "utf-16-le"
    if even * 4 >= pairs and odd * 4 < even:
        return "utf-16-be"
    return None


def _utf16(data, big, warnings):
    """Decode UTF-16 by hand (MicroPython has no UTF-16 codec); bad code units become U+FFFD."""
    chars = []
    n = len(data) - (len(data) & 1)
    hi = 0
    bad = 0
    for i in range(0, n, 2):
        u = (data[i] << 8 | data[i + 1]) if big else (data[i] | data[i + 1] << 8)
        if 0xDC00 <= u < 0xE000 and hi:
            chars.append(chr(0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00)))
            hi = 0
            continue
        if hi:
            chars.append("\ufffd")
            bad += 1
            hi = 0
        if 0xD800 <= u < 0xDC00:
            hi = u
        elif 0xDC00 <= u < 0xE000:
            chars.append("\ufffd")
            bad += 1
        else:
            chars.append(chr(u))
    if hi or n != len(data):
        chars.append("\ufffd")
        bad += 1
    text = "".join(chars)
    if bad:
        warnings.append(Problem(1, "%d invalid UTF-16 code unit(s) replaced by U+FFFD" % bad))
    return text


def _decode_8bit(data, warnings):
    """UTF-8, else line by line (see decode_subtitle_bytes); returns (text, encoding)."""
    text = _decode_or_none(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    lines = data.split(b"\n")
    utf8_beyond_ascii = False
    bad = []
    for i in range(len(lines)):
        line = _decode_or_none(lines[i], "utf-8")
        if line is None:
            bad.append(i)
        else:
            if not utf8_beyond_ascii and len(line) != len(lines[i]):
                utf8_beyond_ascii = True
            lines[i] = line
    if not utf8_beyond_ascii:
        # a legacy file: one 8-bit codec for all of it (ASCII lines read the same in it)
        lines = None
        text, codec = _legacy(data)
        warnings.append(Problem(bad[0] + 1, "not valid UTF-8; decoded as " + codec))
        return text, codec
    for i in bad:
        line, codec = _legacy(lines[i])
        lines[i] = line
        warnings.append(Problem(i + 1, "not valid UTF-8; this line decoded as " + codec))
    return "\n".join(lines), "utf-8"


def _legacy(data):
    """(text, codec): cp1252, else latin-1 (which cannot fail; by hand where no codec exists)."""
    text = _decode_or_none(data, "cp1252")
    if text is not None:
        return text, "cp1252"
    text = _decode_or_none(data, "latin-1")
    if text is not None:
        return text, "latin-1"
    return "".join([chr(b) for b in data]), "latin-1"


# ---------------------------------------------------------------- times


def format_ms(ms, sep=","):
    """``HH:MM:SS,mmm`` (SRT; pass sep="." for WebVTT)."""
    if ms < 0:
        ms = 0
    h = ms // 3600000
    m = (ms // 60000) % 60
    s = (ms // 1000) % 60
    return "%02d:%02d:%02d%s%03d" % (h, m, s, sep, ms % 1000)


def _digits(s):
    if not s:
        return False
    for ch in s:
        if ch < "0" or ch > "9":
            return False
    return True


def parse_time_ms(s):
    """Parse a subtitle time leniently; returns milliseconds or None.

    Accepts ``H:MM:SS,mmm``, ``HH:MM:SS.mmm``, ``MM:SS.mmm``, ``HH:MM:SS:mmm``, a fraction of
    1-3 digits (``1.5`` is 1500 ms) and no fraction at all; hours up to ``MAX_HOURS``.
    """
    s = s.strip()
    if not s:
        return None
    frac = "0"
    # the fraction separator is the last ',' or '.', or a 4th ':' group
    cut = max(s.rfind(","), s.rfind("."))
    if cut >= 0:
        frac = s[cut + 1:]
        s = s[:cut]
    parts = s.split(":")
    if cut < 0 and len(parts) == 4:
        frac = parts[3]
        parts = parts[:3]
    if len(parts) == 2:
        parts = ["0"] + parts
    if len(parts) != 3:
        return None
    for p in parts:
        if not _digits(p):
            return None
    if not _digits(frac) or len(frac) > 3:
        return None
    h, m, sec = int(parts[0]), int(parts[1]), int(parts[2])
    if m > 59 or sec > 59 or h > MAX_HOURS:
        return None
    ms = int((frac + "00")[:3])
    return ((h * 60 + m) * 60 + sec) * 1000 + ms


_ARROW_CHARS = "-=>\u2013\u2014\u2192 \t"


def split_timing_line(line):
    """Find the two times of a timing line, tolerating malformed arrows.

    Returns (start_ms, end_ms, settings, arrow_ok) or None when the line holds no two times.
    ``arrow_ok`` is False when the arrow had to be repaired; ``settings`` is any WebVTT cue
    settings text after the end time.
    """
    s = line.strip()
    # find the first time: run of digits/:/,/. from the start
    i = 0
    n = len(s)
    while i < n and (s[i] in "0123456789:,."):
        i += 1
    if i == 0:
        return None
    first = s[:i]
    j = i
    while j < n and s[j] in _ARROW_CHARS:
        j += 1
    arrow = s[i:j].strip()
    if j == i or not arrow:
        return None
    k = j
    while k < n and (s[k] in "0123456789:,."):
        k += 1
    second = s[j:k]
    settings = s[k:].strip()
    a = parse_time_ms(first)
    b = parse_time_ms(second)
    if a is None or b is None:
        return None
    arrow_ok = arrow == "-->" and s[i:i + 1] == " " and s[j - 1:j] == " "
    return a, b, settings, arrow_ok


def looks_like_timing(line):
    """True for a line that was probably meant as a timing line (to report it, not join it)."""
    digits = 0
    for ch in line:
        if "0" <= ch <= "9":
            digits += 1
    return digits >= 4 and ":" in line and ("-" in line or ">" in line)


# ---------------------------------------------------------------- markup


_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": "", "&quot;": '"'}


def _tag_name(tag):
    """The name of a tag's inside ("v.loud Anna" -> "v", "/i" -> "/i")."""
    name = tag.split(" ")[0].split(".")[0].lower()
    return name


def plain_text(text, keep=True):
    """Display text from cue markup: italics kept as ``<i>``...``</i>`` (SRT's own markup,
    which ``SubtitleDisplay`` draws slanted) and speaker names kept as "Name: " (WebVTT
    ``<v Name>``); other tags (bold, colours, classes, timestamps) and {\\an8}-style codes
    dropped; the common entities decoded; each line trimmed. ``keep=False`` drops the
    italics marks as well (``strip_markup``). A ``<`` or ``{\\`` that is not closed later on its
    line is text, not markup ("I <3 you")."""
    out = []
    i = 0
    n = len(text)
    # the next ">", "}" and line end at or after i (-1: none left; -2: not looked for yet), so a
    # line full of "<" that close nothing costs linear time
    gt = brace = nl = -2
    while i < n:
        ch = text[i]
        if ch == "<" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] in "/0123456789"):
            if gt != -1 and gt < i:
                gt = text.find(">", i)
            if nl != -1 and nl < i:
                nl = text.find("\n", i)
            j = gt
            if j < 0 or 0 <= nl < j:    # closes nothing on its line: a "<" of the text ("I <3 you")
                out.append(ch)
                i += 1
                continue
            tag = text[i + 1:j].strip()
            name = _tag_name(tag)
            if name in ("i", "em") and keep:
                out.append(ITALIC_ON)
            elif name in ("/i", "/em") and keep:
                out.append(ITALIC_OFF)
            elif name == "v":
                who = tag[len(tag.split(" ")[0]):].strip()
                if who:
                    out.append(who + ": ")
            i = j + 1
            continue
        if ch == "{" and i + 1 < n and text[i + 1] == "\\":
            if brace != -1 and brace < i:
                brace = text.find("}", i)
            if nl != -1 and nl < i:
                nl = text.find("\n", i)
            if brace >= 0 and not 0 <= nl < brace:
                i = brace + 1
                continue
        out.append(ch)
        i += 1
    s = "".join(out)
    if "&" in s:
        for k in _ENTITIES:
            s = s.replace(k, _ENTITIES[k])
    lines = [ln.strip() for ln in s.split("\n")]
    s = "\n".join([ln for ln in lines if ln])
    if keep and (ITALIC_ON in s or ITALIC_OFF in s):
        s = _tidy_italics(s)
    return s


def _tidy_italics(s):
    """Drop italics marks that enclose nothing, and close each line's italics at its end and
    reopen them on the next (so every line can be drawn on its own)."""
    out = []
    on = False
    for line in s.split("\n"):
        if on:
            line = ITALIC_ON + line
        on = False
        k = 0
        while k < len(line):
            if line.startswith(ITALIC_ON, k):
                on = True
                k += 3
            elif line.startswith(ITALIC_OFF, k):
                on = False
                k += 4
            else:
                k += 1
        if on:
            line += ITALIC_OFF
        line = line.replace(ITALIC_ON + ITALIC_OFF, "")
        out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- blocks


class Block:
    """A run of non-blank lines: ``first_line`` (1-based) and ``lines``."""

    __slots__ = ("first_line", "lines")

    def __init__(self, first_line, lines):
        self.first_line = first_line
        self.lines = lines


def split_blocks(text):
    """Split text (any line ends) into Blocks separated by blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    cur = None
    lineno = 0
    for raw in text.split("\n"):
        lineno += 1
        if raw.strip() == "":
            if cur is not None:
                blocks.append(cur)
                cur = None
            continue
        if cur is None:
            cur = Block(lineno, [])
        cur.lines.append(raw.rstrip())
    if cur is not None:
        blocks.append(cur)
    return blocks


def detect_format(text, name=None):
    """"vtt" when the text starts with WEBVTT (or the name ends .vtt), else "srt"."""
    head = text.lstrip("\ufeff \t\r\n")[:6]
    if head == "WEBVTT":
        return VTT
    if name and name.lower().endswith(".vtt"):
        return VTT
    return SRT


class RepairedBlock:
    """A block that will become a cue: its times, identifier, text lines and line numbers."""

    __slots__ = ("start_ms", "end_ms", "ident", "lines", "line", "settings")

    def __init__(self, start_ms, end_ms, ident, lines, line, settings):
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.ident = ident
        self.lines = lines
        self.line = line
        self.settings = settings

    def srt_text(self, number):
        """This block as canonical SRT (for the ``srt`` package)."""
        return "%d\n%s --> %s\n%s\n" % (number, format_ms(self.start_ms), format_ms(self.end_ms), "\n".join(self.lines))

    def vtt_text(self):
        """This block as a canonical WebVTT cue (for ``webvtt-py``)."""
        head = ""
        if self.ident:
            head = self.ident + "\n"
        tail = (" " + self.settings) if self.settings else ""
        # "-->" would end the cue's text for a WebVTT parser; "&gt;" reads back as ">" (plain_text)
        text = "\n".join(self.lines).replace("-->", "--&gt;")
        return "%s%s --> %s%s\n%s\n" % (head, format_ms(self.start_ms, "."), format_ms(self.end_ms, "."), tail, text)


def _split_run_together(b, warnings):
    """The Blocks in ``b`` (appended to a list returned): a timing line after the block's own
    (a blank line missing between two cues) starts a new cue, with the index line before it."""
    lines = b.lines
    out = []
    start = 0
    own = -1            # the current part's timing line, or -1
    for i in range(len(lines)):
        if split_timing_line(lines[i]) is None:
            continue
        if own < 0 and i - start < 3:
            own = i
            continue
        cut = i
        if i - 1 > max(start, own) and _digits(lines[i - 1].strip()):
            cut = i - 1
        out.append(Block(b.first_line + start, lines[start:cut]))
        warnings.append(Problem(b.first_line + i, "no blank line before this cue; taken as a new cue"))
        start = cut
        own = i
    if not out:
        return [b]
    out.append(Block(b.first_line + start, lines[start:]))
    return out


def repair_blocks(text, fmt, skipped, warnings):
    """Turn text into RepairedBlocks, appending Problems to ``skipped`` / ``warnings``."""
    blocks = []
    for b in split_blocks(text):
        first = b.lines[0].strip()
        if fmt == VTT and (first.startswith("NOTE") or first in ("STYLE", "REGION")):
            blocks.append(b)
        else:
            blocks.extend(_split_run_together(b, warnings))
    out = []
    start = 0
    if fmt == VTT and blocks and blocks[0].lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        start = 1
    elif fmt == VTT:
        warnings.append(Problem(1, "no WEBVTT header"))
    prev = None  # the last RepairedBlock, for text split by a stray blank line
    for bi in range(start, len(blocks)):
        b = blocks[bi]
        first = b.lines[0].strip()
        if fmt == VTT and (first.startswith("NOTE") or first in ("STYLE", "REGION")):
            prev = None
            continue
        t_at = -1
        timing = None
        for li in range(min(3, len(b.lines))):
            timing = split_timing_line(b.lines[li])
            if timing is not None:
                t_at = li
                break
        if timing is None:
            bad_at = -1
            for li in range(min(3, len(b.lines))):
                if looks_like_timing(b.lines[li]):
                    bad_at = li
                    break
            if bad_at >= 0:
                skipped.append(Problem(b.first_line + bad_at, "unreadable timing line", b.lines[bad_at].strip()))
                prev = None
            elif prev is not None and not (len(b.lines) == 1 and _digits(first)):
                prev.lines.extend(b.lines)
                warnings.append(Problem(b.first_line, "text after a blank line joined to the cue at line %d" % prev.line))
            else:
                skipped.append(Problem(b.first_line, "no timing line", " / ".join(b.lines)[:60]))
                prev = None
            continue
        a, z, settings, arrow_ok = timing
        lineno = b.first_line + t_at
        if not arrow_ok:
            warnings.append(Problem(lineno, "malformed arrow repaired", b.lines[t_at].strip()))
        ident = None
        if t_at >= 1:
            ident = b.lines[t_at - 1].strip()
            if t_at == 2:
                warnings.append(Problem(b.first_line, "extra line before the timing ignored", b.lines[0].strip()))
        if fmt == SRT:
            if ident is None:
                warnings.append(Problem(lineno, "missing cue index"))
            elif not _digits(ident):
                warnings.append(Problem(b.first_line, "non-numeric cue index", ident))
        body = b.lines[t_at + 1:]
        for li in range(len(body)):
            if "-->" in body[li]:       # a broken timing line, or WebVTT text that wants "--&gt;"
                warnings.append(Problem(lineno + 1 + li, "cue text holds '-->'; kept as text", body[li].strip()))
        if z <= a:
            skipped.append(Problem(lineno, "cue ends before it starts (%s --> %s)" % (format_ms(a), format_ms(z))))
            prev = None
            continue
        rb = RepairedBlock(a, z, ident, body, lineno, settings)
        out.append(rb)
        prev = rb
    return out


def cues_from_blocks(rblocks, texts, skipped, warnings):
    """Build sorted, numbered Cues from repaired blocks and their display texts (same order);
    skips cues whose text is empty (None: rejected and reported already) and reports overlaps
    and reordering."""
    cues = []
    for i in range(len(rblocks)):
        rb = rblocks[i]
        text = texts[i]
        if text is None:  # already reported by whoever rejected it
            continue
        if not text:
            skipped.append(Problem(rb.line, "cue has no text"))
            continue
        cues.append(Cue(rb.start_ms, rb.end_ms, text, rb.ident, rb.line))
    ordered = True
    for i in range(1, len(cues)):
        if cues[i].start_ms < cues[i - 1].start_ms:
            ordered = False
            break
    if not ordered:
        warnings.append(Problem(cues[i].line, "cues out of time order; sorted"))
        cues.sort(key=_start_key)
    latest_end = -1
    latest = None
    for c in cues:
        if latest is not None and c.start_ms < latest_end:
            warnings.append(Problem(c.line, "overlaps the cue at line %d; both shown" % latest.line))
        if c.end_ms > latest_end:
            latest_end = c.end_ms
            latest = c
    n = 1
    for c in cues:
        c.index = n
        n += 1
    return cues


def _start_key(c):
    return (c.start_ms, c.line)


def parse_subtitles_portable(data, fmt=None, name=None, language=None):
    """Read SRT or WebVTT (bytes or str) with this module alone; returns a SubtitleTrack."""
    text, enc, warnings = decode_subtitle_bytes(data)
    if fmt is None:
        fmt = detect_format(text, name)
    skipped = []
    rblocks = repair_blocks(text, fmt, skipped, warnings)
    texts = [plain_text("\n".join(rb.lines)) for rb in rblocks]
    cues = cues_from_blocks(rblocks, texts, skipped, warnings)
    _sort_problems(skipped)
    _sort_problems(warnings)
    return SubtitleTrack(cues, skipped, warnings, enc, fmt, "portable", language)


def _line_key(p):
    return p.line


def _sort_problems(problems):
    problems.sort(key=_line_key)
