"""The topology viewer keeps the graph its commands describe, answers GET commands, reports bad
commands as ERROR messages instead of failing, and lays nodes out apart from each other."""
import os

import pytest

from kamaelia_lite.topology import Topology, TopologyError, tokenise


def test_tokenise_splits_on_spaces_and_keeps_quoted_names_whole():
    assert tokenise('ADD NODE "5" "__main__.Echo 5" randompos component') == \
        ["ADD", "NODE", "5", "__main__.Echo 5", "randompos", "component"]
    assert tokenise("ADD LINK 'a b' \"it\\\"s\"") == ["ADD", "LINK", "a b", 'it"s']
    with pytest.raises(TopologyError):
        tokenise('ADD NODE "5')


def test_commands_build_and_unbuild_the_graph():
    t = Topology(seed=1)
    t.apply(["ADD", "NODE", "a", "A", "randompos", "component"])
    t.apply(["ADD", "NODE", "b", "B", "10,20", "inbox"])
    t.apply(["ADD", "LINK", "a", "b"])
    kind, cmds = t.apply(["GET", "ALL"])
    assert kind == "TOPOLOGY"
    assert ("ADD", "NODE", "b", "B", "10,20", "inbox") in cmds and ("ADD", "LINK", "a", "b") in cmds
    t.apply(["UPDATE_NAME", "NODE", "a", "Alpha"])
    assert t.apply(["GET_NAME", "NODE", "a"]) == ("UPDATE_NAME", "NODE", "a", "Alpha")
    t.apply(["DEL", "NODE", "b"])
    assert t.links == [] and list(t.nodes) == ["a"]
    t.apply(["DEL", "ALL"])
    assert t.nodes == {}


@pytest.mark.parametrize("bad", [["BOGUS"], ["ADD", "NODE", "x"], ["ADD", "LINK", "nope", "none"],
                                 ["ADD", "NODE", "p", "P", "1,two", "component"]])
def test_bad_commands_raise_a_clear_error(bad):
    with pytest.raises(TopologyError):
        Topology().apply(bad)


def test_node_count_is_bounded():
    t = Topology()
    t.max_nodes = 3
    for i in range(3):
        t.apply(["ADD", "NODE", str(i), "n", "randompos", "component"])
    with pytest.raises(TopologyError):
        t.apply(["ADD", "NODE", "x", "n", "randompos", "component"])


def test_layout_pushes_overlapping_nodes_apart_and_keeps_them_inside():
    t = Topology(400, 300)
    t.apply(["ADD", "NODE", "a", "A", "200,150", "component"])
    t.apply(["ADD", "NODE", "b", "B", "201,150", "component"])
    for _ in range(200):
        t.step()
    a, b = t.nodes["a"], t.nodes["b"]
    assert abs(a.x - b.x) + abs(a.y - b.y) > 40
    assert all(10 <= n.x <= 390 and 10 <= n.y <= 290 for n in (a, b))


def test_viewer_component_answers_and_reports_errors_on_its_outbox():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.topology_components import TopologyViewer, chunks_to_lines, lines_to_tokenlists
    from kamaelia_lite.util import Collector, DataSource
    from microaxon import Scheduler
    got = Collector()
    text = [b"ADD NODE a A randompos component\nADD NODE b B random", b"pos component\nADD LINK a b\n",
            b"GET ALL\nBOGUS\n"]
    Pipeline(DataSource(text), chunks_to_lines(), lines_to_tokenlists(), TopologyViewer(size=(200, 100)),
             got).run(Scheduler())
    assert got.collected[0][0] == "TOPOLOGY" and len(got.collected[0][1]) == 3
    assert got.collected[1][0] == "ERROR" and "BOGUS" in got.collected[1][1]
