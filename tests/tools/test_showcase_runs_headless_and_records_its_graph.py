"""`python -m examples.showcase` (what `./dev.sh showcase` runs) works headless: the multicast
radio and the surtitles run together in one process on loopback, the run ends by itself, and the
output directory holds composite PNG frames, the live graph (DOT that graphviz renders and that
matches the Mermaid export), the recorded audio and a summary."""
import re
import subprocess
import sys
import time
import wave

import pytest
from tools_helpers import ROOT, repo_env


@pytest.mark.slow
def test_showcase_headless_run_ends_by_itself_and_writes_its_outputs(tmp_path):
    out = tmp_path / "showcase"
    env = repo_env(SDL_VIDEODRIVER="dummy")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "examples.showcase", "--seconds", "4", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert elapsed < 4 + 12
    text = proc.stdout
    assert "radio + surtitles" in text
    heard = re.search(r"radio: (srm|udp) multicast on lo port \d+: heard ([\d.]+) s of audio", text)
    assert heard and float(heard.group(2)) >= 1.0, text
    for lang in ("en", "fr"):
        m = re.search(r"surtitles \[%s\]: (\d+) frame\(s\), cues ([^;]+);" % lang, text)
        assert m and int(m.group(1)) >= 2 and "2" in m.group(2).split(", "), text
    assert "stopped cleanly: True; failures: 0; deadlock: False" in text
    assert re.search(r"watch it live: microaxon-top --port \d+", text)
    for name in ("OggPagePacer", "MulticastSender", "MulticastReceiver", "VorbisDecode", "CuePlayer",
                 "SyncLeaderComponent", "SubtitleDisplay", "Introspector"):
        assert name in text
    assert (out / "summary.txt").read_text() in text
    with wave.open(str(out / "radio-heard.wav"), "rb") as w:
        assert w.getnframes() > w.getframerate()          # more than a second of audio recorded
    frames = sorted(out.glob("frame-*.png"))
    assert len(frames) >= 3
    import pygame

    last = pygame.image.load(str(frames[-1]))
    white = sum(1 for x in range(10, 520, 2) for y in range(76, 180, 2) if last.get_at((x, y))[:3] == (255, 255, 255))
    assert white > 50                                    # the English display shows a cue's text
    dot = (out / "graph.dot").read_text()
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=30)
    assert svg.returncode == 0 and "<svg" in svg.stdout
    mermaid = (out / "graph.mmd").read_text()
    dot_nodes = set(re.findall(r"^\s+(c\d+) \[label=", dot, re.M))
    mmd_nodes = set(re.findall(r"^\s+(c\d+)\[", mermaid, re.M))
    assert dot_nodes and dot_nodes == mmd_nodes
    dot_edges = sorted(re.findall(r"^\s+(c\d+) -> (c\d+) \[label=\"([^\"]+)\"\]", dot, re.M))
    mmd_edges = sorted((a, b, lab) for a, lab, b in re.findall(r"^\s+(c\d+) -->\|\"([^\"]+)\"\| (c\d+)$", mermaid, re.M))
    assert dot_edges == mmd_edges


def test_showcase_default_duration_is_short():
    proc = subprocess.run([sys.executable, "-m", "examples.showcase", "--help"], cwd=ROOT, env=repo_env(),
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0
    default = float(re.search(r"default (\d+(?:\.\d+)?)\)", proc.stdout).group(1))
    assert default <= 15


@pytest.mark.slow
def test_showcase_window_mode_draws_into_a_window_instead_of_files(tmp_path):
    """--window takes the windowed path (SDL's dummy driver stands in for a screen here)."""
    out = tmp_path / "win"
    proc = subprocess.run([sys.executable, "-m", "examples.showcase", "--seconds", "2", "--window", "--out", str(out)],
                          cwd=ROOT, env=repo_env(SDL_VIDEODRIVER="dummy"), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "radio + surtitles for 2 s, window" in proc.stdout
    assert "frames: 0 PNG(s)" in proc.stdout and not list(out.glob("frame-*.png"))
    assert "stopped cleanly: True; failures: 0; deadlock: False" in proc.stdout
