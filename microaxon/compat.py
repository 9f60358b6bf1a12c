"""Run unmodified Kamaelia/Axon programs (within our subset) on microaxon.

    import microaxon.compat
    microaxon.compat.install()
    import Axon                                   # now ours
    from Kamaelia.Chassis.Pipeline import Pipeline

install() puts an import hook first in sys.meta_path that answers for the module names in
TABLE (and their parent packages), building each module on first import from our objects, so
nothing heavy (pygame, pyogg) is imported until a program asks for it. Modules already imported
under those names (a real Kamaelia installed beside us) are dropped from sys.modules first.

Kamaelia's boxes are unbounded; ours are bounded rings. install(growable=True) (the default)
makes every box created afterwards grow on demand up to `limit` messages, so old programs that
send in bursts keep working; past the limit a send still raises BoxFull (no unbounded memory).

Component packages register their Kamaelia names themselves (see load_providers): each provides a
`register_names(register)` that calls `register(modname, target, names)`.
CPython only (MicroPython has no import hooks of this kind).
"""
import sys

from microaxon import core, lifetime, more  # noqa: F401  (their methods, before subclassing)
from microaxon import scheduler as _sched
from microaxon.core import (  # noqa: F401  (re-exported as Axon.Ipc / Axon.AxonExceptions)
    ipc,
    newComponent,
    producerFinished,
    shutdown,
    shutdownMicroprocess,
)
from microaxon.errors import BoxAlreadyLinked, noSpaceInBox  # noqa: F401  (Axon.AxonExceptions)
from microaxon.threaded import threadedcomponent as _threadedcomponent

# module name -> (our module, {their name: our name}) ; None: a package with no names of its own
TABLE = {}


def register(modname, target, names):
    """Map Kamaelia module `modname` to attributes of our module `target` (dotted path).

    names: a list of names kept as they are, or a dict {kamaelia name: our name}; our name may be
    "other.module:name" for one kept in another module."""
    if isinstance(names, (list, tuple)):
        names = {n: n for n in names}
    TABLE[modname] = (target, names)


# -- Axon --------------------------------------------------------------------------------------
class _AxonType(type):
    """Gives each class the `self.__super` attribute that old Axon code calls."""

    def __init__(cls, name, bases, d):
        super().__init__(name, bases, d)
        setattr(cls, "_%s__super" % name.lstrip("_"), super(cls))


class component(core.component, metaclass=_AxonType):
    """Axon.Component.component: our component, with Axon's `self.__super` idiom and its
    old-style hooks: the default main() runs initialiseComponent(), then mainBody() until it
    returns a false value, then closeDownComponent().

    Keyword options follow the core's rule (a class attribute, or TypeError naming it). The four
    that Kamaelia's ServerCore passes to every protocol it makes are declared here, so an Axon
    class used as a ServerCore protocol takes them as it did on Axon."""

    peer = peerport = localip = localport = None

    def main(self):
        r = self.initialiseComponent()
        yield r or 1
        while True:
            r = self.mainBody()
            if not r:
                break
            yield r
        self.closeDownComponent()

    def initialiseComponent(self) -> None:
        """Axon old-style hook (see main)."""

    def mainBody(self) -> int:
        """Axon old-style hook (see main): return a false value to finish."""
        return 0

    def closeDownComponent(self) -> None:
        """Axon old-style hook (see main)."""

    def _isStopped(self) -> bool:
        """Axon's name for finished()."""
        return self.finished()


class threadedcomponent(_threadedcomponent, metaclass=_AxonType):
    """Axon.ThreadedComponent.threadedcomponent."""


class AdaptiveCommsComponent(component):
    """Axon.AdaptiveCommsComponent: boxes added at run time (addInbox/addOutbox are core)."""

    def trackResource(self, resource, inbox):
        self.__dict__.setdefault("_tracked", {})[inbox] = resource

    def retrieveTrackedResource(self, inbox):
        return self.__dict__.get("_tracked", {}).get(inbox)

    def ceaseTrackingResource(self, resource):
        t = self.__dict__.get("_tracked", {})
        for k in list(t):
            if t[k] is resource:
                del t[k]


