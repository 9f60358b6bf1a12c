"""The Introspector describes the running system in the visualiser's text protocol, and only the
changes after the first picture."""
from kamaelia_lite.axon_visualiser import GraphDiff
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.util import Collector
from kamaelia_lite.visualiser_introspector_components import Introspector
from microaxon import Scheduler, component, shutdownMicroprocess


def test_first_picture_clears_then_adds_nodes_boxes_and_links():
    d = GraphDiff()
    text = d.update({1: "a.A_1", 2: "b.B_2"}, [(1, "o", "outbox"), (2, "i", "inbox")],
                    [((1, "o", "outbox"), (2, "i", "inbox"))])
    lines = text.splitlines()
    assert lines[0] == "DEL ALL"
    assert 'ADD NODE "1" "a.A_1" randompos component' in lines
    assert "ADD NODE \"(2, 'i', 'inbox')\" \"inbox\" randompos inbox" in lines
    assert "ADD LINK \"(1, 'o', 'outbox')\" \"(2, 'i', 'inbox')\"" in lines


def test_later_pictures_send_only_changes():
    d = GraphDiff()
    d.update({1: "A_1", 2: "B_2"}, [], [])
    assert d.update({1: "A_1", 2: "B_2"}, [], []) == ""
    assert d.update({1: "A_1"}, [], []) == 'DEL NODE "2"\n'


class Stop(component):
    """Stops the introspector after 0.3 s."""

    def main(self):
        self.pause(0.3)
        yield 1
        self.send(shutdownMicroprocess(), "outbox")


def test_introspector_reports_the_live_components():
    s = Scheduler()
    got = Collector()
    intro = Introspector(interval=0.05)
    p = Pipeline(intro, got)
    stop = Stop()
    stop.link((stop, "outbox"), (intro, "control"))
    p.activate(s)
    stop.activate(s)
    s.run()
    text = "".join(got.collected)
    assert text.startswith("DEL ALL\n")
    assert "Introspector" in text and "Collector" in text and "Stop" in text
