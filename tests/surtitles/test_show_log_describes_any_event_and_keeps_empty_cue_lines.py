"""The show log takes "anything else worth a line" on its events inbox: a short or odd tuple is
logged, never a reason for the log to stop. And a cue file's empty text line ("en:") survives
being written back by format_cue_list."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.cues import format_cue_list, parse_cue_list
from kamaelia_lite.surtitles.showlog import describe_event, log_line, parse_log_line


def test_short_role_and_error_tuples_are_logged():
    assert describe_event(("role",)) == ("ROLE", " epoch=")
    assert describe_event(("error",)) == ("ERROR", ": ")
    assert describe_event(("error", "cue 9")) == ("ERROR", "cue 9: ")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.tuples(st.sampled_from(["role", "error", "x"])),
                 st.lists(st.one_of(st.sampled_from(["role", "error"]), st.text(max_size=5), st.integers(),
                                    st.none(), st.booleans()), max_size=4).map(tuple),
                 st.dictionaries(st.sampled_from(["live", "silent", "languages"]), st.integers(), max_size=3)))
def test_any_event_makes_one_log_line(event):
    kind, text = describe_event(event)
    line = log_line(1.7e9, kind, text)
    assert line.count("\n") == 1
    assert parse_log_line(line)[1] == kind


def test_an_empty_text_line_round_trips_through_format():
    cl = parse_cue_list("languages: en fr\ncue: 1\nen:\nfr: seul\ncue: 2\nen: a\nen:\n")
    assert cl[0].texts == {"en": "", "fr": "seul"} and cl[1].texts == {"en": "a\n"}
    again = parse_cue_list(format_cue_list(cl))
    assert [e.texts for e in again.entries] == [e.texts for e in cl.entries]
