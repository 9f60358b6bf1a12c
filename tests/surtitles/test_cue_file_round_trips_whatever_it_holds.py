"""A cue file, whatever it holds, is read into the list that format_cue_list writes back and
parse_cue_list reads again unchanged: a text key that could not be a language code (holding a
comma or a tab, which the languages line splits on) is reported, not taken as a language."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.cues import format_cue_list, parse_cue_list


def entries(cl):
    return [(e.ident, e.scene, e.texts) for e in cl.entries]


def test_a_cue_id_with_a_tab_is_cut_to_its_first_word_as_one_with_a_space():
    cl = parse_cue_list("cue: 4\ta\nen: x\n")
    assert cl[0].ident == "4" and cl.problems[0].reason == "cue id has blanks; using the first word"


def test_a_key_with_a_comma_or_a_tab_is_reported_and_the_rest_round_trips():
    cl = parse_cue_list("cue: 1\nen: a\nde,fr: b\nx\ty: c\n")
    assert cl.languages == ["en"] and cl[0].texts == {"en": "a"}
    assert [(p.line, p.reason) for p in cl.problems] == [(3, "expected 'key: value'"), (4, "expected 'key: value'")]
    again = parse_cue_list(format_cue_list(cl))
    assert entries(again) == entries(cl) and again.languages == cl.languages


line = st.one_of(
    st.tuples(st.sampled_from(["cue", "scene", "en", "fr", "languages", "EN", "x,y", "a\tb", "#", ""]),
              st.text(alphabet="ab1 ,\t:#~", max_size=6)).map(lambda kv: "%s: %s" % kv),
    st.text(alphabet="ab1 ,\t:#~\r", max_size=8))


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=12))
def test_any_cue_file_reads_back_the_same_after_format(lines):
    cl = parse_cue_list("\n".join(lines))
    again = parse_cue_list(format_cue_list(cl))
    assert again.problems == []
    assert again.languages == cl.languages
    assert entries(again) == entries(cl)
