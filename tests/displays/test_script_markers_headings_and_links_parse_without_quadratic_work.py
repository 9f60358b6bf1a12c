"""A teleprompter script with very many markers, headings or unclosed link brackets parses in
time that grows with its length, not with its square: each ``[[marker]]`` rebuilt the text,
each marker was looked for in every heading and in every marker kept so far, and each ``[``
with no ``](`` after it searched to the end of the line. 32 000 markers or headings took
over 20 s (the display froze meanwhile); they now take well under one. The parse itself is
unchanged: words, blocks and markers are the same as the old code's on any text.

The size checks run with a watchdog 30 times the time the parse takes now (a hang check,
not a speed test: the old code needed about 200 s for the sizes below)."""
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.displays.script import HEADING, Script

N = 100000


def parse_within(text, seconds=30.0):
    got = []
    t = threading.Thread(target=lambda: got.append(Script(text)), daemon=True)
    t.start()
    t.join(seconds)
    assert got, "Script() still parsing after %.0f s" % seconds
    return got[0]


def test_many_markers_parse():
    doc = parse_within(" ".join("[[m%d]] w%d" % (i, i) for i in range(N)))
    assert len(doc.words) == N and len(doc.markers) == N
    assert doc.markers[12345] == ("m12345", 12345)


def test_many_headings_with_markers_parse():
    doc = parse_within("\n".join("# Head %d [[k%d]]\nword" % (i, i) for i in range(N // 2)))
    assert len(doc.blocks) == N
    assert doc.find_marker("k777") == doc.find_marker("head 777") == doc.blocks[2 * 777][1]
    assert doc.blocks[0][0] == HEADING


def test_unclosed_link_brackets_parse():
    doc = parse_within("[x " * 2 * N)
    assert doc.words == ["[x"] * 2 * N
    doc = parse_within("[a]( " * 2 * N)
    assert doc.words == ["[a]("] * 2 * N


PIECES = ["[", "[[", "]]", "]", "(", ")", "](", "#", "# ", "## ", "\n", "\n\n", " ", "a", "bc", "_",
          "*", "`", "<!--", "-->", "---", "- ", "[[x]]", "[[ X ]]", "[t](u)"]


def old_take_markers(text, markers, word_count):
    """The old marker pass, the reference for what the parse gives."""
    while True:
        start = text.find("[[")
        if start < 0:
            return text
        end = text.find("]]", start + 2)
        if end < 0:
            return text
        name = " ".join(text[start + 2:end].split()).lower()   # (names spaced as later fixed)
        before = text[:start]
        if name:
            markers.append((name, word_count + len(before.split())))
        text = before + " " + text[end + 2:]


def old_strip_inline(text):
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "[" and not text.startswith("[[", i):
            close = text.find("](", i)
            end = text.find(")", close + 2) if close >= 0 else -1
            if close > i and end > close:
                out.append(text[i + 1:close])
                i = end + 1
                continue
        if ch in "*`":
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


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.integers(min_value=0, max_value=5))
def test_markers_and_inline_marks_come_out_as_the_old_code_gave(text, count):
    from kamaelia_lite.displays import script
    old, new = [], []
    assert script._take_markers(text, new, count) == old_take_markers(text, old, count)
    assert new == old
    assert script._strip_inline(text) == old_strip_inline(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.booleans())
def test_markers_point_at_their_heading_or_a_word(text, markdown):
    doc = Script(text, markdown)
    heads = [(s, e) for kind, s, e in doc.blocks if kind == HEADING]
    pairs = set()
    for name, w in doc.markers:
        assert (name, w) not in pairs
        pairs.add((name, w))
        assert 0 <= w <= len(doc.words)
        inside = [s for s, e in heads if s <= w <= e]
        assert not inside or w == inside[0]
