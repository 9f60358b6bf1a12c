"""The bundler follows imports statically (absolute, relative, star, lazy, inside try) and copies
exactly the project modules an app needs; the result runs with nothing else installed, in every
shape (directory, single file, .mpy), under CPython and MicroPython alike."""
import json
import os
import sys

import pytest
from tools_helpers import (
    ROOT,
    bundle,
    isolated_env,
    repo_env,
    run,
    run_bundled_cpython,
    run_bundled_micropython,
)

FILES = {
    "microaxon/__init__.py": "from .core import *\nfrom . import extra as _extra\nVERSION = 'f1'\n",
    "microaxon/core.py": ("__all__ = ['component', 'hop']\n"
                          "def hop(x):\n    return x + 1\n"
                          "class component:\n    def __init__(self, **argd):\n"
                          "        for k in argd:\n            setattr(self, k, argd[k])\n"),
    "microaxon/extra.py": "X = 1\n",
    "microaxon/unused.py": "raise RuntimeError('must not be bundled')\n",
    "kamaelia_lite/__init__.py": "",
    "kamaelia_lite/net/framing.py": ("from microaxon import component, hop\n"
                                     "from ..util import double\n"
                                     "class Framer(component):\n"
                                     "    def frame(self, b):\n        return double(hop(len(b)))\n"
                                     "def lazy():\n    from kamaelia_lite import late\n    return late.V\n"),
    "kamaelia_lite/util.py": "def double(n):\n    return 2 * n\n",
    "kamaelia_lite/late.py": "V = 'late'\n",
    "kamaelia_lite/never.py": "raise RuntimeError('must not be bundled either')\n",
}
APP = """import sys
try:
    import not_installed_anywhere
except ImportError:
    not_installed_anywhere = None
from kamaelia_lite.net.framing import Framer, lazy
import microaxon
f = Framer(tag="t")
print(f.tag, f.frame(b"abc"), lazy(), microaxon.VERSION, microaxon.hop(1), microaxon.extra.X)
"""
EXPECTED = "t 8 late f1 2 1\n"
NEEDED = {"microaxon", "microaxon.core", "microaxon.extra", "kamaelia_lite", "kamaelia_lite.net",
          "kamaelia_lite.net.framing", "kamaelia_lite.util", "kamaelia_lite.late"}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    app = tmp_path / "app.py"
    app.write_text(APP)
    return root, app


def test_bundle_lists_exactly_the_modules_the_app_imports(project, tmp_path):
    root, app = project
    out = tmp_path / "out"
    proc = bundle(str(app), out, "--root", str(root), "--report", "json")
    report = json.loads(proc.stdout)
    assert set(report["modules"]) == NEEDED
    on_disk = set()
    for dirpath, _, names in os.walk(out):
        for n in names:
            on_disk.add(os.path.relpath(os.path.join(dirpath, n), out).replace(os.sep, "/"))
    assert on_disk == {"app.py", "microaxon/__init__.py", "microaxon/core.py", "microaxon/extra.py",
                       "kamaelia_lite/__init__.py", "kamaelia_lite/net/framing.py",
                       "kamaelia_lite/util.py", "kamaelia_lite/late.py"}
    assert report["total_bundled_bytes"] == sum(os.path.getsize(out / f["path"]) for f in report["files"])


@pytest.mark.parametrize("shape", ["directory", "single-file", "mpy"])
def test_bundle_runs_alone_in_every_shape(project, tmp_path, shape):
    root, app = project
    out = tmp_path / shape
    options = {"directory": [], "single-file": ["--single-file"], "mpy": ["--mpy"]}[shape]
    bundle(str(app), out, "--root", str(root), *options)
    if shape == "single-file":
        assert sorted(os.listdir(out)) == ["app.py"]
    if shape == "mpy":
        assert (out / "microaxon" / "core.mpy").is_file() and not (out / "microaxon" / "core.py").exists()
    else:
        assert run_bundled_cpython(str(out), "app.py").stdout == EXPECTED
    assert run_bundled_micropython(str(out), "app.py").stdout == EXPECTED


def test_bundle_names_a_missing_project_module_and_the_line(project, tmp_path):
    root, app = project
    app.write_text("import microaxon\nfrom microaxon.nothere import x\n")
    proc = run([sys.executable, "-m", "microaxon.tools.bundle", str(app), "-o", str(tmp_path / "o"), "--root", str(root)],
               cwd=ROOT, env=repo_env(), check=False)
    assert proc.returncode == 1
    assert "microaxon.nothere" in proc.stderr and "line 2" in proc.stderr


def test_bundle_names_a_syntax_error_in_a_module(project, tmp_path):
    root, app = project
    (root / "kamaelia_lite" / "util.py").write_text("def broken(:\n")
    proc = run([sys.executable, "-m", "microaxon.tools.bundle", str(app), "-o", str(tmp_path / "o"), "--root", str(root)],
               cwd=ROOT, env=repo_env(), check=False)
    assert proc.returncode == 1
    assert "syntax error" in proc.stderr and "util.py" in proc.stderr


def test_bundle_single_file_keeps_module_identity(project, tmp_path):
    """Inside the single file, `import a.b` and `from a import b` give the same module object."""
    root, app = project
    app.write_text("import kamaelia_lite.util\nfrom kamaelia_lite import util\n"
                   "import sys\nprint(util is kamaelia_lite.util, sys.modules['kamaelia_lite.util'] is util,"
                   " util.double(21))\n")
    out = tmp_path / "single"
    bundle(str(app), out, "--root", str(root), "--single-file")
    assert run_bundled_cpython(str(out), "app.py").stdout == "True True 42\n"
    assert run_bundled_micropython(str(out), "app.py").stdout == "True True 42\n"


def test_bundle_entry_point_is_declared_for_the_main_function():
    text = open(os.path.join(ROOT, "pyproject.toml")).read()
    assert 'microaxon-bundle = "microaxon.tools.bundle.__main__:main"' in text
    proc = run([sys.executable, "-c", "from microaxon.tools.bundle.__main__ import main; raise SystemExit(main(['--help']))"],
               cwd=ROOT, env=repo_env(), check=False)
    assert proc.returncode == 0 and "--single-file" in proc.stdout and "--mpy" in proc.stdout


def test_isolated_env_really_cannot_import_the_checkout(tmp_path):
    """Guard for the tests above: the 'stranger' run cannot find microaxon without the bundle."""
    (tmp_path / "probe.py").write_text("import microaxon\n")
    proc = run([sys.executable, "-S", "-E", "probe.py"], cwd=str(tmp_path), env=isolated_env(), check=False)
    assert proc.returncode != 0 and "microaxon" in proc.stderr
    proc = run(["micropython", "probe.py"], cwd=str(tmp_path), env=isolated_env(), check=False)
    assert proc.returncode != 0


def test_extra_packages_are_bundled_besides_the_project_ones(project, tmp_path):
    root, app = project
    (root / "helpers").mkdir()
    (root / "helpers" / "__init__.py").write_text("from kamaelia_lite.util import double\nTWICE = double(2)\n")
    app.write_text("import helpers\nprint(helpers.TWICE)\n")
    out = tmp_path / "extra"
    report = json.loads(bundle(str(app), out, "--root", str(root), "--package", "helpers", "--report", "json").stdout)
    assert set(report["modules"]) == {"helpers", "kamaelia_lite", "kamaelia_lite.util"}
    assert run_bundled_cpython(str(out), "app.py").stdout == "4\n"
    assert run_bundled_micropython(str(out), "app.py").stdout == "4\n"
