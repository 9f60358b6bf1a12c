"""Pack a bundle directory into a ROMFS image.

ROMFS is the read-only filesystem MicroPython (1.25 and later) mounts at ``/rom`` from a flash
partition. A ``.mpy`` imported from it runs in place: its bytecode and constants stay in flash,
so an import costs the heap only the module's objects (functions, classes, dicts, new names),
much as a module frozen into the firmware does, without rebuilding the firmware.

The image format is MicroPython's own; we write it with ``mpremote``'s writer (``pip install
mpremote``), the tool that also deploys images (``mpremote romfs deploy``), rather than keep a
second copy of the format here.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional

from .graph import BundleError

SKIPPED = ("__pycache__",)


def romfs_image(src_dir: str, relpaths: Optional[Iterable[str]] = None) -> bytes:
    """The ROMFS image of the files under ``src_dir`` (all of them, or only ``relpaths``, paths
    relative to it with ``/``), names in sorted order so the same files always give the same
    bytes; a :class:`BundleError` if mpremote is missing."""
    try:
        from mpremote.romfs import VfsRomWriter
    except ImportError:
        raise BundleError("--romfs needs mpremote's ROMFS writer: pip install mpremote") from None
    wanted = None if relpaths is None else set(relpaths)
    writer = VfsRomWriter()

    def add(folder: str, prefix: str) -> None:
        for name in sorted(os.listdir(folder)):
            path, rel = os.path.join(folder, name), prefix + name
            if name in SKIPPED:
                continue
            if os.path.isdir(path):
                if wanted is None or any(w.startswith(rel + "/") for w in wanted):
                    writer.opendir(name)
                    add(path, rel + "/")
                    writer.closedir()
            elif wanted is None or rel in wanted:
                with open(path, "rb") as f:
                    writer.mkfile(name, f.read())

    add(src_dir, "")
    return bytes(writer.finalise())


def write_romfs(src_dir: str, image_path: str, relpaths: Optional[Iterable[str]] = None) -> int:
    """Write :func:`romfs_image` of ``src_dir`` to ``image_path``; returns its size in bytes."""
    image = romfs_image(src_dir, relpaths)
    with open(image_path, "wb") as f:
        f.write(image)
    return len(image)
