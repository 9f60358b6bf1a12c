"""Text layout shared by the ticker, teleprompter and subtitle displays.

Pure logic, portable to MicroPython: nothing here draws. A ``measure(text) -> width``
function (a canvas's ``text_width``) is passed in, so layout is the same on every backend
for the same font metrics.
"""

# The largest text size drawn, in pixels: larger sizes draw at this one (fonts fail past it,
# pygame's even crashing the process), sizes below 1 at 1. (Kept here, not in canvas.py, so a
# display that clamps a size loads no canvas module for it.)
MAX_TEXT_SIZE = 2048


def split_words(text):
    """Split text on any whitespace into a list of words (no empty strings)."""
    return text.split()


def _break_long_word(word, width, measure):
    """Split one word that is wider than ``width`` into the longest pieces that fit (at
    least 1 char). Each piece's end is found by doubling a step, then halving the gap, so a
    word of n characters costs about n log n characters measured, not n * n (a piece that
    grows long, e.g. through zero-width joiners, made that a hang)."""
    pieces = []
    start = 0
    n = len(word)
    while start < n:
        good = start + 1            # word[start:good] is taken (one character at least)
        bad = n + 1                 # word[start:bad] does not fit (n + 1: not known yet)
        step = 1
        while good < n:
            probe = min(good + step, n)
            if measure(word[start:probe]) <= width:
                good = probe
                step += step
            else:
                bad = probe
                break
        while bad - good > 1:
            mid = (good + bad) // 2
            if measure(word[start:mid]) <= width:
                good = mid
            else:
                bad = mid
        pieces.append(word[start:good])
        start = good
    return pieces


def wrap_words(words, width, measure, space=" "):
    """Wrap a list of words into lines no wider than ``width`` pixels.

    Returns a list of ``(start, end)`` word-index pairs (``words[start:end]`` is a line).
    Each candidate line is measured whole (``measure(line + space + word)``), so the result
    is exact to the pixel for any font: widths of parts do not add up to the width of the
    whole (a space between two glyphs also adds the gap after the first). A line is only
    ended when the next word does not fit on it. A single word wider than the line gets a
    line of its own (callers may use ``wrap_text`` to break it). Empty input gives no lines.
    """
    lines = []
    start = 0
    line = ""
    for i in range(len(words)):
        if i == start:
            line = words[i]
            continue
        candidate = line + space + words[i]
        if measure(candidate) <= width:
            line = candidate
        else:
            lines.append((start, i))
            start = i
            line = words[i]
    if start < len(words):
        lines.append((start, len(words)))
    return lines


def wrap_text(text, width, measure):
    """Wrap text into a list of line strings no wider than ``width`` pixels.

    Paragraph breaks (newlines) are kept: each input line starts a new output line, and
    a blank input line gives an empty output line. Words too wide for a line are broken
    into pieces.
    """
    out = []
    for para in text.split("\n"):
        words = []
        for w in para.split():
            if measure(w) > width:
                words.extend(_break_long_word(w, width, measure))
            else:
                words.append(w)
        if not words:
            out.append("")
            continue
        for start, end in wrap_words(words, width, measure):
            out.append(" ".join(words[start:end]))
    return out


def line_tops(count, line_height, top=0):
    """y position of the top of each of ``count`` lines stacked from ``top``."""
    return [top + i * line_height for i in range(count)]
