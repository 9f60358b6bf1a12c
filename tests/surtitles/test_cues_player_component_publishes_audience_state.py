"""CuePlayer: operator commands in; audience states, operator view and clear errors out."""
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.cues import parse_cue_list
from kamaelia_lite.surtitles.cues_components import CuePlayer
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler

CUES = """languages: en fr
scene: Act 1
cue: 1
en: One
fr: Un
cue: 2
en: Two
fr: Deux
scene: Act 2
cue: 3
en: Three
fr: Trois
"""


def run(lines, path=None):
    sched = Scheduler()
    player = CuePlayer(path or parse_cue_list(CUES))
    audience, operator, errors = Collector(), Collector(), Collector()
    Pipeline(DataSource(lines), player, audience).activate(scheduler=sched)
    player.link((player, "operator"), (operator, "inbox"))
    player.link((player, "errors"), (errors, "inbox"))
    operator.activate(scheduler=sched)
    errors.activate(scheduler=sched)
    sched.run()
    return player, [m for m in audience.collected if isinstance(m, dict)], operator.collected, errors.collected


def test_operator_actions_reach_the_audience_in_order():
    player, audience, operator, errors = run(
        ["next", "next", "freeze on", "next", "prev", "freeze off", "blackout", "cue 1", "blackout off",
         "scene act 2", "quit"])
    assert [(s["cue"], s["texts"].get("fr"), s["blackout"], s["freeze"]) for s in audience] == [
        (None, None, False, False),
        ("1", "Un", False, False),
        ("2", "Deux", False, False),
        ("2", "Deux", False, True),      # freeze: audience stays on 2 while the operator moves
        ("2", "Deux", False, False),     # unfreeze where the operator is (back on 2)
        ("2", None, True, False),        # blackout
        ("1", None, True, False),        # moving during blackout keeps it black
        ("1", "Un", False, False),
        ("3", "Trois", False, False),
    ]
    assert [s["version"] for s in audience] == sorted({s["version"] for s in audience})
    assert errors == []
    last = operator[-1]
    assert last["view"]["current"].ident == "3" and last["view"]["previous"].ident == "2"
    assert last["view"]["next"] is None
    assert "CURRENT  3 [Act 2] Three" in last["text"]
    assert player.finished()


def test_bad_commands_get_clear_errors_and_change_nothing():
    player, audience, operator, errors = run(["next", "cue 42", "scene interval", "fly away", "mirror x", "quit"])
    assert [s["cue"] for s in audience] == [None, "1"]
    assert [e[1] for e in errors] == ["cue 42", "scene interval", "fly away", "mirror x"]
    msgs = [e[2] for e in errors]
    assert msgs[0] == "no cue '42'"
    assert "no scene 'interval' (scenes: Act 1, Act 2)" == msgs[1]
    assert msgs[2].startswith("unknown command 'fly'")
    assert msgs[3] == "the cue player does not take 'mirror'"


def test_cue_player_loads_a_cue_file(tmp_path):
    p = tmp_path / "show.cues"
    p.write_text(CUES, encoding="utf-8")
    player, audience, _, _ = run(["end", "quit"], path=str(p))
    assert audience[-1]["cue"] == "3" and audience[-1]["texts"] == {"en": "Three", "fr": "Trois"}