class _Runner:
    """Axon.Scheduler.scheduler.run: the default scheduler, with Axon's runThreads()."""

    def runThreads(self, slowmo=0):
        _sched.defaultScheduler().run()

    def stop(self):
        _sched.defaultScheduler().stop()


class scheduler:
    run = _Runner()


class notify(core.ipc):
    def __init__(self, caller, payload):
        self.caller = caller
        self.object = payload


class status(core.ipc):
    def __init__(self, status):
        self.status = status


class wouldblock(core.ipc):
    def __init__(self, caller):
        self.caller = caller


class errorInformation(core.ipc):
    def __init__(self, caller, exception=None, message=None):
        self.caller = caller
        self.exception = exception
        self.message = message


class AxonException(Exception):
    pass


_here = __name__
register("Axon.Component", _here, ["component"])
register("Axon.AdaptiveCommsComponent", _here, ["AdaptiveCommsComponent"])
register("Axon.Scheduler", _here, ["scheduler"])
register("Axon.Ipc", _here, ["ipc", "shutdown", "producerFinished", "shutdownMicroprocess",
                             "newComponent", "notify", "status", "wouldblock", "errorInformation"])
register("Axon.ThreadedComponent", _here, ["threadedcomponent"])
register("Axon.AxonExceptions", _here, {"noSpaceInBox": "noSpaceInBox", "AxonException": "AxonException",
                                        "BoxAlreadyLinkedToDestination": "BoxAlreadyLinked"})

# -- Kamaelia's names are registered by the packages that provide them ------------------------
PROVIDERS = "microaxon.compat"       # entry-point group; or a `kamaelia_names.py` in a package


def _providers():
    """Module names that register Kamaelia names: each `<package>/kamaelia_names.py` directly
    under a sys.path directory (a checkout, a normal install); if there is none (an editable
    install maps its packages elsewhere), the entry points of group PROVIDERS. The scan costs a
    few ms; reading entry points ~0.2 s, so it is the fallback."""
    import os
    found = []
    for d in sys.path:
        try:
            entries = os.scandir(d or ".")
        except OSError:
            continue
        with entries:
            for e in entries:
                if (e.name.isidentifier() and e.is_dir()
                        and os.path.exists(os.path.join(e.path, "kamaelia_names.py"))
                        and e.name + ".kamaelia_names" not in found):
                    found.append(e.name + ".kamaelia_names")
    if not found:
        try:
            from importlib.metadata import entry_points
            eps = entry_points()
            eps = eps.select(group=PROVIDERS) if hasattr(eps, "select") else eps.get(PROVIDERS, ())
            found = [ep.value.split(":")[0] for ep in eps]
        except Exception:              # broken metadata must not stop `import Axon`
            pass
    return found


def load_providers():
    """Let every provider register its names (once; install() calls this)."""
    import importlib
    if _loaded:
        return
    _loaded.append(True)
    for modname in _providers():
        importlib.import_module(modname).register_names(register)


_loaded = []


# -- the import hook ---------------------------------------------------------------------------
def _packages():
    pk = {}
    for name in TABLE:
        parts = name.split(".")
        for i in range(1, len(parts)):
            pk[".".join(parts[:i])] = True
    return pk


