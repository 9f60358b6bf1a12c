"""A ``[[marker]]`` whose name holds several spaces, a tab or other whitespace between its
words is found by ``jump`` however the operator spaces the name, as headings always were:
its name was kept as typed while ``find_marker`` collapses the spaces of the name asked for,
so ``[[act  two]]`` could never be jumped to."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.displays.script import Script


def test_a_marker_with_two_spaces_is_found():
    doc = Script("one [[Act  Two]] two three")
    assert doc.markers == [("act two", 1)]
    assert doc.find_marker("act two") == doc.find_marker("Act  Two") == doc.find_marker("act\ttwo") == 1


def test_a_marker_with_a_tab_or_a_line_separator_is_found():
    doc = Script("a [[x\ty]] b [[p\u2028q]] c")
    assert doc.find_marker("x y") == 1 and doc.find_marker("p q") == 2


NAME = st.lists(st.sampled_from(["a", "B", "act", "\u00e9", "\u05d0", "1"]), min_size=1, max_size=4)
SPACE = st.sampled_from([" ", "  ", "\t", "\u2028", "\u00a0", "\x1f", " \t "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NAME, SPACE), min_size=1, max_size=6), st.booleans())
def test_every_marker_is_found_by_its_name_however_spaced(marks, as_heading):
    lines = []
    for words, space in marks:
        name = space.join(words)
        lines.append(("# %s" % name) if as_heading else ("w [[%s]] w" % name))
    doc = Script("\n\n".join(lines))
    for words, space in marks:
        spaced = " ".join(words)
        assert doc.find_marker(spaced) is not None, (spaced, doc.markers)
        assert doc.find_marker(space.join(words)) == doc.find_marker(spaced)
    for name, _w in doc.markers:
        assert doc.find_marker(name) is not None, (name, doc.markers)
