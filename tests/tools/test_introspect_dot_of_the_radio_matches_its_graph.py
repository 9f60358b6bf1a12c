"""The DOT export of the radio example (server and client in one process, multicast on loopback)
renders with graphviz and has exactly the live system's components and links."""
import os
import random
import subprocess
import time

from tools_helpers import SnapshotAfter

from microaxon import Scheduler
from microaxon.introspect import graph_edges, node_key, to_dot


def _make_ogg(directory, seconds=2.0):
    wav, ogg = os.path.join(directory, "tone.wav"), os.path.join(directory, "tone.ogg")
    subprocess.run(["sox", "-R", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", str(seconds),
                    "sine", "440"], check=True, capture_output=True, timeout=30)
    subprocess.run(["oggenc", "-Q", "-q", "2", "-o", ogg, wav], check=True, capture_output=True, timeout=30)
    return ogg


def test_radio_dot_export_renders_and_equals_the_live_graph(tmp_path):
    from examples.radio import client, server

    ogg = _make_ogg(str(tmp_path))
    port = random.Random(time.time_ns()).randrange(20000, 60000)
    sched = Scheduler()
    for c in server.build(server.parse([ogg, "--transport", "udp", "--port", str(port)])):
        c.activate(sched)
    comps, _ = client.build(client.parse(["--transport", "udp", "--port", str(port), "--no-play",
                                          "--wav", str(tmp_path / "heard.wav"), "--timeout", "5"]))
    for c in comps:
        c.activate(sched)
    taker = SnapshotAfter(seconds=1.0).activate(sched)
    sched.run()
    snap = taker.snapshot
    dot = to_dot(snap, "radio")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=30)
    assert svg.returncode == 0 and "<svg" in svg.stdout, svg.stderr
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True, timeout=30).stdout
    nodes, edges = set(), []
    for line in plain.splitlines():
        w = line.split()
        if w[0] == "node":
            nodes.add(w[1])
        elif w[0] == "edge":
            edges.append((w[1], w[2], w[4 + 2 * int(w[3])].strip('"')))
    assert nodes == {node_key(c["id"]) for c in snap}
    assert sorted(edges) == sorted((node_key(s), node_key(d), "%s->%s" % (ob, ib))
                                   for s, ob, d, ib in graph_edges(snap))
    # and the graph is the radio: the sender side and the receiving chain are linked as built
    names = {c["id"]: c["name"].split("#")[0] for c in snap}
    data_links = {(names[s], names[d]) for s, ob, d, ib in graph_edges(snap) if ob == "outbox"}
    assert ("OggPagePacer", "MulticastSender") in data_links
    assert ("MulticastReceiver", "VorbisDecode") in data_links
    assert ("VorbisDecode", "Reporter") in data_links
