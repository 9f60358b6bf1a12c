"""examples/autocue: a script pushed over TCP reaches the teleprompter; the control port
drives it (good commands answered ok, bad ones with a clear error); frames are written."""
import socket
import threading

from displays_helpers import Driver, run_with_watchdog

from examples.autocue.__main__ import build, parse_args
from microaxon import shutdownMicroprocess

SCRIPT = b"# Pushed\n\n[[top]] Hello from the feed with enough words to scroll along.\n\n## Two\n\n[[two]] More.\n.\n"


def client(port, payload, replies_wanted, out, key):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.settimeout(5)
    try:
        s.sendall(payload)
        data = b""
        while data.count(b"\n") < replies_wanted:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        out[key] = data.decode()
    finally:
        s.close()


def run_app(scheduler, graph, plan):
    """Run the example's graph with a Driver following ``plan`` (its outbox: the graph's control)."""
    d = Driver(plan, stop_scheduler_at_end=True)   # see core-requests: stale TCPServer timers
    d.link((d, "outbox"), (graph, "control"))
    graph.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)


def test_script_and_control_ports_drive_the_teleprompter(scheduler, tmp_path):
    args = parse_args(["--script-port", "0", "--control-port", "0", "--size", "320x200", "--font", "20",
                       "--frames", str(tmp_path), "--frame-every", "1"])
    graph, tp, scripts, control = build(args)
    out = {}
    log = {}

    def plan(d):
        t = threading.Thread(target=client, args=(scripts.port, SCRIPT, 2, out, "script"))
        t.start()
        yield lambda: "Pushed" in tp.doc.words and not t.is_alive()
        t = threading.Thread(target=client, args=(control.port, b"jump two\nspeed 99\nmirror x\nplay\n", 5,
                                                  out, "control"))
        t.start()
        yield lambda: tp.mirror_x and tp.playing and not t.is_alive()
        log["word"] = tp.doc.words[tp.word_index()]
        d.send(shutdownMicroprocess(), "outbox")
        yield lambda: graph.finished()

    run_app(scheduler, graph, plan)
    # markers: pushed, top (on the heading's next word: the same stop), two (heading and
    # [[two]] are one marker)
    assert "ok script: 13 words, 3 markers" in out["script"]
    lines = out["control"].splitlines()
    assert lines[0].startswith("ready")
    assert lines[1] == "ok jump two"
    assert lines[2].startswith("error: speed: 99 is outside -10..10")
    assert lines[3:5] == ["ok mirror x", "ok play"]
    assert log["word"] == "Two"            # the heading "## Two" is the first marker named two
    assert list(tmp_path.glob("frame_*.png"))


def test_a_command_the_teleprompter_cannot_do_is_answered_with_an_error(scheduler):
    args = parse_args(["--script-port", "0", "--control-port", "0", "--size", "320x200", "--font", "20"])
    graph, tp, scripts, control = build(args)
    out = {}

    def plan(d):
        t = threading.Thread(target=client, args=(scripts.port, SCRIPT, 2, out, "script"))
        t.start()
        yield lambda: "Pushed" in tp.doc.words and not t.is_alive()
        t = threading.Thread(target=client, args=(
            control.port, b"jump nowhere\njump two\nnext\nfreeze\nprev\n", 6, out, "control"))
        t.start()
        yield lambda: not t.is_alive()
        d.send(shutdownMicroprocess(), "outbox")
        yield lambda: graph.finished()

    run_app(scheduler, graph, plan)
    lines = out["control"].splitlines()
    assert lines[1].startswith("error: no marker 'nowhere' (markers: pushed, top, two)"), lines
    assert lines[2] == "ok jump two"
    assert lines[3] == "error: no next marker"              # two is the last stop: one press, one answer
    assert lines[4] == "error: the teleprompter does not do 'freeze'"
    assert lines[5] == "ok prev"


def notice_client(port, out):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.settimeout(5)
    try:
        data = b""
        while b"# error" not in data or not data.endswith(b"\n"):
            if data.startswith(b"ready"):
                out["connected"] = True
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
            out["connected"] = True
        out["notice"] = data.decode()
    finally:
        s.close()


def test_errors_found_after_the_answer_reach_the_control_clients(scheduler):
    args = parse_args(["--script-port", "0", "--control-port", "0", "--size", "320x200", "--font", "20"])
    graph, tp, scripts, control = build(args)
    out = {}

    def plan(d):
        t = threading.Thread(target=notice_client, args=(control.port, out))
        t.start()
        yield lambda: out.get("connected")
        tp.do(("jump", "nowhere"))     # e.g. a key press on the window: the error reaches the clients
        yield lambda: not t.is_alive()
        d.send(shutdownMicroprocess(), "outbox")
        yield lambda: graph.finished()

    run_app(scheduler, graph, plan)
    assert "# error: no marker 'nowhere'" in out["notice"]
