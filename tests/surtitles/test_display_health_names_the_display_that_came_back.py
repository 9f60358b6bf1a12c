"""The operator is told which display came back, as it is told which one went silent: the health
summary after a silent display is heard again names it under "back" (once), and the console line
says so (found by the show rehearsal: a display killed and restarted only made the count go up)."""
from kamaelia_lite.surtitles.sync import DisplayHealth, format_health


def test_a_silent_display_heard_again_is_named_back_once():
    h = DisplayHealth(silent_after=3.0)
    h.heartbeat({"d": "stalls-en", "l": ["en"]}, 0.0)
    h.heartbeat({"d": "circle-fr", "l": ["fr"]}, 0.0)
    assert h.summary(1.0) == {"live": 2, "languages": {"en": 1, "fr": 1}, "silent": []}
    h.heartbeat({"d": "circle-fr", "l": ["fr"]}, 3.0)
    gone = h.summary(4.0)
    assert gone == {"live": 1, "languages": {"fr": 1}, "silent": ["stalls-en"]}
    h.heartbeat({"d": "stalls-en", "l": ["en"]}, 5.0)         # restarted
    h.heartbeat({"d": "circle-fr", "l": ["fr"]}, 5.0)
    back = h.summary(5.5)
    assert back == {"live": 2, "languages": {"en": 1, "fr": 1}, "silent": [], "back": ["stalls-en"]}
    assert format_health(back) == "2 live (en 1, fr 1); back: stalls-en"
    assert h.summary(6.0) == {"live": 2, "languages": {"en": 1, "fr": 1}, "silent": []}


def test_a_new_display_is_not_back_and_a_forgotten_one_is_new_again():
    h = DisplayHealth(silent_after=3.0, forget_after=10.0)
    h.heartbeat({"d": "a", "l": ["en"]}, 0.0)
    assert "back" not in h.summary(0.5)
    assert h.summary(5.0)["silent"] == ["a"]
    assert h.summary(20.0) == {"live": 0, "languages": {}, "silent": []}      # forgotten
    h.heartbeat({"d": "a", "l": ["en"]}, 21.0)
    assert "back" not in h.summary(21.5)
