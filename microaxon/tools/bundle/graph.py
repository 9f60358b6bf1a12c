"""Static import graph of an application, restricted to this project's packages.

The bundler never runs the application: it parses every file with :mod:`ast` and follows
``import`` / ``from ... import`` statements (including relative ones, and imports inside
functions or ``try`` blocks) transitively, keeping only modules that live in one of the
project's packages (``microaxon`` and ``kamaelia_lite`` by default).  Everything else
(``socket``, ``pygame``, ...) belongs to the interpreter and is left out.

Packages that load their names on first use (``kamaelia_lite.chassis``, ``kamaelia_lite.util``:
a module ``__getattr__`` and a top-level ``_WHERE = {"Name": "submodule", ...}`` literal) are
followed name by name: ``from kamaelia_lite.chassis import Pipeline`` needs
``kamaelia_lite.chassis.pipeline`` only. Importing such a package whole (``import
kamaelia_lite.chassis``, ``from kamaelia_lite import chassis``, ``import *``) needs every module
its table names.
"""
from __future__ import annotations

import ast
import os
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

PROJECT_PACKAGES: Tuple[str, ...] = ("microaxon", "kamaelia_lite")


class BundleError(Exception):
    """The application cannot be bundled (unreadable file, syntax error, missing module)."""


class ModuleSource:
    """One project module found on disk.

    ``name`` is the dotted name (``microaxon.core``), ``path`` the file, ``is_package`` whether
    it is a package's ``__init__.py``, ``tree`` its parsed AST.
    """

    def __init__(self, name: str, path: str, is_package: bool, tree: ast.Module, source: str) -> None:
        self.name = name
        self.path = path
        self.is_package = is_package
        self.tree = tree
        self.source = source

    @property
    def package(self) -> str:
        """The package relative imports in this module are resolved against."""
        if self.is_package:
            return self.name
        return self.name.rpartition(".")[0]

    @property
    def relpath(self) -> str:
        """Path of the file relative to the project root, with ``/`` separators."""
        parts = self.name.split(".")
        if self.is_package:
            return "/".join(parts) + "/__init__.py"
        return "/".join(parts) + ".py"

    def __repr__(self) -> str:
        return "ModuleSource(%r, %r)" % (self.name, self.path)


def parse_file(path: str) -> Tuple[ast.Module, str]:
    """Read and parse one Python file; a syntax error becomes a :class:`BundleError`."""
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except OSError as e:
        raise BundleError("cannot read %s: %s" % (path, e)) from e
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        raise BundleError("syntax error in %s line %s: %s" % (path, e.lineno, e.msg)) from e
    return tree, source