class _Finder:
    """Answers imports of the names in TABLE (and their parent packages) with built modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in TABLE or fullname in _packages():
            import importlib.machinery
            return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname in _packages())
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        import importlib
        name = module.__name__
        if name in _packages():
            module.__path__ = []
        entry = TABLE.get(name)
        if entry is not None:
            target, names = entry
            src = importlib.import_module(target)
            for theirs in names:
                ours = names[theirs]
                if ":" in ours:              # "other.module:name" for a name kept elsewhere
                    other, ours = ours.split(":")
                    setattr(module, theirs, getattr(importlib.import_module(other), ours))
                else:
                    setattr(module, theirs, getattr(src, ours))
        if name == "Axon":               # `import Axon; Axon.Component.component` must work
            for sub in ("Component", "Ipc", "Scheduler", "AxonExceptions", "ThreadedComponent",
                        "AdaptiveCommsComponent"):
                setattr(module, sub, importlib.import_module("Axon." + sub))


_finder = _Finder()


def install(growable=True, limit=100000):
    """Make `import Axon` / `import Kamaelia...` resolve to microaxon and the registered providers."""
    for name in list(sys.modules):
        if name.split(".")[0] in ("Axon", "Kamaelia"):
            del sys.modules[name]
    load_providers()
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    if growable:
        more.setDefaultBoxMode("grow", limit)
    _axon_style(True)


# -- Axon's names and printed form, while installed (natively: "Class#N", see docs/compat.md) --
_native = {}


def _axon_name(self):
    n = self.__dict__.get("_axon_name")
    if n is None:
        cls = self.__class__
        n = self.__dict__["_axon_name"] = "%s.%s_%d" % (cls.__module__, cls.__name__, self.id + _native["offset"])
    return n


def _set_axon_name(self, value):
    self.__dict__["_axon_name"] = value


def _axon_str(self):
    """Axon's `str(component)`: its name and the reprs of its boxes (ids, sink kinds, contents)."""
    def box(kind, b, contents):
        return "%d<class 'Axon.Box.%s'>%s" % (id(b), kind, contents)
    ins = ", ".join("%r: %s" % (n, box("realsink", self.getInbox(n), list(self.getInbox(n).q or ())))
                    for n in self.Inboxes)
    dest = getattr(self, "_dest", None) or {}
    outs = ", ".join("%r: %s" % (n, box("realsink", dest.get(n), list(getattr(dest.get(n), "q", None) or ()))
                                 if isinstance(dest.get(n), core.Box) and dest.get(n) is not core._SINK
                                 else box("nullsink", n, "<%d>" % id(dest)))
                     for n in self.Outboxes)
    return "Component %s [ inboxes : {%s} outboxes : {%s}" % (self.name, ins, outs)


def _axon_style(on):
    """Axon's component names (`module.Class_N`, numbered from 5 as Axon's are after its own
    four), `str(component)` and the `children` list, on every component while installed."""
    C = core.component
    if on and not _native:
        _native.update(name=C.__dict__.get("name"), str=C.__dict__.get("__str__"))
        _native["offset"] = 4 - core.component().id     # the next component made is _5
        C.name = property(_axon_name, _set_axon_name)
        C.__str__ = _axon_str
        C.children = property(lambda self: list(self.childComponents()))
        for mod in TABLE:                  # Axon's classes print as Axon's: <Axon.Ipc.shutdown ...>
            target, names = TABLE[mod]
            if mod.startswith("Axon.") and target in (__name__, core.__name__):
                for theirs in names:
                    cls = globals().get(names[theirs]) or getattr(core, names[theirs], None)
                    if isinstance(cls, type) and cls.__module__ in (__name__, core.__name__):
                        _native.setdefault("modules", []).append((cls, cls.__module__))
                        cls.__module__ = mod
    elif not on and _native:
        n = _native.pop("name")
        if n is None:
            del C.name                     # natively, name comes from component.__getattr__
        else:
            C.name = n
        s = _native.pop("str")
        if s is None:
            del C.__str__
        else:
            C.__str__ = s
        del C.children
        for cls, mod in _native.get("modules", ()):
            cls.__module__ = mod
        _native.clear()


def uninstall():
    """Undo install(): forget the hook and the modules it built; boxes bounded again."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in list(sys.modules):
        if name.split(".")[0] in ("Axon", "Kamaelia"):
            del sys.modules[name]
    more.setDefaultBoxMode(0, None)
    _axon_style(False)
