"""microaxon-top, driven in a real terminal (tmux), shows a running system's components with
counts that change between refreshes, and quits on 'q'; its exports (DOT, Mermaid, PNG, headless
graph frames) work against the same live system."""
import os
import re
import subprocess
import sys
import time

import pytest
from tools_helpers import ROOT, free_tcp_port, repo_env, run

TMUX_SOCKET = "microaxon-top-test"


def tmux(*args, check=True):
    env = dict(os.environ, TERM=os.environ.get("TERM") or "xterm-256color")   # CI may have no TERM
    env.pop("TMUX", None)                                                    # not nested in a user's tmux
    return subprocess.run(["tmux", "-L", TMUX_SOCKET] + list(args), capture_output=True,
                          text=True, timeout=10, check=check, env=env)


@pytest.fixture
def demo():
    """The demo system with an Introspector, in its own process (stops itself after 25 s)."""
    port = free_tcp_port()
    proc = subprocess.Popen([sys.executable, "-m", "examples.introspect_demo", "--port", str(port),
                             "--seconds", "25", "--period", "0.01"],
                            cwd=ROOT, env=repo_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert "introspector on 127.0.0.1:%d" % port in proc.stdout.readline()
        yield port
    finally:
        proc.kill()
        proc.wait(10)


def _capture():
    return tmux("capture-pane", "-p", "-t", "top").stdout


def _rows(screen):
    """{component name: the numbers on its row} from the table on the screen."""
    rows = {}
    for line in screen.splitlines():
        m = re.match(r"\s*\d+\s+(\S+#\d+)\s+\w+\s+(.*)$", line)
        if m:
            rows[m.group(1)] = re.findall(r"\d+(?:\.\d+)?", m.group(2))
    return rows


def test_top_in_tmux_shows_components_and_changing_counts(demo):
    cmd = "cd %s && PYTHONPATH=%s %s -m microaxon.tools.top --port %d --refresh 0.3" % (
        ROOT, ROOT, sys.executable, demo)
    tmux("kill-server", check=False)
    tmux("new-session", "-d", "-s", "top", "-x", "160", "-y", "40", cmd)
    try:
        deadline = time.monotonic() + 10
        first = ""
        while time.monotonic() < deadline and "BurstyConsumer" not in first:
            time.sleep(0.2)
            first = _capture()
        assert "BurstyConsumer" in first, first
        for name in ("Pipeline", "Metronome", "Graphline", "PureTransformer", "Introspector"):
            assert name in first
        assert "MSG/S" in first and "INBOXES" in first
        time.sleep(1.5)
        second = _capture()
        a, b = _rows(first), _rows(second)
        assert set(a) == set(b) and len(a) >= 6
        assert a != b, "no count changed between refreshes:\n%s\n%s" % (first, second)
        t1 = float(re.search(r"t=([\d.]+)s", first).group(1))
        t2 = float(re.search(r"t=([\d.]+)s", second).group(1))
        assert t2 > t1
        doubler = [n for n in b if n.startswith("PureTransformer")][0]
        assert float(b[doubler][0]) > 10          # ~100 messages/s flow through the doubler
        tmux("send-keys", "-t", "top", "q")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and tmux("has-session", "-t", "top", check=False).returncode == 0:
            time.sleep(0.1)
        assert tmux("has-session", "-t", "top", check=False).returncode != 0, "q did not quit"
    finally:
        tmux("kill-server", check=False)


def test_top_exports_dot_mermaid_and_png_from_a_live_system(demo, tmp_path):
    top = [sys.executable, "-m", "microaxon.tools.top", "--port", str(demo)]
    dot = run(top + ["--dot", "-"], cwd=ROOT, env=repo_env()).stdout
    assert dot.startswith("digraph") and "Metronome" in dot
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, stdout=subprocess.PIPE, text=True, timeout=30)
    assert svg.returncode == 0 and "<svg" in svg.stdout
    mermaid = run(top + ["--mermaid", "-"], cwd=ROOT, env=repo_env()).stdout
    assert mermaid.startswith("flowchart LR") and "BurstyConsumer" in mermaid
    png = tmp_path / "graph.png"
    run(top + ["--png", str(png)], cwd=ROOT, env=repo_env(SDL_VIDEODRIVER="dummy"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    frames = tmp_path / "frames"
    out = run(top + ["--graph", "--frames", "2", "--refresh", "0.1", "--png-dir", str(frames)],
              cwd=ROOT, env=repo_env(SDL_VIDEODRIVER="dummy")).stdout
    assert sorted(p.name for p in frames.iterdir()) == ["graph-0000.png", "graph-0001.png"]
    assert "graph-0001.png" in out
    import pygame

    img = pygame.image.load(str(frames / "graph-0001.png"))
    assert img.get_width() > 400 and img.get_height() > 100


def test_top_says_clearly_when_nothing_listens():
    proc = run([sys.executable, "-m", "microaxon.tools.top", "--port", str(free_tcp_port()), "--once"],
               cwd=ROOT, env=repo_env(), check=False)
    assert proc.returncode == 1 and "cannot connect" in proc.stderr
