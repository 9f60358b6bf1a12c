"""Script parsing for the teleprompter: Markdown shown plainly, headings and [[markers]]
become jump targets by word index, layout keeps word ranges."""
from kamaelia_lite.displays.script import HEADING, PARAGRAPH, Script, layout_lines

TEXT = """\ufeff# Welcome

Good *evening* and **welcome** to the [news](http://x).
It is _late_.

[[weather]] The weather: rain.

## Sport
<!-- not read aloud -->
- one item
---
Final `words` here.
"""


def test_words_blocks_and_markers():
    s = Script(TEXT)
    assert s.words[:6] == ["Welcome", "Good", "evening", "and", "welcome", "to"]
    assert "news." in s.words and "late." in s.words
    assert "not" not in s.words and "---" not in s.words and "*" not in "".join(s.words)
    kinds = [b[0] for b in s.blocks]
    assert kinds[0] == HEADING and HEADING in kinds[1:] and PARAGRAPH in kinds
    names = [n for n, _ in s.markers]
    assert names == ["welcome", "weather", "sport"]
    assert s.words[s.find_marker("weather")] == "The"
    assert s.words[s.find_marker("sport")] == "Sport"
    assert s.find_marker("wea") == s.find_marker("weather")      # unique prefix
    assert s.find_marker("nothing") is None
    here = s.find_marker("weather")
    assert s.next_marker(here) == s.find_marker("sport")
    assert s.prev_marker(here) == 0


def test_plain_text_mode_keeps_marks():
    s = Script("# not a heading *x*", markdown=False)
    assert s.words == ["#", "not", "a", "heading", "*x*"] and s.markers == []


def test_layout_lines_cover_every_word_once_with_gaps_between_blocks():
    s = Script(TEXT)
    lines = layout_lines(s, 60, lambda t: len(t) * 6)
    covered = []
    for start, end, kind in lines:
        if kind == "gap":
            assert start == end
        covered.extend(range(start, end))
        assert end == start or len(" ".join(s.words[start:end])) * 6 <= 60 or end - start == 1
    assert covered == list(range(len(s.words)))
    assert sum(1 for line in lines if line[2] == "gap") == len(s.blocks) - 1
