"""Built as a user's pip builds it (python -m build: the sdist, then the wheel from the sdist):
the wheel installs into a fresh virtual environment with no index and no dependencies, holds
our packages and their run-time data but no tests/docs, and its console scripts run; the sdist
carries the tests, the docs and the set-up files so a distribution packager can run the suite."""
import email
import os
import subprocess
import sys
import tarfile
import zipfile

import pytest
from common_helpers import ROOT, isolated_env, run

from ports.micropython.build import read_manifest

EXTRAS = {"audio", "ui", "serial", "subtitles", "web", "mqtt"}
# portable modules that are MicroPython-only (framebuf; the core's device platform module) and so
# cannot import on CPython
DEVICE_ONLY = {"kamaelia_lite.draw.canvas_framebuf", "microaxon._device"}


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), ROOT], cwd=str(out), timeout=600)
    wheel = [os.path.join(out, n) for n in os.listdir(out) if n.endswith(".whl")]
    sdist = [os.path.join(out, n) for n in os.listdir(out) if n.endswith(".tar.gz")]
    assert len(wheel) == 1 and len(sdist) == 1, os.listdir(out)
    return wheel[0], sdist[0]


def _wheel_names(wheel):
    with zipfile.ZipFile(wheel) as z:
        return z.namelist()


def _top_level(names):
    return {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}


def test_wheel_top_level_names_are_only_microaxon_and_kamaelia_lite(dists):
    assert _top_level(_wheel_names(dists[0])) == {"microaxon", "kamaelia_lite"}


def test_wheel_holds_our_packages_and_no_tests_docs_or_device_manifests(dists):
    names = _wheel_names(dists[0])
    top = _top_level(names)
    assert top == {"microaxon", "kamaelia_lite"}, top
    # the user-facing tools and the desktop readers are inside them; the repository's own
    # scripts (benchmarks, doc/font generators, port build scripts) are not
    for needed in ("microaxon/tools/bundle/__main__.py", "microaxon/tools/top/__main__.py",
                   "microaxon/tools/loadgen/__main__.py", "kamaelia_lite/desktop/inputs.py",
                   "kamaelia_lite/graph_recorder.py"):
        assert needed in names, needed
    assert not [n for n in names if "/bench/" in n or "/fontgen/" in n or n.endswith("/reference.py")]
    for _, rel in read_manifest():
        assert rel in names, rel
    assert "kamaelia_lite/package.json" not in names and "package.json" not in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "examples/")) or "__pycache__" in n]


def test_wheel_metadata_has_no_dependencies_outside_extras_and_one_version(dists):
    with zipfile.ZipFile(dists[0]) as z:
        meta_name = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")][0]
        meta = email.message_from_bytes(z.read(meta_name))
    init = open(os.path.join(ROOT, "microaxon", "__init__.py"), encoding="utf-8").read()
    assert '__version__ = "%s"' % meta["Version"] in init
    requires = meta.get_all("Requires-Dist") or []
    assert requires and all("extra ==" in r for r in requires), requires
    assert EXTRAS <= set(meta.get_all("Provides-Extra")), meta.get_all("Provides-Extra")


def test_sdist_carries_tests_docs_and_setup_files(dists):
    with tarfile.open(dists[1]) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed in ("pyproject.toml", "MANIFEST.in", "README.md", "dev.sh", ".ci/apt-packages.txt",
                   "package.json", "kamaelia_lite/package.json", "tests/conftest.py",
                   "tests/test_micropython_suite.py", "docs/tools.md", "ports/micropython/manifest.py",
                   "tools/bench/core_bench.py", "tools/docs/reference.py", "tools/fontgen/make_font.py"):
        assert needed in names, needed
    assert any(n.startswith("tests/micropython/mp_") for n in names)
    assert any(n.startswith("examples/") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.startswith(".venv/")]


def test_wheel_installs_offline_without_dependencies_and_its_pure_modules_and_scripts_work(dists, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], timeout=120)
    py = str(venv / "bin" / "python")
    env = isolated_env()
    env["PIP_CONFIG_FILE"] = os.devnull  # no index, no find-links: nothing but the wheel
    run([py, "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "-q", dists[0]],
        cwd=str(tmp_path), env=env, timeout=300)
    listed = run([py, "-m", "pip", "list", "--format=freeze"], cwd=str(tmp_path), env=env).stdout
    assert [ln.split("==")[0] for ln in listed.split() if not ln.startswith(("pip==", "setuptools=="))] == ["microaxon"]
    names = [rel[:-3].replace("/", ".").replace(".__init__", "") for _, rel in read_manifest()]
    names = [n for n in names if n not in DEVICE_ONLY]
    probe = "import importlib\nfor n in %r:\n    importlib.import_module(n)\nprint('imported', len(%r))" % (names, names)
    proc = run([py, "-I", "-c", probe], cwd=str(tmp_path), env=env)  # -I: the checkout is not on sys.path
    assert "imported %d" % len(names) in proc.stdout
    for script in ("microaxon-bundle", "microaxon-top", "microaxon-loadgen"):
        proc = subprocess.run([str(venv / "bin" / script), "--help"], cwd=str(tmp_path), env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "usage" in proc.stdout.lower(), (script, proc.stdout, proc.stderr)
