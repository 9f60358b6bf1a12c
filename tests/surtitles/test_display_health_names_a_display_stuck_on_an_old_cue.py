"""A display that still sends heartbeats but no longer shows what the leader publishes (its sync
path broken while its heartbeats get through: a broker down between venues, a switch dropping
the sync group) is named "behind" once it stays on an older state for ``silent_after`` s.
Found by the show rehearsal: with the MQTT broker killed, the remote display kept the old cue,
marked "signal lost" on its own screen, while the operator's console said every display was live."""
from kamaelia_lite.surtitles.sync import DisplayHealth, format_health


def beat(h, name, shown, t):
    return h.heartbeat({"d": name, "l": ["en"], "e": shown[0], "v": shown[1]}, t)


def test_a_display_left_on_an_older_state_is_named_behind_until_it_catches_up():
    h = DisplayHealth(silent_after=3.0)
    h.current = (100, 5)                          # what the leader publishes now
    assert beat(h, "stalls", (100, 5), 0.0) == h.CHANGED and beat(h, "remote", (100, 5), 0.0) == h.CHANGED
    h.current = (100, 6)                          # the operator moves on
    for t in (1.0, 2.0, 3.0):
        assert beat(h, "stalls", (100, 6), t) == h.SAME
        assert beat(h, "remote", (100, 5), t) == h.SAME       # late for a moment: not yet behind
    assert h.summary(3.1) == {"live": 2, "languages": {"en": 2}, "silent": []}
    assert beat(h, "remote", (100, 5), 4.0) == h.CHANGED
    s = h.summary(4.1)
    assert s == {"live": 2, "languages": {"en": 2}, "silent": [], "behind": ["remote"]}
    assert format_health(s) == "2 live (en 2); behind: remote"
    assert beat(h, "remote", (100, 6), 5.0) == h.CHANGED     # caught up
    assert h.summary(5.1) == {"live": 2, "languages": {"en": 2}, "silent": []}
    h.current = (100, 7)
    beat(h, "stalls", (100, 7), 6.0)
    assert beat(h, "remote", (100, 6), 10.0) == h.CHANGED     # silent for 5 s (hung), then a
    assert "behind" not in h.summary(10.1)                      # heartbeat before the new state:
    beat(h, "remote", (100, 7), 10.2)                            # a fresh start, not behind


def test_a_display_that_never_got_a_state_is_behind_and_none_is_while_nobody_leads():
    h = DisplayHealth(silent_after=3.0)
    for t in (0.0, 1.0, 2.0, 3.5):                # no leader publishing (standing by): no judgement
        beat(h, "new", (None, -1), t)
    assert "behind" not in h.summary(3.6)
    h.current = (7, 0)
    for t in (4.0, 5.0, 6.0, 7.5):
        beat(h, "new", (None, -1), t)
    assert h.summary(7.6)["behind"] == ["new"]
    beat(h, "newer", (8, 0), 7.6)                 # another leader's newer epoch: not behind
    h.heartbeat({"d": "old-kind", "l": []}, 7.6)  # a heartbeat that does not say: not judged
    for t in (9.0, 11.0):
        beat(h, "new", (None, -1), t)
        beat(h, "newer", (8, 0), t)
        h.heartbeat({"d": "old-kind", "l": []}, t)
    assert h.summary(11.1)["behind"] == ["new"]
