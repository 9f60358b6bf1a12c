"""Write the two ``package.json`` files MicroPython's ``mip`` installs from, out of manifest.py.

``manifest.py`` (the freeze manifest) is the one list of the modules that run on MicroPython;
this script turns it into:

- ``package.json`` at the repository root: the microaxon core
  (``mpremote mip install github:OWNER/REPO``);
- ``kamaelia_lite/package.json``: the portable kamaelia_lite components
  (``mpremote mip install github:OWNER/REPO/kamaelia_lite``).

URLs are relative to each package.json, so a fork, a tag or a local HTTP server works unchanged.
Run ``python -m ports.micropython.mip_json`` after changing manifest.py;
tests/packaging/test_mip_package_json_matches_the_manifest.py fails while they differ.
"""

import json
import os
import re
from typing import Dict

from ports.micropython.build import read_manifest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# package name -> where its package.json lives, relative to the repository root
LOCATIONS = {"microaxon": "", "kamaelia_lite": "kamaelia_lite"}


def version() -> str:
    """The release, from microaxon/__init__.py (the one place it is written)."""
    with open(os.path.join(ROOT, "microaxon", "__init__.py"), encoding="utf-8") as f:
        m = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', f.read(), re.M)
    if m is None:
        raise ValueError("no __version__ = '...' line in microaxon/__init__.py")
    return m.group(1)


def package_jsons() -> Dict[str, str]:
    """{path relative to the root: text} for every package.json, generated from the manifest."""
    files = [rel for _, rel in read_manifest()]
    out = {}
    for name in sorted(LOCATIONS):
        where = LOCATIONS[name]
        urls = []
        for target in files:  # where it lands on the device, under mip's target (/lib)
            if target.split("/")[0] != name:
                continue
            source = target[len(where) + 1:] if where else target  # relative to the package.json
            urls.append([target, source])
        lines = ",\n".join("    " + json.dumps(u) for u in urls)
        text = '{\n  "urls": [\n%s\n  ],\n  "version": %s\n}\n' % (lines, json.dumps(version()))
        out[os.path.join(where, "package.json")] = text
    return out


def main() -> None:
    for rel, text in package_jsons().items():
        with open(os.path.join(ROOT, rel), "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote", rel)


if __name__ == "__main__":
    main()
