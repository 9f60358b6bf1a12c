"""Every module the freeze manifest lists compiles with mpy-cross and imports under the real
micropython binary from the .mpy build (python -m ports.micropython.build OUT/)."""
import os
import subprocess
import sys

from common_helpers import ROOT, isolated_env, repo_env, run

from ports.micropython.build import read_manifest

# modules that may raise ImportError on a port lacking a feature (documented in the manifest)
OPTIONAL = {"microaxon.threaded": "GIL"}


def test_manifest_lists_existing_files_of_this_project():
    files = read_manifest()
    rels = [rel for _, rel in files]
    assert "microaxon/core.py" in rels and "microaxon/__init__.py" in rels
    assert len(rels) == len(set(rels))
    for src, rel in files:
        assert os.path.isfile(src), rel
        assert rel.split("/")[0] in ("microaxon", "kamaelia_lite")


def test_build_writes_mpy_for_every_manifest_file_and_all_import(tmp_path):
    out = tmp_path / "lib"
    proc = run([sys.executable, "-m", "ports.micropython.build", str(out), "--json"], cwd=ROOT, env=repo_env())
    import json

    rows = json.loads(proc.stdout)
    expected = {rel[:-3] + ".mpy" for _, rel in read_manifest()}
    assert {r["path"] for r in rows} == expected
    for r in rows:
        data = (out / r["path"]).read_bytes()
        assert data[:1] == b"M" and r["bytes"] == len(data)      # .mpy header magic
    names = sorted(p[:-4].replace("/", ".").replace(".__init__", "") for p in expected)
    probe = "\n".join([
        "import sys",
        "bad = []",
        "for name in %r:" % names,
        "    try:",
        "        __import__(name)",
        "    except ImportError as e:",
        "        bad.append((name, str(e)))",
        "for name, err in bad:",
        "    print('FAIL', name, err)",
        "print('checked', len(%r))" % names,
    ])
    env = isolated_env()
    env["MICROPYPATH"] = str(out)
    proc = subprocess.run(["micropython", "-X", "heapsize=4m", "-c", probe], env=env, cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checked %d" % len(names) in proc.stdout
    for line in proc.stdout.splitlines():
        if line.startswith("FAIL"):
            name = line.split()[1]
            assert name in OPTIONAL and OPTIONAL[name] in line, line


def test_build_rejects_a_manifest_naming_a_missing_file(tmp_path):
    bad = tmp_path / "manifest.py"
    bad.write_text('package("microaxon", files=["core.py", "nothere.py"], base_path=%r)\n' % ROOT)
    proc = run([sys.executable, "-m", "ports.micropython.build", str(tmp_path / "o"), "--manifest", str(bad)],
               cwd=ROOT, env=repo_env(), check=False)
    assert proc.returncode == 1 and "microaxon/nothere.py" in proc.stderr
