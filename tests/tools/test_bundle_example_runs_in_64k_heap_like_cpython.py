"""An example app bundled with microaxon.tools.bundle runs under `micropython -X heapsize=64k` and prints
exactly what CPython prints, with nothing but the bundle on its path."""
import json
import os
import sys

from tools_helpers import (
    MICROPYTHON,
    ROOT,
    bundle,
    isolated_env,
    repo_env,
    run,
    run_bundled_cpython,
    run_bundled_micropython,
)

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
    assert set(report["modules"]) == {"microaxon", "microaxon.core", "microaxon.scheduler", "microaxon.lifetime", "microaxon.errors",
                                        "microaxon._desktop",
                                        "microaxon._device", "microaxon.iowait", "microaxon.threadcalls", "microaxon.more",
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
    assert not any(m.startswith(("kamaelia_lite.net", "kamaelia_lite.draw", "kamaelia_lite.displays", "kamaelia_lite.surtitles")) for m in report["modules"])
    bundle(app, mpy_out, "--mpy")
    cpython = run_bundled_cpython(str(src_out), "pipeline_hello.py").stdout
    assert cpython.splitlines() == ["1: TINY", "2: COMPONENTS", "3: TALK", "4: THROUGH", "5: BOXES",
                                    "done: 0 failures"]
    assert run_bundled_micropython(str(mpy_out), "pipeline_hello.py", heap="128k").stdout == cpython


PIPELINE_APP = '''import gc
import sys

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.util import Collector, DataSource, PureTransformer

sink = Collector()
Pipeline(DataSource(["tiny", "components", "talk"]), PureTransformer(lambda w: w.upper()), sink).run()
print(" ".join(sink.collected))
gc.collect()
if hasattr(gc, "mem_free"):
    sys.stderr.write("free %d\\n" % gc.mem_free())
'''
def test_three_stage_chassis_pipeline_bundle_carries_only_what_it_uses_and_fits_64k(tmp_path):
    """issue 11: `microaxon-bundle --mpy` of Pipeline(DataSource, PureTransformer, Collector) runs
    under a 64 KiB heap, prints what CPython prints, and leaves >= 24 KiB free."""
    app = tmp_path / "pipeline3.py"
    app.write_text(PIPELINE_APP)
    src_out, mpy_out = tmp_path / "src", tmp_path / "mpy"
    report = json.loads(bundle(str(app), src_out, "--report", "json").stdout)
    kl = sorted(m for m in report["modules"] if m.startswith("kamaelia_lite"))
    assert kl == ["kamaelia_lite", "kamaelia_lite.chassis", "kamaelia_lite.chassis.pipeline", "kamaelia_lite.flow",
                  "kamaelia_lite.util", "kamaelia_lite.util.sinks", "kamaelia_lite.util.sources",
                  "kamaelia_lite.util.transform"]
    bundle(str(app), mpy_out, "--mpy")
    cpython = run_bundled_cpython(str(src_out), "pipeline3.py").stdout
    assert cpython == "TINY COMPONENTS TALK\n"
    micro = run([MICROPYTHON, "-X", "heapsize=64k", "pipeline3.py"], cwd=str(mpy_out), env=isolated_env(),
                check=False)
    assert micro.returncode == 0, micro.stdout + micro.stderr
    assert micro.stdout == cpython                          # it runs in 64 KiB, like CPython
    free = int(micro.stderr.split("free ")[1].split()[0])
    print("free heap after the run: %d B (%.1f KiB) of 64 KiB; the core took %d B"
          % (free, free / 1024.0, core_import_heap(str(mpy_out))))
    assert free >= 24 * 1024, "%d B free, want >= 24 KiB" % free


def core_import_heap(out_dir):
    """Heap bytes `import microaxon` takes in the bundle (the core engineer's figure)."""
    probe = os.path.join(out_dir, "_core_probe.py")
    with open(probe, "w") as f:
        f.write("import gc\ngc.collect()\na = gc.mem_alloc()\nimport microaxon\ngc.collect()\n"
                "print(gc.mem_alloc() - a)\n")
    try:
        return int(run_bundled_micropython(out_dir, "_core_probe.py", heap="256k").stdout.split()[-1])
    finally:
        os.remove(probe)


def test_bundle_follows_lazily_loaded_packages_name_by_name(tmp_path):
    """A name from kamaelia_lite.chassis brings its own module only; the whole package, all."""
    def chassis_modules(source):
        app = tmp_path / "app.py"
        app.write_text(source)
        report = json.loads(bundle(str(app), tmp_path / "out", "--report", "json").stdout)
        return sorted(m for m in report["modules"] if m.startswith("kamaelia_lite.chassis."))

    assert chassis_modules("from kamaelia_lite.chassis import Graphline\n") == [
        "kamaelia_lite.chassis.container", "kamaelia_lite.chassis.graphline"]
    every = ["kamaelia_lite.chassis.%s" % m for m in
             ("backplane", "carousel", "container", "graphline", "par", "pipeline", "supervisor")]
    assert chassis_modules("import kamaelia_lite.chassis\n") == every
    assert chassis_modules("from kamaelia_lite import chassis\n") == every
    assert chassis_modules("from kamaelia_lite.chassis import *\n") == every


def test_lazily_loaded_chassis_works_in_a_single_file_bundle_on_both(tmp_path):
    """The single-file shape registers module objects itself: a package's module __getattr__
    must still load Pipeline/Graphline on first use, on MicroPython as on CPython."""
    app = os.path.join(ROOT, "examples", "pipeline_hello.py")
    out = tmp_path / "one"
    bundle(app, out, "--single-file")
    cpython = run_bundled_cpython(str(out), "pipeline_hello.py").stdout
    assert cpython.splitlines()[-1] == "done: 0 failures"
    assert run_bundled_micropython(str(out), "pipeline_hello.py", heap="1m").stdout == cpython


def test_romfs_image_of_the_pipeline_bundle_runs_in_place_in_64k_with_more_heap_free(tmp_path):
    """`--romfs` packs the --mpy bundle into a ROMFS image. Mounted as a device mounts its ROMFS
    partition (emulated: ports/micropython/romfs.py), the app prints what CPython prints, the
    modules come from /rom, and because their bytecode runs in place more heap stays free than
    with the same .mpy files on a plain filesystem."""
    from ports.micropython.romfs import rom_command

    app = tmp_path / "pipeline3.py"
    app.write_text(PIPELINE_APP)
    out, image, work = tmp_path / "mpy", tmp_path / "app.romfs", tmp_path / "device"
    work.mkdir()
    shown = bundle(str(app), out, "--romfs", str(image)).stdout
    assert "ROMFS image %s:" % image in shown
    source = app.read_text() + 'import microaxon\nprint("from", microaxon.__file__)\n'
    env = isolated_env()
    rom = run(rom_command(source, str(image), "64k", str(work), "pipeline3.py", env), cwd=str(work),
              env=env, check=False)
    assert rom.returncode == 0, rom.stdout + rom.stderr
    lines = rom.stdout.splitlines()
    assert lines[0] == "TINY COMPONENTS TALK"
    assert lines[1] == "from /rom/microaxon/__init__.mpy"
    plain = run([MICROPYTHON, "-X", "heapsize=64k", "pipeline3.py"], cwd=str(out), env=env, check=False)
    free_rom = int(rom.stderr.split("free ")[1].split()[0])
    free_plain = int(plain.stderr.split("free ")[1].split()[0])
    print("free after the run: ROMFS %d B, plain .mpy %d B" % (free_rom, free_plain))
    assert free_rom > free_plain + 8 * 1024


def test_romfs_image_is_deterministic_and_holds_exactly_the_bundled_files(tmp_path):
    """The same bundle gives the same image bytes; the image names every bundled file, and a
    file left in the output folder by an earlier bundle is not packed."""
    from microaxon.tools.bundle.romfs import romfs_image

    app = os.path.join(ROOT, "examples", "hello_core.py")
    out, image = tmp_path / "mpy", tmp_path / "a.romfs"
    (out / "kamaelia_lite").mkdir(parents=True)
    (out / "kamaelia_lite" / "stale_module.mpy").write_bytes(b"M\x06old")
    bundle(app, out, "--romfs", str(image))
    packed = image.read_bytes()
    assert packed[:3] == b"\xd2\xcd\x31"
    assert b"stale_module" not in packed and b"kamaelia_lite" not in packed
    for _, dirs, files in os.walk(str(out / "microaxon")):
        for name in dirs + files:
            assert name.encode() in packed
    assert romfs_image(str(out / "microaxon")) == romfs_image(str(out / "microaxon"))


def test_romfs_without_mpremote_is_a_clear_error_and_writes_no_image(tmp_path):
    """With mpremote missing, `--romfs` says what to install and exits 1; no image is written."""
    shim = tmp_path / "shim"
    (shim / "mpremote").mkdir(parents=True)
    (shim / "mpremote" / "__init__.py").write_text("raise ImportError('mpremote is not installed')\n")
    image = tmp_path / "app.romfs"
    env = repo_env()
    env["PYTHONPATH"] = str(shim) + os.pathsep + env.get("PYTHONPATH", "")
    app = os.path.join(ROOT, "examples", "hello_core.py")
    proc = run([sys.executable, "-m", "microaxon.tools.bundle", app, "-o", str(tmp_path / "out"), "--romfs", str(image)],
               cwd=ROOT, env=env, check=False)
    assert proc.returncode == 1
    assert "--romfs needs mpremote's ROMFS writer: pip install mpremote" in proc.stderr
    assert not image.exists()
