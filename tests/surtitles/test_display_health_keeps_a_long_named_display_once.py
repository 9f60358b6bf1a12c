"""What a display's heartbeat says is kept bounded. And a display whose name is longer than the 40 characters the leader keeps is one display: its
every heartbeat used to count as a new display, and, with the table full, pushed a live display
out of it."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.sync import DisplayHealth


def test_a_long_named_display_beating_twice_pushes_nobody_out():
    h = DisplayHealth(max_displays=2)
    assert h.heartbeat({"d": "stalls-left", "l": ["en"]}, 0.0)
    long_name = "balcony-" + "x" * 60
    for t in (0.5, 1.0, 1.5):
        assert h.heartbeat({"d": long_name, "l": ["fr"]}, t)
    assert h.summary(1.6) == {"live": 2, "languages": {"en": 1, "fr": 1}, "silent": []}


def test_what_a_display_says_is_kept_bounded():
    h = DisplayHealth(max_displays=1000)
    for i in range(1000):
        h.heartbeat({"d": "%d-" % i + "n" * 5000, "l": ["x" * 5000] * 100}, 0.0)
    kept = sum(len(k) + sum(len(x) for x in v[1]) for k, v in h.displays.items())
    assert kept <= 1000 * (40 + 8 * 35)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.text(alphabet="ab", min_size=1, max_size=3),
                                    st.text(alphabet="ab", min_size=39, max_size=42)), st.floats(0, 1)), max_size=30))
def test_the_displays_kept_are_the_most_recently_heard_distinct_ones(beats):
    h = DisplayHealth(max_displays=3, silent_after=1e9)
    t = 0.0
    last = {}
    for name, dt in beats:
        t += dt + 0.001
        h.heartbeat({"d": name, "l": []}, t)
        last[name[:40]] = t
    newest = sorted(last, key=lambda k: last[k])[-3:]
    assert sorted(h.displays) == sorted(newest)
