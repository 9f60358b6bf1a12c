"""The operator's console window names the displays left behind (heartbeats arriving, states
not), as it names the silent ones: the leader's health summary says "behind" since the show
rehearsal found a display stuck on an old cue while the console said every display was live."""
from kamaelia_lite.surtitles.console import ConsoleModel
from kamaelia_lite.surtitles.cues import parse_cue_list


def test_the_console_names_silent_and_behind_displays():
    m = ConsoleModel(parse_cue_list("languages: en\ncue: 1\nen: Hello\n"))
    m.set_health({"live": 2, "languages": {"en": 2}, "silent": ["circle"], "behind": ["remote-en"]})
    assert m.display_summary() == "DISPLAYS 2 (en 2)  SILENT circle  BEHIND remote-en"
    m.set_health({"live": 2, "languages": {"en": 2}, "silent": []})
    assert m.display_summary() == "DISPLAYS 2 (en 2)"
