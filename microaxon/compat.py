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

Other parts of kamaelia_lite register their own names with `register(modname, target, names)`.
CPython only (MicroPython has no import hooks of this kind).
"""
import sys

from microaxon import core
from microaxon.core import (  # noqa: F401  (re-exported as Axon.Ipc / Axon.AxonExceptions)
    BoxAlreadyLinked,
    ipc,
    newComponent,
    noSpaceInBox,
    producerFinished,
    shutdown,
    shutdownMicroprocess,
)
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
    returns a false value, then closeDownComponent()."""

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
        core.defaultScheduler().run()

    def stop(self):
        core.defaultScheduler().stop()


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

# -- Kamaelia: chassis, util, file ------------------------------------------------------------
register("Kamaelia.Chassis.Pipeline", "kamaelia_lite.chassis", ["Pipeline"])
register("Kamaelia.Chassis.Graphline", "kamaelia_lite.chassis", ["Graphline"])
register("Kamaelia.Chassis.PAR", "kamaelia_lite.chassis", ["PAR"])
register("Kamaelia.Chassis.Carousel", "kamaelia_lite.chassis", ["Carousel"])
register("Kamaelia.Util.Pipeline", "kamaelia_lite.chassis", ["Pipeline"])
register("Kamaelia.Util.Graphline", "kamaelia_lite.chassis", ["Graphline"])
register("Kamaelia.Util.Backplane", "kamaelia_lite.chassis", ["Backplane", "PublishTo", "SubscribeTo"])
register("Kamaelia.Util.Console", "kamaelia_lite.util", ["ConsoleEchoer", "ConsoleReader"])
register("Kamaelia.Util.PureTransformer", "kamaelia_lite.util", ["PureTransformer"])
register("Kamaelia.Util.RateFilter", "kamaelia_lite.util", ["MessageRateLimit"])
register("Kamaelia.Util.Detuple", "kamaelia_lite.util", ["SimpleDetupler"])
register("Kamaelia.Util.Chooser", "kamaelia_lite.util", ["Chooser"])
register("Kamaelia.Util.DataSource", "kamaelia_lite.util", ["DataSource"])
register("Kamaelia.File.ReadFileAdaptor", "kamaelia_lite.file", ["ReadFileAdaptor"])
register("Kamaelia.File.Writing", "kamaelia_lite.file", ["SimpleFileWriter"])
register("Kamaelia.File.Reading", "kamaelia_lite.audio.ratecontrol", ["RateControlledFileReader"])

# -- Kamaelia: networking, audio, displays (each area's names; modules load on first import) --
register("Kamaelia.Internet.TCPClient", "kamaelia_lite.net.tcp", ["TCPClient"])
register("Kamaelia.Internet.SingleServer", "kamaelia_lite.net.tcp", ["SingleServer"])
register("Kamaelia.Chassis.ConnectedServer", "kamaelia_lite.net.tcp", ["ServerCore", "SimpleServer"])
register("Kamaelia.IPC", "kamaelia_lite.net.tcp", ["socketShutdown"])
register("Kamaelia.Internet.UDP", "kamaelia_lite.net.udp",
         ["SimplePeer", "TargettedPeer", "PostboxPeer", "UDPSender", "UDPReceiver"])
register("Kamaelia.Internet.UDP_ng", "kamaelia_lite.net.udp",
         ["SimplePeer", "TargettedPeer", "PostboxPeer", "UDPSender", "UDPReceiver"])
register("Kamaelia.Protocol.EchoProtocol", "kamaelia_lite.net.protocols", ["EchoProtocol"])
register("Kamaelia.Util.Chargen", "kamaelia_lite.net.protocols", ["Chargen"])
register("Kamaelia.Protocol.Framing", "kamaelia_lite.net.framing_components",
         {"Framer": "SimpleFrameMarshaller", "DeFramer": "DeFramer", "DataChunker": "DataChunker",
          "DataDeChunker": "DataDeChunker", "SimpleFrameMarshaller": "SimpleFrameMarshaller",
          "ShortFrame": "kamaelia_lite.net.framing:IncompleteFrame",
          "CorruptFrame": "kamaelia_lite.net.framing:MalformedFrame"})
register("Kamaelia.Protocol.Packetise", "kamaelia_lite.net.framing_components", ["MaxSizePacketiser"])
register("Kamaelia.Internet.Multicast_transceiver", "kamaelia_lite.net.multicast", ["Multicast_transceiver"])
register("Kamaelia.Protocol.SimpleReliableMulticast", "kamaelia_lite.net.srm_components",
         ["SRM_Sender", "SRM_Receiver"])
register("Kamaelia.Codec.Vorbis", "kamaelia_lite.audio", ["VorbisDecode", "AOAudioPlaybackAdaptor"])
register("Kamaelia.UI.Pygame.Ticker", "kamaelia_lite.displays.ticker", ["Ticker"])
register("Kamaelia.UI.Pygame.Button", "kamaelia_lite.displays.widgets", ["Button"])
register("Kamaelia.UI.Pygame.Image", "kamaelia_lite.displays.widgets", ["Image"])
register("Kamaelia.UI.Pygame.Text", "kamaelia_lite.displays.widgets", ["TextDisplayer", "Textbox"])
register("Kamaelia.UI.Pygame.KeyEvent", "kamaelia_lite.surtitles.control", ["KeyEvent"])
register("Kamaelia.UI.Pygame.Display", "kamaelia_lite.displays.display", ["PygameDisplay"])


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
    """Make `import Axon` / `import Kamaelia...` resolve to microaxon and kamaelia_lite."""
    for name in list(sys.modules):
        if name.split(".")[0] in ("Axon", "Kamaelia"):
            del sys.modules[name]
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    if growable:
        core.setDefaultBoxMode("grow", limit)


def uninstall():
    """Undo install(): forget the hook and the modules it built; boxes bounded again."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in list(sys.modules):
        if name.split(".")[0] in ("Axon", "Kamaelia"):
            del sys.modules[name]
    core.setDefaultBoxMode(0, None)
