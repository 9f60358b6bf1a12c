"""A topology client's position for a node is a place the viewer can draw: ``nan`` or ``inf`` is
a clear TopologyError, and a position off the area is brought inside it. Before, ``ADD NODE a A
nan,1 component`` was taken: ``GET ALL`` then raised ValueError, and the viewer failed at its next
frame (ValueError / OverflowError from ``int()``), ending the whole run for one client's line."""
import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.topology import Topology, TopologyError


@pytest.mark.parametrize("pos", ["nan,1", "1,nan", "inf,5", "5,-inf", "1e400,0"])
def test_a_position_that_is_not_a_place_is_refused(pos):
    t = Topology(200, 100)
    with pytest.raises(TopologyError, match="bad position"):
        t.apply(["ADD", "NODE", "a", "A", pos, "component"])
    assert t.nodes == {} and t.apply(["GET", "ALL"]) == ("TOPOLOGY", [])


def test_a_position_off_the_area_is_brought_inside_it():
    t = Topology(200, 100)
    t.apply(["FREEZE", "ALL"])                 # no layout step will move it
    t.apply(["ADD", "NODE", "a", "A", "1e300,-1e300", "component"])
    n = t.nodes["a"]
    assert (n.x, n.y) == (190.0, 10.0)
    assert t.apply(["GET", "ALL"]) == ("TOPOLOGY", [("ADD", "NODE", "a", "A", "190,10", "component")])


def test_the_viewer_reports_a_bad_position_and_draws_on():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.topology_components import TopologyViewer, chunks_to_lines, lines_to_tokenlists
    from kamaelia_lite.util import Collector, DataSource
    from microaxon import Scheduler
    got = Collector()
    text = [b"FREEZE ALL\nADD NODE a A nan,1 component\nADD NODE b B 1e30,1e30 component\n"
            b"ADD NODE c C inf,1 component\nGET ALL\n"]
    Pipeline(DataSource(text), chunks_to_lines(), lines_to_tokenlists(), TopologyViewer(size=(200, 100)),
             got).run(Scheduler())
    errors = [m for m in got.collected if m[0] == "ERROR"]
    assert len(errors) == 2 and all("bad position" in m[1] for m in errors), got.collected
    assert got.collected[-1] == ("TOPOLOGY", [("ADD", "NODE", "b", "B", "190,90", "component")])


NUMBER = st.one_of(st.floats(), st.sampled_from(["nan", "inf", "-inf", "1e400", "-0", "1_0"]))


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(st.tuples(NUMBER, NUMBER), max_size=6), frozen=st.booleans(), steps=st.integers(0, 3))
def test_any_position_is_refused_or_placed_inside_and_rebuilds(xs, frozen, steps):
    t = Topology(200, 100, seed=1)
    t.frozen = frozen
    for i, (x, y) in enumerate(xs):
        try:
            t.apply(["ADD", "NODE", str(i), "n", "%s,%s" % (x, y), "component"])
        except TopologyError as e:
            assert "bad position" in str(e)
    for _ in range(steps):
        t.step()
    for n in t.nodes.values():
        assert math.isfinite(n.x) and math.isfinite(n.y)
        assert 0 <= n.x <= t.width and 0 <= n.y <= t.height, (n.x, n.y)
    again = Topology(200, 100)
    for c in t.commands():
        again.apply(list(c))
    assert again.commands() == t.commands()
