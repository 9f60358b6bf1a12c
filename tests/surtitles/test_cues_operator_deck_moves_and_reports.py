"""Cue lists: file format with problems reported, the operator deck's moves, freeze, blackout."""
import pytest

from kamaelia_lite.surtitles.commands import parse_command
from kamaelia_lite.surtitles.cues import (
    CueDeck,
    CueList,
    format_cue_list,
    format_operator_view,
    parse_cue_list,
)
from kamaelia_lite.surtitles.subtitles import parse_subtitles

CUES = """\
# Tosca, act 1 (surtitles)
languages: en fr
scene: Act 1
cue: 1
en: Where is she?
fr: Où est-elle ?
cue: 2
en: Tell me,
en: tell me now.
fr: Dis-moi,
cue:
scene: Act 2
cue: 10
en: Vissi d'arte
fr: J'ai vécu d'art
cue: 10
en: duplicate id
this line is wrong
cue: 11
de: Nur Deutsch
"""


def test_cue_file_reads_and_reports_problems():
    cl = parse_cue_list(CUES.encode())
    assert [e.ident for e in cl.entries] == ["1", "2", "3", "10", "10~2", "11"]
    assert cl.languages == ["en", "fr", "de"]
    assert cl[1].texts == {"en": "Tell me,\ntell me now.", "fr": "Dis-moi,"}
    assert cl[2].texts == {} and cl[2].scene == "Act 1"
    assert cl[3].scene == "Act 2"
    assert [(p.line, p.reason) for p in cl.problems] == [
        (16, "duplicate cue id '10' renamed '10~2'"),
        (18, "expected 'key: value'"),
    ]


def test_cue_file_round_trips_through_format():
    cl = parse_cue_list(CUES)
    again = parse_cue_list(format_cue_list(cl))
    assert [(e.ident, e.scene, e.texts) for e in again.entries] == [(e.ident, e.scene, e.texts) for e in cl.entries]


def test_text_before_any_cue_is_reported():
    cl = parse_cue_list("en: orphan\ncue: 1\nen: ok\n")
    assert [(p.line, p.reason) for p in cl.problems] == [(1, "text before the first 'cue:' line")]
    assert len(cl) == 1


def deck():
    return CueDeck(parse_cue_list(CUES))


def test_next_previous_and_bounds():
    d = deck()
    assert d.shown()["cue"] is None and d.shown()["texts"] == {}
    d.next()
    assert d.shown()["cue"] == "1" and d.shown()["texts"]["fr"] == "Où est-elle ?"
    d.previous()
    d.previous()
    assert d.position == -1
    for _ in range(20):
        d.next()
    assert d.shown()["cue"] == "11"


def test_jump_to_cue_and_scene_and_errors():
    d = deck()
    d.goto("10")
    assert d.shown()["pos"] == 3
    d.goto_scene("act 1")
    assert d.shown()["cue"] == "1"
    d.goto_scene("Act 2")
    assert d.shown()["cue"] == "10"
    with pytest.raises(KeyError, match="no cue '99'"):
        d.goto("99")
    with pytest.raises(KeyError, match="Act 1, Act 2"):
        d.goto_scene("act 3")
    assert d.shown()["cue"] == "10"


def test_blackout_hides_text_without_moving():
    d = deck()
    d.next()
    v = d.version
    d.set_blackout()
    s = d.shown()
    assert s["blackout"] and s["texts"] == {} and s["cue"] == "1" and d.version == v + 1
    d.next()
    assert d.shown()["texts"] == {}
    d.set_blackout(False)
    assert d.shown()["texts"]["en"].startswith("Tell me")


def test_freeze_keeps_the_audience_on_its_cue_while_the_operator_moves():
    d = deck()
    d.next()
    d.set_freeze(True)
    v = d.version
    d.next()
    d.next()
    assert d.shown()["cue"] == "1" and d.version == v
    view = d.operator_view()
    assert view["current"].ident == "3" and view["previous"].ident == "2" and view["next"].ident == "10"
    assert view["live"].ident == "1"
    text = format_operator_view(view)
    assert "FROZEN (audience sees 1)" in text and "CURRENT  3" in text
    d.set_freeze(False)
    assert d.shown()["cue"] == "3" and d.version == v + 1


def test_commands_from_the_shared_vocabulary():
    d = deck()
    for line in ("next", "next", "prev", "cue 10", "scene act 1", "goto 3", "end", "blackout on", "freeze"):
        d.apply(parse_command(line))
    assert d.position == 5 and d.blackout and d.freeze
    d.apply(parse_command("rewind"))
    assert d.position == -1
    with pytest.raises(ValueError, match="does not take 'mirror'"):
        d.apply(parse_command("mirror x"))


def test_one_srt_per_language_aligned_by_time():
    en = parse_subtitles(b"1\n00:00:01,000 --> 00:00:03,000\nOne\n\n2\n00:00:04,000 --> 00:00:06,000\nTwo\n")
    fr = parse_subtitles(b"1\n00:00:01,100 --> 00:00:02,900\nUn\n\n"
                         b"2\n00:00:04,200 --> 00:00:05,000\nDeux\n\n3\n00:00:05,000 --> 00:00:05,900\n(suite)\n\n"
                         b"4\n00:00:10,000 --> 00:00:11,000\nperdu\n")
    cl = CueList.from_tracks({"en": en, "fr": fr})
    assert [e.texts for e in cl.entries] == [{"en": "One", "fr": "Un"}, {"en": "Two", "fr": "Deux\n(suite)"}]
    assert cl.languages == ["en", "fr"]
    assert [p.line for p in cl.problems] == [14]
