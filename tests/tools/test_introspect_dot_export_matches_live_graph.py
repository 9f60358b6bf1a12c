"""The DOT export of a live system renders with graphviz and has exactly the snapshot's nodes
and links; the Mermaid export names the same nodes and links."""
import re
import subprocess

from tools_helpers import snapshot_of

from examples.introspect_demo import build
from microaxon.introspect import graph_edges, node_key, to_dot, to_mermaid


def _plain_graph(dot_text):
    """(node names, [(tail, head, label)]) as graphviz itself parsed the DOT text."""
    proc = subprocess.run(["dot", "-Tplain"], input=dot_text, capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    nodes, edges = set(), []
    for line in proc.stdout.splitlines():
        words = line.split()
        if words[0] == "node":
            nodes.add(words[1])
        elif words[0] == "edge":
            n = int(words[3])
            rest = words[4 + 2 * n:]
            edges.append((words[1], words[2], rest[0].strip('"')))
    return nodes, edges


def test_dot_renders_to_svg_and_matches_the_snapshot():
    snap = snapshot_of(build(period=0.01))
    assert len(snap) >= 6                       # the demo: pipeline, graphline, 3 workers + taker
    dot = to_dot(snap, "demo")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=30)
    assert svg.returncode == 0, svg.stderr
    assert "<svg" in svg.stdout and "Metronome" in svg.stdout
    nodes, edges = _plain_graph(dot)
    assert nodes == {node_key(c["id"]) for c in snap}
    expected = sorted((node_key(s), node_key(d), "%s->%s" % (ob, ib)) for s, ob, d, ib in graph_edges(snap))
    assert sorted(edges) == expected
    # the links really are the demo's: metronome -> doubler -> consumer, data and shutdown paths
    names = {c["id"]: c["name"].split("#")[0] for c in snap}
    pairs = sorted((names[s], ob, names[d], ib) for s, ob, d, ib in graph_edges(snap))
    assert pairs == [("Metronome", "outbox", "PureTransformer", "inbox"),
                     ("Metronome", "signal", "PureTransformer", "control"),
                     ("PureTransformer", "outbox", "BurstyConsumer", "inbox"),
                     ("PureTransformer", "signal", "BurstyConsumer", "control")]


def test_dot_clusters_follow_parents():
    snap = snapshot_of(build(period=0.01))
    dot = to_dot(snap)
    parents = [c for c in snap if c["children"]]
    assert {c["name"].split("#")[0] for c in parents} == {"Pipeline", "Graphline"}
    for c in parents:
        assert "subgraph cluster_%d" % c["id"] in dot


def test_mermaid_has_every_node_and_link():
    snap = snapshot_of(build(period=0.01))
    text = to_mermaid(snap)
    assert text.startswith("flowchart LR\n")
    declared = set(re.findall(r"^\s+(c\d+)\[", text, re.M))
    assert declared == {node_key(c["id"]) for c in snap}
    links = re.findall(r"^\s+(c\d+) -->\|\"([^\"]+)\"\| (c\d+)$", text, re.M)
    assert sorted(links) == sorted((node_key(s), "%s->%s" % (ob, ib), node_key(d))
                                   for s, ob, d, ib in graph_edges(snap))


def test_export_escapes_awkward_component_names():
    snap = [{"id": 1, "name": 'Odd "name" <x>|y', "parent": None, "state": "paused", "steps": 0,
             "inboxes": {"inbox": [0, 4, 0]}, "outboxes": {"outbox": [2, "in\"box", 0]}, "children": []},
            {"id": 2, "name": "B#2", "parent": None, "state": "io", "steps": 3,
             "inboxes": {'in"box': [1, 4, 2]}, "outboxes": {}, "children": []}]
    nodes, edges = _plain_graph(to_dot(snap))
    assert nodes == {"c1", "c2"} and [(a, b) for a, b, _ in edges] == [("c1", "c2")]
    assert '"name"' not in to_mermaid(snap)
