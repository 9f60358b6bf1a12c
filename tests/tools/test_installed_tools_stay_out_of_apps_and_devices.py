"""The command-line tools live in microaxon.tools (installed with the wheel), yet the runtime never
imports them: importing every runtime module leaves microaxon.tools out of sys.modules, a device
bundle of an app that uses the core and the chassis carries none of them, and the freeze
manifest lists none of them. Each tool runs as ``python -m microaxon.tools.NAME``."""
import json
import sys

import pytest
from tools_helpers import ROOT, bundle, repo_env, run

from ports.micropython.build import read_manifest

APP = """from microaxon import Scheduler, component
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.util import Collector, PureTransformer
import kamaelia_lite.introspector
print("ok")
"""


def test_importing_the_runtime_and_its_components_imports_no_tool():
    probe = ("import importlib, sys, pkgutil\n"
             "import microaxon, kamaelia_lite\n"
             "names = ['microaxon.' + i.name for i in pkgutil.iter_modules(microaxon.__path__)\n"
             "         if i.name != 'tools']\n"
             "names += [i.name for i in pkgutil.walk_packages(kamaelia_lite.__path__, 'kamaelia_lite.')]\n"
             "for n in names:\n"
             "    try:\n"
             "        importlib.import_module(n)\n"
             "    except ImportError:\n"
             "        pass\n"
             "print(len(names), sorted(m for m in sys.modules if m.startswith('microaxon.tools')))\n")
    proc = run([sys.executable, "-c", probe], cwd=ROOT, env=repo_env(), timeout=120)
    count, loaded = proc.stdout.strip().splitlines()[-1].split(" ", 1)   # after pygame's greeting
    assert int(count) > 40                      # the walk really reached the component modules
    assert loaded.strip() == "[]", proc.stdout


def test_a_device_bundle_carries_no_tool_module(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(APP)
    proc = bundle(str(app), tmp_path / "out", "--report", "json")
    modules = json.loads(proc.stdout)["modules"]
    assert "microaxon.core" in modules and "kamaelia_lite.introspector" in modules
    assert not [m for m in modules if m.startswith("microaxon.tools")], modules
    assert not (tmp_path / "out" / "microaxon" / "tools").exists()


def test_the_freeze_manifest_lists_no_tool_module():
    listed = [rel for _, rel in read_manifest()]
    assert "microaxon/core.py" in listed
    assert not [rel for rel in listed if rel.startswith(("microaxon/tools/", "kamaelia_lite/desktop/"))]


@pytest.mark.parametrize("tool", ["bundle", "top", "loadgen"])
def test_each_tool_runs_as_a_module_of_the_package(tool):
    proc = run([sys.executable, "-m", "microaxon.tools." + tool, "--help"], cwd=ROOT, env=repo_env(), timeout=60)
    assert "usage" in proc.stdout.lower()
