"""Properties: any bytes parse without raising; well-formed SRT round-trips exactly."""
import datetime

import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable
from kamaelia_lite.surtitles.subtitles import parse_subtitles


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_without_raising(data):
    for parse in (parse_subtitles, parse_subtitles_portable):
        track = parse(data)
        for c in track.cues:
            assert c.end_ms > c.start_ms and c.text


line_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                           blacklist_characters="<>{}&\\"), min_size=1, max_size=20)
cue_st = st.tuples(st.integers(0, 10_000_000), st.integers(1, 100_000),
                   st.lists(line_text.filter(lambda s: s.strip()), min_size=1, max_size=3))


@settings(max_examples=100, deadline=None)
@given(st.lists(cue_st, min_size=1, max_size=8))
def test_composed_srt_round_trips(cues):
    subs = [srt.Subtitle(i + 1, datetime.timedelta(milliseconds=s), datetime.timedelta(milliseconds=s + d),
                         "\n".join(lines)) for i, (s, d, lines) in enumerate(cues)]
    data = srt.compose(subs, reindex=False).encode("utf-8")
    for parse in (parse_subtitles, parse_subtitles_portable):
        track = parse(data)
        got = sorted((c.start_ms, c.end_ms, c.text) for c in track.cues)
        want = sorted((s, s + d, "\n".join(x.strip() for x in lines)) for s, d, lines in cues)
        assert got == want
        assert track.skipped == []
