"""Kamaelia's module and class names for kamaelia_lite's components.

microaxon.compat (the runtime's Axon import hook) does not know the component package: on
install() it finds every module that registers Kamaelia names (the ``microaxon.compat`` entry-point
group, or a ``kamaelia_names.py`` in a package on sys.path) and calls its
``register_names(register)``. This is kamaelia_lite's: one ``register(kamaelia_module,
our_module, names)`` per Kamaelia module. ``names`` is a list of names kept as they are, or a dict
``{kamaelia name: our name}``; our name may be ``"other.module:name"``. Nothing here is imported
until a program imports the Kamaelia module.
"""
from typing import Callable

# our module -> the Kamaelia modules it answers for, each with its names (a list of names kept as
# they are, or {kamaelia name: our name})
_UDP = ["SimplePeer", "TargettedPeer", "PostboxPeer", "UDPSender", "UDPReceiver"]
_PHYSICS = "Kamaelia.Visualisation.PhysicsGraph."
_NAMES = (
    ("kamaelia_lite.chassis", (
        ("Kamaelia.Chassis.Pipeline", ["Pipeline"]), ("Kamaelia.Chassis.Graphline", ["Graphline"]),
        ("Kamaelia.Chassis.PAR", ["PAR"]), ("Kamaelia.Chassis.Carousel", ["Carousel"]),
        ("Kamaelia.Util.Pipeline", ["Pipeline"]), ("Kamaelia.Util.Graphline", ["Graphline"]),
        ("Kamaelia.Util.Backplane", ["Backplane", "PublishTo", "SubscribeTo"]))),
    ("kamaelia_lite.util", (
        ("Kamaelia.Util.Console", ["ConsoleEchoer", "ConsoleReader"]),
        ("Kamaelia.Util.PureTransformer", ["PureTransformer"]),
        ("Kamaelia.Util.RateFilter", ["MessageRateLimit"]), ("Kamaelia.Util.Detuple", ["SimpleDetupler"]),
        ("Kamaelia.Util.Chooser", ["Chooser"]), ("Kamaelia.Util.DataSource", ["DataSource"]))),
    ("kamaelia_lite.file", (
        ("Kamaelia.File.ReadFileAdaptor", ["ReadFileAdaptor"]), ("Kamaelia.File.Writing", ["SimpleFileWriter"]))),
    ("kamaelia_lite.net.tcp", (
        ("Kamaelia.Internet.TCPClient", ["TCPClient"]), ("Kamaelia.Internet.SingleServer", ["SingleServer"]),
        ("Kamaelia.IPC", ["socketShutdown"]),
        ("Kamaelia.Chassis.ConnectedServer", {"ServerCore": "ServerCore", "SimpleServer": "SimpleServer",
                                              "FastRestartServer": "ServerCore"}))),  # ours sets SO_REUSEADDR
    ("kamaelia_lite.net.udp", (("Kamaelia.Internet.UDP", _UDP), ("Kamaelia.Internet.UDP_ng", _UDP))),
    ("kamaelia_lite.net.protocols", (
        ("Kamaelia.Protocol.EchoProtocol", ["EchoProtocol"]), ("Kamaelia.Util.Chargen", ["Chargen"]))),
    ("kamaelia_lite.net.framing_components", (
        ("Kamaelia.Protocol.Framing",
         {"Framer": "SimpleFrameMarshaller", "DeFramer": "DeFramer", "DataChunker": "DataChunker",
          "DataDeChunker": "DataDeChunker", "SimpleFrameMarshaller": "SimpleFrameMarshaller",
          "ShortFrame": "kamaelia_lite.net.framing:IncompleteFrame",
          "CorruptFrame": "kamaelia_lite.net.framing:MalformedFrame"}),
        ("Kamaelia.Protocol.Packetise", ["MaxSizePacketiser"]))),
    ("kamaelia_lite.net.multicast", (("Kamaelia.Internet.Multicast_transceiver", ["Multicast_transceiver"]),)),
    ("kamaelia_lite.net.srm_components", (
        ("Kamaelia.Protocol.SimpleReliableMulticast", ["SRM_Sender", "SRM_Receiver"]),)),
    ("kamaelia_lite.audio", (("Kamaelia.Codec.Vorbis", ["VorbisDecode", "AOAudioPlaybackAdaptor"]),)),
    ("kamaelia_lite.displays.ticker", (("Kamaelia.UI.Pygame.Ticker", ["Ticker"]),)),
    ("kamaelia_lite.displays.widgets", (
        ("Kamaelia.UI.Pygame.Button", ["Button"]), ("Kamaelia.UI.Pygame.Image", ["Image"]),
        ("Kamaelia.UI.Pygame.Text", ["TextDisplayer", "Textbox"]))),
    ("kamaelia_lite.surtitles.control", (("Kamaelia.UI.Pygame.KeyEvent", ["KeyEvent"]),)),
    ("kamaelia_lite.displays.display", (("Kamaelia.UI.Pygame.Display", ["PygameDisplay"]),)),
    # -- names Kamaelia's Examples/ use that kamaelia_lite added for them --
    ("kamaelia_lite.visualiser_introspector_components", (("Kamaelia.Util.Introspector", ["Introspector"]),)),
    ("kamaelia_lite.ticks", (("Kamaelia.Apps.SA.Time", ["PeriodicTick", "SingleTick"]),)),
    ("kamaelia_lite.datasink", (("Kamaelia.Apps.SA.DSL", ["DataSink"]),)),
    ("kamaelia_lite.ttl", (("Kamaelia.Apps.SA.Chassis", ["TTL"]),)),
    ("kamaelia_lite.interpreter_components", (
        ("Kamaelia.Experimental.PythonInterpreter", ["InterpreterTransformer", "StandaloneInterpreter"]),)),
    ("kamaelia_lite.fortune", (("Kamaelia.Protocol.FortuneCookieProtocol", ["FortuneCookieProtocol"]),)),
    ("kamaelia_lite.simple_files", (
        ("Kamaelia.File.Reading", {"SimpleReader": "SimpleReader",
                                   "RateControlledFileReader":
                                       "kamaelia_lite.audio.ratecontrol:RateControlledFileReader"}),
        ("Kamaelia.File.Append", ["Append"]))),
    ("kamaelia_lite.oneshot", (("Kamaelia.Util.OneShot", ["OneShot", "TriggeredOneShot"]),)),
    ("kamaelia_lite.handle", (("Axon.Handle", ["Handle"]), ("Axon.background", ["background"]))),
    ("kamaelia_lite.topology_components", (
        (_PHYSICS + "TopologyViewer", ["TopologyViewer"]),
        (_PHYSICS + "TopologyViewerServer", ["TopologyViewerServer"]),
        (_PHYSICS + "chunks_to_lines", ["chunks_to_lines"]),
        (_PHYSICS + "lines_to_tokenlists", ["lines_to_tokenlists"]),
        ("Kamaelia.Visualisation.Axon.AxonVisualiserServer", ["AxonVisualiser"]))),
    ("kamaelia_lite.particles", (("Kamaelia.Support.Particles", ["Particle", "ParticleSystem", "SimpleLaws"]),)),
    ("kamaelia_lite.pygame_app", (("Kamaelia.UI.MH", ["PyGameApp", "DragHandler"]),)),
)


def register_names(register: Callable) -> None:
    """Register every Kamaelia module name that kamaelia_lite answers for."""
    for ours, modules in _NAMES:
        for kamaelia, names in modules:
            register(kamaelia, ours, names)
