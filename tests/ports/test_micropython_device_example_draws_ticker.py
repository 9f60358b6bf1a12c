"""The handheld example (ports/micropython/main.py + drivers.py) runs under the real micropython
binary with the manifest's modules built to .mpy: the Ticker draws through FramebufCanvas into
frames a panel shows (PPM on the unix port), and command lines from stdin reach it."""
import os
import shutil
import subprocess

import pytest
from common_helpers import ROOT, isolated_env

from ports.micropython.build import build

EXAMPLE = os.path.join(ROOT, "ports", "micropython")


@pytest.fixture(scope="module")
def mpy_lib(tmp_path_factory):
    lib = tmp_path_factory.mktemp("mpylib")
    build(str(lib))
    return str(lib)


def _read_ppm(path):
    data = open(path, "rb").read()
    parts = data.split(b"\n", 3)
    assert parts[0] == b"P6" and parts[2] == b"255"
    w, h = (int(v) for v in parts[1].split())
    pixels = parts[3]
    assert len(pixels) == w * h * 3
    return w, h, pixels


def _run_example(tmp_path, mpy_lib, stdin_text, seconds="2"):
    for name in ("main.py", "drivers.py", "boot.py"):
        shutil.copy(os.path.join(EXAMPLE, name), str(tmp_path / name))
    env = isolated_env()
    env["MICROPYPATH"] = mpy_lib + ":."
    return subprocess.run(["micropython", "-X", "heapsize=512k", "main.py", seconds], cwd=str(tmp_path),
                          env=env, input=stdin_text, capture_output=True, text=True, timeout=30)


def test_ticker_frames_show_the_text_on_the_panel(tmp_path, mpy_lib):
    proc = _run_example(tmp_path, mpy_lib, "")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frames = int(proc.stdout.split("frames shown: ")[1].split(",")[0])
    assert frames >= 10                                   # one present() per word, 20 words/s
    w, h, px = _read_ppm(str(tmp_path / "ticker.ppm"))
    assert (w, h) == (240, 135)
    colours = {}
    for i in range(0, len(px), 3):
        key = (px[i] >> 3, px[i + 1] >> 2, px[i + 2] >> 3)   # compare at RGB565 precision
        colours[key] = colours.get(key, 0) + 1
    background = (128 >> 3, 48 >> 2, 128 >> 3)
    text = (232 >> 3, 232 >> 2, 48 >> 3)
    assert colours.get(background, 0) > w * h // 2        # mostly the ticker's purple
    assert colours.get(text, 0) > 500                     # and a good many yellow text pixels
    assert "failed" not in proc.stderr


def test_pause_command_from_stdin_freezes_the_ticker(tmp_path, mpy_lib):
    """'pause' from stdin freezes the ticker: fewer frames than the free-running run above."""
    proc = _run_example(tmp_path, mpy_lib, "pause\n", seconds="1.5")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    frames = int(proc.stdout.split("frames shown: ")[1].split(",")[0])
    assert frames <= 3                                    # the clear at start, then paused
