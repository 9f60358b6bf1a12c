"""A word too long for the line is broken into the longest pieces that fit, with work that
grows about linearly with the word: the old break measured every prefix of each piece, so a
word whose piece grows long (zero-width joiners or marks after a few letters, a wide column)
cost the square of its length (4000 joiners: 8 million characters measured, ~3 s with pygame;
a cue of 100 000 froze the display). The pieces are the same as before."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.draw.layout import _break_long_word, wrap_text


def width_of(s):
    """A font-like measure: marks, joiners and controls are zero-width, other characters 6 px."""
    return sum(0 if unicodedata.category(ch) in ("Mn", "Cf", "Cc") else 6 for ch in s)


class Counting:
    """A measure that counts the characters it was asked to measure."""

    def __init__(self, measure=width_of):
        self.measure = measure
        self.chars = 0

    def __call__(self, s):
        self.chars += len(s)
        return self.measure(s)


def greedy_pieces(word, width, measure):
    """The pieces as the old break made them: grow each piece while the next prefix fits."""
    pieces, start = [], 0
    while start < len(word):
        end = start + 1
        while end < len(word) and measure(word[start:end + 1]) <= width:
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces


def test_zero_width_tails_are_broken_with_near_linear_work():
    for n in (4000, 16000):
        word = "ab" * 10 + "\u200d" * n + "cd" * 10
        m = Counting()
        lines = wrap_text(word, 60, m)
        assert "".join(lines) == word
        assert all(width_of(line) <= 60 for line in lines)
        assert m.chars < 40 * n, (n, m.chars)        # was about n * n / 2


def test_a_wide_column_breaks_a_huge_word_with_near_linear_work():
    n = 200000
    m = Counting()
    lines = wrap_text("x" * n, 6 * 5000, m)
    assert [len(line) for line in lines] == [5000] * 40
    assert m.chars < 40 * n, m.chars


def test_pieces_are_the_longest_that_fit_and_at_least_one_character():
    assert _break_long_word("abcdefg", 18, width_of) == ["abc", "def", "g"]
    assert _break_long_word("abc", 0, width_of) == ["a", "b", "c"]
    assert _break_long_word("abc", -5, width_of) == ["a", "b", "c"]
    assert _break_long_word("a\u0301\u0301bc", 12, width_of) == ["a\u0301\u0301b", "c"]


alphabet = st.sampled_from(["a", "W", "\u200d", "\u0301", "\u6f22", "\x00", "\ud800"])


@settings(max_examples=300, deadline=None)
@given(st.lists(alphabet, min_size=1, max_size=80).map("".join), st.integers(min_value=-3, max_value=60),
       st.dictionaries(alphabet, st.integers(min_value=0, max_value=20)))
def test_pieces_match_the_greedy_break_for_any_additive_measure(word, width, widths):
    def measure(s):
        return sum(widths.get(ch, 7) for ch in s)
    assert _break_long_word(word, width, measure) == greedy_pieces(word, width, measure)