def resolve_relative(package: str, level: int, module: Optional[str]) -> str:
    """Absolute name for ``from <level dots><module> import ...`` inside ``package``."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        raise BundleError("relative import beyond top-level package in %r" % package)
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base)


def imported_names(tree: ast.Module, package: str) -> List[Tuple[str, List[str], int]]:
    """Every import in ``tree`` as ``(absolute module, [names imported from it], lineno)``.

    For ``import a.b.c`` the names list is empty; for ``from a import b, c`` it is
    ``["b", "c"]`` (each may itself be a submodule).  Top-level statements come first, in
    source order, then imports nested in functions/classes (executed later, if ever).
    """
    top: List[Tuple[str, List[str], int]] = []
    nested: List[Tuple[str, List[str], int]] = []
    top_ids = set()
    for stmt in _top_level_statements(tree.body):
        top_ids.add(id(stmt))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found = [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            absolute = resolve_relative(package, node.level, node.module)
            found = [(absolute, [alias.name for alias in node.names], node.lineno)]
        else:
            continue
        (top if id(node) in top_ids else nested).extend(found)
    top.sort(key=lambda t: t[2])
    nested.sort(key=lambda t: t[2])
    for entry in nested:
        entry[1].append(_NESTED)
    return top + nested


_NESTED = "\0nested"     # marks, in a names list, an import that runs only when called


def _top_level_statements(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements executed when the module is imported (descending into if/try/with)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.For, ast.While, ast.With)):
            yield from _top_level_statements(stmt.body)
            yield from _top_level_statements(getattr(stmt, "orelse", []))
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            yield from _top_level_statements(stmt.body)
            for handler in stmt.handlers:
                yield from _top_level_statements(handler.body)
            yield from _top_level_statements(stmt.orelse)
            yield from _top_level_statements(stmt.finalbody)


class ImportGraph:
    """The project modules an application needs, found by following imports statically.

    ``root`` is the directory holding the project packages; ``packages`` the top-level package
    names that count as "this project".
    """

    def __init__(self, root: str, packages: Sequence[str] = PROJECT_PACKAGES) -> None:
        self.root = os.path.abspath(root)
        self.packages = tuple(packages)
        self.modules: Dict[str, ModuleSource] = {}
        self.order: List[str] = []          # execution order (as CPython would first run them)
        self.edges: Dict[str, List[str]] = {}
        self._state: Dict[str, str] = {}   # name -> "active" | "done"

    # -- locating ---------------------------------------------------------------------------
    def is_project(self, name: str) -> bool:
        """Whether the dotted name belongs to one of the project packages."""
        return bool(name) and name.split(".")[0] in self.packages

    def find(self, name: str) -> Optional[ModuleSource]:
        """The module ``name`` on disk (package ``__init__`` or plain module), or None."""
        if name in self.modules:
            return self.modules[name]
        base = os.path.join(self.root, *name.split("."))
        init = os.path.join(base, "__init__.py")
        if os.path.isfile(init):
            path, is_package = init, True
        elif os.path.isfile(base + ".py"):
            path, is_package = base + ".py", False
        elif os.path.isdir(base):
            path, is_package = None, True   # namespace package: a directory without __init__
        else:
            return None
        if path is None:
            tree, source = ast.parse(""), ""
        else:
            tree, source = parse_file(path)
        mod = ModuleSource(name, path or base, is_package, tree, source)
        self.modules[name] = mod
        return mod

    def lazy_table(self, name: str) -> Optional[Dict[str, str]]:
        """``{attribute: submodule}`` of a package that loads names on first use, else None."""
        mod = self.find(name)
        if mod is None or not mod.is_package:
            return None
        table = None
        has_getattr = False
        for stmt in mod.tree.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "__getattr__":
                has_getattr = True
            elif (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                  and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == "_WHERE"):
                try:
                    value = ast.literal_eval(stmt.value)
                except ValueError:
                    raise BundleError("%s: _WHERE must be a literal dict" % mod.path) from None
                table = {str(k): str(value[k]) for k in value}
        return table if has_getattr else None

    def _lazy_deps(self, package: str, names: Sequence[str]) -> List[str]:
        """The submodules of lazy ``package`` that ``names`` come from (all of them for ``*`` or
        for a whole-package import, ``names`` empty)."""
        table = self.lazy_table(package)
        if table is None:
            return []
        wanted = [table[n] for n in names if n in table]
        if not names or "*" in names:
            wanted = [table[n] for n in table]
        out: List[str] = []
        for sub in wanted:
            full = package + "." + sub
            if self.find(full) is None:
                raise BundleError("%s names %s in _WHERE, which is not in %s" % (package, full, self.root))
            if full not in out:
                out.append(full)
        return out

    # -- walking ----------------------------------------------------------------------------
    def add_app(self, app_path: str) -> None:
        """Follow every project import of the application file ``app_path``."""
        tree, _ = parse_file(app_path)
        deps = self._deps_of(tree, "", app_path)
        self.edges["__main__"] = [d for d in deps]
        for dep in deps:
            self._visit(dep, app_path)

    def _deps_of(self, tree: ast.Module, package: str, where: str, later: Optional[List[str]] = None) -> List[str]:
        """The project modules ``tree`` imports. With ``later`` given, those imported only inside
        functions go there instead: they run after the module itself (a lazy import may name a
        module that imports this one)."""
        deps: List[str] = []
        for module, names, lineno in imported_names(tree, package):
            if not self.is_project(module):
                continue
            if _NESTED in names:
                names = [n for n in names if n != _NESTED]
                if later is not None:
                    before = len(deps)
                    self._add_dep(deps, module, names, where, lineno)
                    later.extend(deps[before:])
                    del deps[before:]
                    continue
            self._add_dep(deps, module, names, where, lineno)
        out: List[str] = []
        for d in deps:
            if d not in out:
                out.append(d)
        return out

    def _add_dep(self, deps: List[str], module: str, names: List[str], where: str, lineno: int) -> None:
        if self.find(module) is None:
            raise BundleError("%s line %d imports %s, which is not in %s"
                              % (where, lineno, module, self.root))
        deps.append(module)
        deps.extend(self._lazy_deps(module, names))
        for n in names:
            sub = module + "." + n
            if n != "*" and self.find(sub) is not None:
                deps.append(sub)
                deps.extend(self._lazy_deps(sub, []))     # a lazy package, imported whole

    def _visit(self, name: str, where: str) -> None:
        if self._state.get(name):
            return                      # done, or in progress (an import cycle: partial module)
        parent = name.rpartition(".")[0]
        if parent:
            self._visit(parent, where)  # importing a.b runs a first
            if self._state.get(name):
                return                  # the parent's own imports already ran this one
        mod = self.find(name)
        if mod is None:
            raise BundleError("%s imports %s, which is not in %s" % (where, name, self.root))
        self._state[name] = "active"
        later: List[str] = []
        deps = self._deps_of(mod.tree, mod.package, mod.path, later)
        self.edges[name] = deps + [d for d in later if d not in deps]
        for dep in deps:
            self._visit(dep, mod.path)
        self._state[name] = "done"
        self.order.append(name)
        for dep in later:               # imported inside functions: after this module has run
            self._visit(dep, mod.path)

    def needed(self) -> List[ModuleSource]:
        """The modules the application needs, in the order CPython would first execute them."""
        return [self.modules[n] for n in self.order]


def collect(app_path: str, root: str, packages: Sequence[str] = PROJECT_PACKAGES) -> ImportGraph:
    """Build the :class:`ImportGraph` of ``app_path`` against the project at ``root``."""
    graph = ImportGraph(root, packages)
    graph.add_app(app_path)
    return graph
