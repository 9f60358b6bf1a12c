"""A teleprompter script: words, paragraphs, headings and jump markers (pure, portable).

Input is plain text or a Markdown subset:
- ``# Heading`` .. ``###### Heading``: a heading block; it is also a jump marker named by
  its text (lower case).
- ``[[name]]`` anywhere: a jump marker at the next word (removed from the text). A marker
  inside a heading or on the first word after it names the heading: the heading and the
  marker are one stop for ``next``/``prev``, and either name jumps to the heading.
- blank lines separate paragraphs; ``*emphasis*``, ``**strong**``, ``_x_``, `` `code` ``
  and ``[text](url)`` are shown as plain text; ``- item`` / ``* item`` / ``1. item`` keep
  their bullet; ``---`` rules and ``<!-- comments -->`` are dropped.

Positions in a script are **word indices** (0-based over all words, headings included),
so every display — whatever its width or font — agrees where "word 120" is.
"""

HEADING = "heading"
PARAGRAPH = "paragraph"


def _strip_inline(text):
    """Remove Markdown emphasis/code marks and turn links into their text. Linear: where
    no ``](`` or ``)`` is left, no later ``[`` looks again."""
    out = []
    i = 0
    n = len(text)
    close = end = -1            # the last "](" and ")" found; n: none left from there on
    while i < n:
        ch = text[i]
        if ch == "[" and close < n and not text.startswith("[[", i):
            if close < i:
                close = text.find("](", i)
                if close < 0:
                    close = n
            if close < n and end < n:
                if end < close + 2:
                    end = text.find(")", close + 2)
                    if end < 0:
                        end = n
                if close > i and end < n:
                    out.append(text[i + 1:close])
                    i = end + 1
                    continue
        if ch == "*" or ch == "`":
            i += 1
            continue
        if ch == "_":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < n else " "
            if before in " _*" or after in " _*.,;:!?)":
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _take_markers(text, markers, word_count):
    """Pull ``[[name]]`` markers out of text (each leaves a space); each points at the next
    word. Linear in the text however many markers it holds."""
    if "[[" not in text:
        return text
    out = []
    at = 0
    while True:
        start = text.find("[[", at)
        end = text.find("]]", start + 2) if start >= 0 else -1
        if end < 0:
            out.append(text[at:])
            return "".join(out)
        before = text[at:start]
        word_count += len(before.split())
        name = " ".join(text[start + 2:end].split()).lower()    # spaced as find_marker asks
        if name:
            markers.append((name, word_count))
        out.append(before)
        out.append(" ")
        at = end + 2


class Script:
    """Parsed script. Attributes:

    words:   list of words (str)
    blocks:  list of (kind, start, end) word ranges, kind HEADING or PARAGRAPH
    markers: list of (name, word_index) in script order (headings and [[markers]])
    """

    def __init__(self, text="", markdown=True):
        self.words = []
        self.blocks = []
        self.markers = []
        self._parse(text, markdown)
        self._merge_markers()

    def _merge_markers(self):
        """Markers inside a heading or on the word just after it point at the heading; the
        same (name, word) pair is kept once."""
        heads = [(s, e) for kind, s, e in self.blocks if kind == HEADING]
        merged = []
        seen = set()
        for name, w in self.markers:
            lo = 0
            hi = len(heads)
            while lo < hi:                  # first heading starting after w
                mid = (lo + hi) // 2
                if heads[mid][0] <= w:
                    lo = mid + 1
                else:
                    hi = mid
            k = lo - 1                      # the earliest heading holding w (they may touch)
            while k > 0 and heads[k - 1][1] >= w:
                k -= 1
            if k >= 0 and heads[k][0] <= w <= heads[k][1]:
                w = heads[k][0]
            if (name, w) not in seen:
                seen.add((name, w))
                merged.append((name, w))
        self.markers = merged

    def _add_block(self, kind, text):
        text = _take_markers(text, self.markers, len(self.words))
        words = text.split()
        if not words:
            return
        start = len(self.words)
        self.words.extend(words)
        self.blocks.append((kind, start, len(self.words)))

    def _parse(self, text, markdown):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        para = []
        in_comment = False
        in_fence = False
        for raw in text.split("\n"):
            line = raw.strip()
            if markdown:
                if in_comment:
                    if "-->" in line:
                        in_comment = False
                        line = line[line.index("-->") + 3:].strip()
                    else:
                        continue
                if "<!--" in line:
                    head = line[:line.index("<!--")]
                    rest = line[line.index("<!--") + 4:]
                    if "-->" in rest:
                        line = (head + " " + rest[rest.index("-->") + 3:]).strip()
                    else:
                        in_comment = True
                        line = head.strip()
                if line.startswith("```"):
                    in_fence = not in_fence
                    continue
                if not in_fence:
                    if line and line.strip("-*_ ") == "" and len(line.replace(" ", "")) >= 3:
                        line = ""
                    elif line.startswith("#"):
                        level = len(line) - len(line.lstrip("#"))
                        if level <= 6 and (len(line) == level or line[level] == " "):
                            if para:
                                self._add_block(PARAGRAPH, " ".join(para))
                                para = []
                            title = _strip_inline(line[level:].strip())
                            name = _take_markers(title, [], 0)
                            name = " ".join(name.split()).lower()
                            if name:
                                self.markers.append((name, len(self.words)))
                            self._add_block(HEADING, title)
                            continue
                    line = _strip_inline(line)
            if not line:
                if para:
                    self._add_block(PARAGRAPH, " ".join(para))
                    para = []
                continue
            para.append(line)
        if para:
            self._add_block(PARAGRAPH, " ".join(para))

    def find_marker(self, name):
        """Word index of the marker ``name`` (exact: the first of that name; else a prefix
        that leads to one place only), or None."""
        name = " ".join(name.split()).lower()
        for n, w in self.markers:
            if n == name:
                return w
        found = None
        for n, w in self.markers:
            if n.startswith(name):
                if found is not None and found != w:
                    return None
                found = w
        return found

    def next_marker(self, word):
        """Word index of the first marker after ``word``, or None."""
        for _name, w in self.markers:
            if w > word:
                return w
        return None

    def prev_marker(self, word):
        """Word index of the last marker before ``word`` (by at least one word), or None."""
        best = None
        for _name, w in self.markers:
            if w < word:
                best = w
        return best


def layout_lines(script, width, measure):
    """Lay the script out into lines ``(start, end, kind)`` (``kind`` HEADING, PARAGRAPH
    or "gap" for the blank line between blocks; a gap has ``start == end``)."""
    from kamaelia_lite.draw.layout import wrap_words
    lines = []
    words = script.words
    for bi in range(len(script.blocks)):
        kind, start, end = script.blocks[bi]
        if bi:
            lines.append((start, start, "gap"))
        for s, e in wrap_words(words[start:end], width, measure):
            lines.append((start + s, start + e, kind))
    return lines
