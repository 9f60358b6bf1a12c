"""Run a script under the unix ``micropython`` binary as a device with a ROMFS partition would.

On a device, a ROMFS image lives in memory-mapped flash and ``.mpy`` files in it run in place
(see ``microaxon/tools/bundle/romfs.py``). The unix binary has the ROMFS driver (``vfs.VfsRom``)
but no flash, so :func:`rom_command` emulates one:

* the process gets a heap large enough for the image plus the heap being measured;
* the script's first line imports a small module, compiled to ``.mpy`` beside it, that reads the
  image (linked into the work folder) into one buffer and mounts it at ``/rom``, ahead of everything else on ``sys.path``, as
  firmware does with its ROMFS partition;
* then that module takes away, in one held block, every free byte beyond what is free at the
  same line in a plain ``-X heapsize=<heap>`` run of the same script (measured first, by a run
  whose boot module prints it and stops).

The rest of the script sees the heap a device with ``<heap>`` of RAM would, with the image
outside it, and imports what the image holds from ``/rom``. Checked with
``micropython.mem_info()`` against a plain 64 KiB run (64-bit unix, 32-byte blocks): 8 blocks
fewer free (256 B) and a largest free block 12 blocks smaller (384 B), so ROMFS figures err on
the heavy side. (The boot module is precompiled, so compiling it leaves no holes below the held
block.)
"""
from __future__ import annotations

import os
import subprocess
from typing import Dict, List, Optional

MICROPYTHON = os.environ.get("MICROPYTHON", "micropython")

# The module the script's first line imports: (1) in a plain run of the same script, it prints
# what is free there and stops; (2) in the ROMFS run, it mounts the image and leaves that free.
# Its names, its module name and the image's file name (a link in the work folder) are all names
# the interpreter has built in: it interns no new name, so it moves no pool boundary of the
# interned names (a new pool costs about 1.9 KB, charged to whichever import crosses it).
BOOT_MODULE = "mem"
IMAGE_LINK = "buf"
MEASURE = """import gc
gc.collect()
print("mem", gc.mem_free())
raise SystemExit
"""
MOUNT = """import gc, sys, vfs
buf = bytearray(%(size)d)
with open("buf", "rb") as f:
    f.readinto(buf)
vfs.mount(vfs.VfsRom(buf), "/rom")
sys.path.insert(0, "/rom")
f = None
gc.collect()
data = bytearray(max(0, gc.mem_free() - %(free)d))
"""


def heap_bytes(heap: str) -> int:
    """``"64k"`` -> 65536; accepts the suffixes ``-X heapsize=`` accepts (k, m) or none."""
    heap = heap.strip().lower()
    scale = {"k": 1024, "m": 1024 * 1024}.get(heap[-1:], 1)
    return int(heap.rstrip("km")) * scale


def _write_boot(workdir: str, text: str) -> None:
    from microaxon.tools.bundle.writer import compile_mpy

    boot = os.path.join(workdir, BOOT_MODULE + ".py")
    with open(boot, "w") as f:
        f.write(text)
    compile_mpy(boot, boot[:-3] + ".mpy", BOOT_MODULE)
    os.remove(boot)


def rom_command(source: str, image_path: str, heap: str, workdir: str, script: str = "main.py",
                env: Optional[Dict[str, str]] = None) -> List[str]:
    """Write ``source`` as ``workdir/script``, preceded by the import of the boot module, and
    return the command that runs it for a device of ``heap`` RAM with ``image_path`` as its ROMFS.

    ``workdir`` must not hold the modules themselves (they must come from the image). Run the
    command with ``cwd=workdir``; ``env`` is the environment both runs get (MICROPYPATH should
    name only ``.frozen``).
    """
    path = os.path.join(workdir, script)
    with open(path, "w") as f:
        f.write("import %s\n" % BOOT_MODULE + source)
    _write_boot(workdir, MEASURE)
    proc = subprocess.run([MICROPYTHON, "-X", "heapsize=" + heap, path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=env, cwd=workdir, timeout=30)
    free = [int(x.split()[1]) for x in proc.stdout.splitlines() if x.startswith("mem ")]
    if not free:
        raise RuntimeError("micropython did not start under heapsize=%s: %s" % (heap, proc.stdout.strip()))
    size = os.path.getsize(image_path)
    link = os.path.join(workdir, IMAGE_LINK)
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.abspath(image_path), link)
    _write_boot(workdir, MOUNT % {"size": size, "free": free[0]})
    return [MICROPYTHON, "-X", "heapsize=%dk" % ((heap_bytes(heap) + size) // 1024 + 16), path]
