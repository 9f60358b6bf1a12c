"""Generate docs/reference/: one page per module listing every component's boxes and parameters.

    python -m tools.docs.reference            # rewrite docs/reference/
    python -m tools.docs.reference --check    # exit 1 if docs/reference/ is out of date

Each component class (a public subclass of ``microaxon.component`` defined in ``microaxon`` or
``kamaelia_lite``) gets: its docstring (which states its errors and shutdown behaviour), a table
of inboxes and outboxes with their descriptions and capacities, and a table of parameters (the
constructor's arguments and the class attributes that keyword arguments override, with their
defaults). Each page links to the hand-written guide for its area (docs/net.md, docs/displays.md, ...).
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import sys
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "docs", "reference")
PACKAGES = ("microaxon", "kamaelia_lite")
# modules outside the two packages whose components are documented too (the introspection demo)
EXTRA_MODULES = ("examples.introspect_demo",)

GUIDES = [  # (module prefix, guide path relative to docs/)
    ("kamaelia_lite.net.multicast", "net-multicast.md"),
    ("kamaelia_lite.net.srm", "net-multicast.md"),
    ("kamaelia_lite.net.tunnel", "net-multicast.md"),
    ("kamaelia_lite.net.auth", "net-multicast.md"),
    ("kamaelia_lite.net.mqtt", "mqtt.md"),
    ("kamaelia_lite.surtitles.sync_mqtt", "mqtt.md"),
    ("kamaelia_lite.net", "net.md"),
    ("kamaelia_lite.surtitles.cues", "surtitles.md"),
    ("kamaelia_lite.surtitles.subtitles", "surtitles.md"),
    ("kamaelia_lite.surtitles.sync", "surtitles.md"),
    ("kamaelia_lite.surtitles.sync_net", "surtitles.md"),
    ("kamaelia_lite.surtitles.control", "surtitles.md"),
    ("kamaelia_lite.draw", "displays.md"),
    ("kamaelia_lite.displays", "displays.md"),
    ("kamaelia_lite.surtitles", "surtitles.md"),
    ("kamaelia_lite.audio", "audio.md"),
    ("kamaelia_lite.serial", "surtitles.md"),
    ("kamaelia_lite.introspector", "tools.md"),
    ("kamaelia_lite.graph_recorder", "tools.md"),
    ("kamaelia_lite.desktop", "desktop.md"),
    ("microaxon.tools", "tools.md"),
    ("examples.introspect_demo", "tools.md"),
    ("microaxon", "core-api.md"),
    ("kamaelia_lite", "core-api.md"),
]

STANDARD_SHUTDOWN = ("Shutdown contract (all kamaelia_lite components): `producerFinished` on `control` "
                     "= finish the work queued, then pass it on `signal`; `shutdownMicroprocess` = stop "
                     "now and pass it on. Sockets, files and devices are closed in `finally` blocks. "
                     "A component that raises is stopped and reported by the scheduler "
                     "(docs/core-api.md, Failure).")

SKIP_ATTRS = {"Inboxes", "Outboxes", "Capacities", "main", "name", "id", "failure"}


def module_names() -> List[str]:
    """Every module of the project packages, sorted."""
    names = []
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        names.append(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            names.append(info.name)
    return sorted(set(names) | set(EXTRA_MODULES))


def guide_for(module: str) -> Optional[str]:
    for prefix, guide in GUIDES:
        if module == prefix or module.startswith(prefix + "."):
            path = guide.split("#")[0]
            if os.path.isfile(os.path.join(ROOT, "docs", path)):
                return guide
    return None


def components_of(module) -> List[type]:
    from microaxon import component

    found = []
    for name, obj in vars(module).items():
        if (inspect.isclass(obj) and issubclass(obj, component) and obj is not component
                and obj.__module__ == module.__name__ and not name.startswith("_")):
            found.append(obj)
    return sorted(found, key=lambda c: c.__name__)


def _boxes(spec) -> List[Tuple[str, str]]:
    if isinstance(spec, dict):
        return [(k, str(spec[k])) for k in spec]
    return [(k, "") for k in spec]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _default(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "`%s`" % text.replace("`", "'")


def parameters(cls: type) -> List[Tuple[str, str, str]]:
    """(name, default, where) for constructor arguments and overridable class attributes."""
    from microaxon import component

    out: Dict[str, Tuple[str, str]] = {}
    try:
        sig = inspect.signature(cls.__init__)
        for p in list(sig.parameters.values())[1:]:
            if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                continue
            default = "(required)" if p.default is p.empty else _default(p.default)
            out[p.name] = (default, "argument")
    except (TypeError, ValueError):
        pass
    for klass in reversed(cls.__mro__):
        if klass is object or not issubclass(klass, component) or klass is component:
            continue
        for attr, value in vars(klass).items():
            if attr.startswith("_") or attr in SKIP_ATTRS or attr in out and out[attr][1] == "argument":
                continue
            if callable(value) or isinstance(value, (property, staticmethod, classmethod)):
                continue
            out[attr] = (_default(value), "attribute")
    return [(k, out[k][0], out[k][1]) for k in sorted(out)]


def component_section(cls: type) -> List[str]:
    from microaxon import CONTROL_CAPACITY, DEFAULT_CAPACITY

    lines = ["## `%s`" % cls.__name__, ""]
    doc = inspect.getdoc(cls) or "(no docstring)"
    lines += [doc, ""]
    caps = getattr(cls, "Capacities", {}) or {}
    lines += ["| inbox | capacity | carries |", "| --- | --- | --- |"]
    for name, desc in _boxes(cls.Inboxes):
        cap = caps.get(name, CONTROL_CAPACITY if name == "control" else DEFAULT_CAPACITY)
        lines.append("| `%s` | %s | %s |" % (name, cap, _cell(desc)))
    lines += ["", "| outbox | carries |", "| --- | --- |"]
    for name, desc in _boxes(cls.Outboxes):
        lines.append("| `%s` | %s |" % (name, _cell(desc)))
    params = parameters(cls)
    if params:
        lines += ["", "| parameter | default | kind |", "| --- | --- | --- |"]
        for name, default, kind in params:
            lines.append("| `%s` | %s | %s |" % (name, _cell(default), kind))
    lines.append("")
    return lines


def module_page(name: str) -> Optional[str]:
    """The Markdown page for module ``name``, or None when it defines no component."""
    module = importlib.import_module(name)
    comps = components_of(module)
    if not comps:
        return None
    lines = ["# `%s`" % name, ""]
    summary = (inspect.getdoc(module) or "").split("\n\n")[0]
    if summary:
        lines += [summary, ""]
    guide = guide_for(name)
    if guide:
        label = os.path.normpath(os.path.join("docs", guide.split("#")[0])).replace(os.sep, "/")
        lines += ["Guide: [%s](../%s). " % (label, guide) + STANDARD_SHUTDOWN, ""]
    else:
        lines += [STANDARD_SHUTDOWN, ""]
    lines += ["Components: " + ", ".join("[`%s`](#%s)" % (c.__name__, c.__name__.lower()) for c in comps), ""]
    for cls in comps:
        lines += component_section(cls)
    return "\n".join(lines).rstrip() + "\n"


def generate() -> Dict[str, str]:
    """{file name: content} for docs/reference/ (index.md included)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    pages: Dict[str, str] = {}
    index = ["# Component reference", "",
             "One page per module: every component's inboxes, outboxes (with capacities), parameters, "
             "and its docstring (errors and shutdown). Generated from the code by "
             "`python -m tools.docs.reference`. The guides: [tutorial](../tutorial.md), "
             "[core API](../core-api.md), [networking](../net.md), [multicast](../net-multicast.md), "
             "[audio](../audio.md), [displays](../displays.md), [surtitles and control](../surtitles.md), "
             "[tools](../tools.md).", "",
             "| module | components |", "| --- | --- |"]
    not_here = []
    for name in module_names():
        try:
            page = module_page(name)
        except ImportError as e:            # e.g. MicroPython-only modules (framebuf)
            not_here.append("`%s` (%s)" % (name, e))
            continue
        if page is None:
            continue
        fname = name + ".md"
        pages[fname] = page
        comps = [line[4:-1] for line in page.splitlines() if line.startswith("## `")]
        index.append("| [`%s`](%s) | %s |" % (name, fname, ", ".join(comps) or "(not importable here)"))
    if not_here:
        index += ["", "Not importable on CPython (device-only modules): " + "; ".join(not_here) + "."]
    pages["index.md"] = "\n".join(index) + "\n"
    return pages


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.docs.reference", description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="exit 1 if docs/reference/ differs from the code")
    p.add_argument("--out", default=OUT)
    args = p.parse_args(argv)
    pages = generate()
    if args.check:
        stale = []
        for fname, text in pages.items():
            path = os.path.join(args.out, fname)
            if not os.path.isfile(path) or open(path, encoding="utf-8").read() != text:
                stale.append(fname)
        extra = [f for f in (os.listdir(args.out) if os.path.isdir(args.out) else [])
                 if f.endswith(".md") and f not in pages]
        if stale or extra:
            print("docs/reference is out of date (%s); run: python -m tools.docs.reference"
                  % ", ".join(sorted(stale + extra)), file=sys.stderr)
            return 1
        return 0
    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):
        if f.endswith(".md") and f not in pages:
            os.remove(os.path.join(args.out, f))
    for fname, text in pages.items():
        with open(os.path.join(args.out, fname), "w", encoding="utf-8") as f:
            f.write(text)
    print("wrote %d pages to %s" % (len(pages), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
