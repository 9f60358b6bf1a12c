"""A block indented with tabs stays open until the empty line, as one indented with spaces does.
Before, the first tab-indented line "completed" the block: a two-line loop body ran its first
line alone, and its second line was an IndentationError."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.interpreter import LineInterpreter


def test_a_tab_indented_body_runs_whole_after_the_empty_line():
    it = LineInterpreter()
    assert it.feed("x = y = 0") == [("ran", 0, None)]
    assert it.feed("for i in range(3):") == []
    assert it.feed("\tx += i") == []
    assert it.feed("\ty += 1") == []
    assert it.feed("") == [("ran", None, None)]
    assert it.feed("(x, y)") == [("ran", (3, 3), None)]


@settings(max_examples=100, deadline=None)
@given(indent=st.sampled_from([" ", "\t", "  ", "\t\t", " \t"]), n=st.integers(1, 5))
def test_a_body_of_n_lines_runs_once_with_every_line(indent, n):
    it = LineInterpreter()
    it.feed("got = []")
    assert it.feed("for i in range(2):") == []
    for k in range(n):
        assert it.feed("%sgot.append(%d)" % (indent, k)) == []
    assert it.feed("") == [("ran", None, None)]
    assert it.feed("got") == [("ran", list(range(n)) * 2, None)]
