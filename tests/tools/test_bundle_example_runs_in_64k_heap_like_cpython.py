"""An example app bundled with tools.bundle runs under `micropython -X heapsize=64k` and prints
exactly what CPython prints, with nothing but the bundle on its path."""
import json
import os

from tests.tools._helpers import ROOT, bundle, repo_env, run, run_bundled_cpython, run_bundled_micropython

EXPECTED_HELLO = [
    "line 1: 5 words (5 so far)",
    "line 2: 6 words (11 so far)",
    "line 3: 7 words (18 so far)",
    "all finished: True, failures: 0",
]


def test_hello_core_bundle_same_output_in_64k_micropython_and_cpython(tmp_path):
    app = os.path.join(ROOT, "examples", "hello_core.py")
    src_out, mpy_out = tmp_path / "src", tmp_path / "mpy"
    report = json.loads(bundle(app, src_out, "--report", "json").stdout)
    assert set(report["modules"]) == {"microaxon", "microaxon.core", "microaxon._desktop", "microaxon._device",
                                        "microaxon.threaded"}
    bundle(app, mpy_out, "--mpy")
    cpython = run_bundled_cpython(str(src_out), "hello_core.py").stdout
    micro = run_bundled_micropython(str(mpy_out), "hello_core.py", heap="64k").stdout
    assert cpython.splitlines() == EXPECTED_HELLO
    assert micro == cpython
    # and the checkout itself prints the same (the bundle changed nothing)
    direct = run(["python3", "-m", "examples.hello_core"], cwd=ROOT, env=repo_env()).stdout
    assert direct == cpython


def test_hello_core_single_file_bundle_runs_on_both(tmp_path):
    app = os.path.join(ROOT, "examples", "hello_core.py")
    out = tmp_path / "one"
    bundle(app, out, "--single-file")
    assert os.listdir(out) == ["hello_core.py"]
    cpython = run_bundled_cpython(str(out), "hello_core.py").stdout
    assert cpython.splitlines() == EXPECTED_HELLO
    assert run_bundled_micropython(str(out), "hello_core.py", heap="1m").stdout == cpython


def test_pipeline_example_with_chassis_bundle_matches_cpython(tmp_path):
    """The Pipeline/Graphline example also carries kamaelia_lite.chassis and util."""
    app = os.path.join(ROOT, "examples", "pipeline_hello.py")
    src_out, mpy_out = tmp_path / "src", tmp_path / "mpy"
    report = json.loads(bundle(app, src_out, "--report", "json").stdout)
    assert {"kamaelia_lite.chassis", "kamaelia_lite.util", "microaxon.core"} <= set(report["modules"])
    assert not any(m.startswith("kamaelia_lite.net") or m.startswith("kamaelia_lite.ui") for m in report["modules"])
    bundle(app, mpy_out, "--mpy")
    cpython = run_bundled_cpython(str(src_out), "pipeline_hello.py").stdout
    assert cpython.splitlines() == ["1: TINY", "2: COMPONENTS", "3: TALK", "4: THROUGH", "5: BOXES",
                                    "done: 0 failures"]
    assert run_bundled_micropython(str(mpy_out), "pipeline_hello.py", heap="128k").stdout == cpython
