"""Show-log lines: UTC time to the millisecond, a kind word, the action or the change on one
line; cue changes, blackout, freeze and mode changes each get their own line."""
from kamaelia_lite.surtitles.showlog import (
    describe_command,
    describe_event,
    log_line,
    parse_log_line,
    state_changes,
)


def test_a_line_has_the_utc_time_a_kind_and_one_line_of_text():
    line = log_line(1796574742.2456, "CUE", "4 en=first line\nsecond")
    assert line == "2026-12-06T16:32:22.246Z CUE 4 en=first line / second\n"
    assert parse_log_line(line) == ("2026-12-06T16:32:22.246Z", "CUE", "4 en=first line / second")


def test_commands_are_written_as_typed_and_events_by_kind():
    assert describe_command(("blackout", True)) == "blackout on"
    assert describe_command(("cue", "4a")) == "cue 4a"
    assert describe_command(("freeze", None)) == "freeze"
    assert describe_command("scene Act 2") == "scene Act 2"
    assert describe_event(("role", "leading", 17)) == ("ROLE", "leading epoch=17")
    assert describe_event({"live": 2, "languages": {"en": 2}, "silent": []})[0] == "DISPLAYS"
    assert describe_event(("error", "cue 99", "no cue '99'")) == ("ERROR", "cue 99: no cue '99'")


def test_each_change_of_what_the_audience_sees_is_one_entry():
    a = {"cue": "1", "pos": 0, "scene": "A", "texts": {"en": "one", "fr": "un"}, "blackout": False, "freeze": False}
    assert state_changes(None, a) == [("CUE", "1 scene=A en=one fr=un")]
    b = dict(a, blackout=True, texts={})
    assert state_changes(a, b) == [("BLACKOUT", "on")]
    c = dict(b, freeze=True, mode="timed")
    assert state_changes(b, c) == [("FREEZE", "on"), ("MODE", "timed")]
    assert state_changes(c, c) == []


def test_the_cue_players_timing_mode_changes_are_logged():
    from kamaelia_lite.surtitles.cues import CueDeck, CueList
    from kamaelia_lite.surtitles.subtitles import parse_subtitles
    deck = CueDeck(CueList.from_tracks({"en": parse_subtitles(b"1\n00:00:01,000 --> 00:00:02,000\none\n")}))
    a = deck.shown()
    assert state_changes(None, a) == [("CUE", "standby")]          # manual from the start: no entry
    deck.set_timed(True, 0)
    b = deck.shown()
    assert state_changes(a, b) == [("MODE", "timed")]
    deck.apply(("pause",), 10)
    assert state_changes(b, deck.shown()) == [("MODE", "manual")]
    assert state_changes(None, b) == [("CUE", "standby"), ("MODE", "timed")]
