"""A topology viewer's clients cannot make it hold, or spend time on, links without bound: at most
``max_links`` (default 10,000) links, a clear TopologyError beyond, and adding or finding a link
costs the same however many there are. Before, links were unbounded (a client could ask for
1,000,000 between 1,000 nodes) and each ADD LINK searched all of them: 30,000 links took 22 s,
the viewer frozen meanwhile."""
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kamaelia_lite.topology import Topology, TopologyError


def test_links_beyond_the_limit_are_refused_and_the_rest_kept():
    t = Topology()
    t.max_links = 5
    for n in "abcd":
        t.apply(["ADD", "NODE", n, n, "randompos", "component"])
    pairs = [(a, b) for a in "abcd" for b in "abcd" if a != b]
    for a, b in pairs[:5]:
        t.apply(["ADD", "LINK", a, b])
    t.apply(["ADD", "LINK", "a", "b"])            # already there: no change, no error
    with pytest.raises(TopologyError, match="too many links"):
        t.apply(["ADD", "LINK", *pairs[5]])
    assert t.links == pairs[:5]
    t.apply(["DEL", "LINK", *pairs[0]])
    t.apply(["ADD", "LINK", *pairs[5]])           # room again
    assert t.links == pairs[1:6]


def test_the_default_limit_is_reached_without_a_long_search():
    t = Topology()
    assert t.max_links == 10000
    for i in range(200):
        t.apply(["ADD", "NODE", str(i), "n", "randompos", "component"])
    count = 0
    with pytest.raises(TopologyError, match="too many links"):
        for i in range(200):
            for j in range(200):
                t.apply(["ADD", "LINK", str(i), str(j)])
                count += 1
    assert count == len(t.links) == 10000


VERBS = ["ADD NODE", "ADD NODE", "ADD LINK", "ADD LINK", "ADD LINK", "DEL LINK", "DEL NODE", "DEL ALL"]
OPS = st.lists(st.tuples(st.sampled_from(VERBS), st.sampled_from("abc"), st.sampled_from("abc")),
               min_size=4, max_size=60)


@settings(max_examples=200, deadline=None)
@given(ops=OPS, limit=st.integers(0, 4))
@example(ops=[("ADD NODE", "a", "a"), ("ADD LINK", "a", "a")], limit=0)
def test_any_session_keeps_links_unique_bounded_and_between_nodes(ops, limit):
    t = Topology(seed=1)
    t.max_links = limit
    model = []
    for verb, a, b in ops:
        cmd = verb.split() + ([a, a, "randompos", "component"] if verb == "ADD NODE" else
                              [a] if verb == "DEL NODE" else [] if verb == "DEL ALL" else [a, b])
        try:
            t.apply(cmd)
        except TopologyError:
            pass
        if verb == "ADD LINK" and a in t.nodes and b in t.nodes and (a, b) not in model and len(model) < limit:
            model.append((a, b))
        elif verb == "DEL LINK" and (a, b) in model:
            model.remove((a, b))
        elif verb == "DEL NODE":
            model = [lk for lk in model if a not in lk]
        elif verb == "DEL ALL":
            model = []
        assert t.links == model
        assert len(t.links) <= limit
