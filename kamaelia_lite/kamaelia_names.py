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


def register_names(register: Callable) -> None:
    """Register every Kamaelia module name that kamaelia_lite answers for."""
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

    register("Kamaelia.Internet.TCPClient", "kamaelia_lite.net.tcp", ["TCPClient"])
    register("Kamaelia.Internet.SingleServer", "kamaelia_lite.net.tcp", ["SingleServer"])
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

    # -- names Kamaelia's Examples/ use that kamaelia_lite added for them --
    register("Kamaelia.Util.Introspector", "kamaelia_lite.visualiser_introspector_components",
             ["Introspector"])
    register("Kamaelia.Chassis.ConnectedServer", "kamaelia_lite.net.tcp",
             {"ServerCore": "ServerCore", "SimpleServer": "SimpleServer",
              "FastRestartServer": "ServerCore"})   # ours always sets SO_REUSEADDR
    register("Kamaelia.Apps.SA.Time", "kamaelia_lite.ticks", ["PeriodicTick", "SingleTick"])
    register("Kamaelia.Apps.SA.DSL", "kamaelia_lite.datasink", ["DataSink"])
    register("Kamaelia.Apps.SA.Chassis", "kamaelia_lite.ttl", ["TTL"])
    register("Kamaelia.Experimental.PythonInterpreter", "kamaelia_lite.interpreter_components",
             ["InterpreterTransformer", "StandaloneInterpreter"])
    register("Kamaelia.Protocol.FortuneCookieProtocol", "kamaelia_lite.fortune", ["FortuneCookieProtocol"])
    register("Kamaelia.File.Reading", "kamaelia_lite.simple_files",
             {"SimpleReader": "SimpleReader",
              "RateControlledFileReader": "kamaelia_lite.audio.ratecontrol:RateControlledFileReader"})
    register("Kamaelia.File.Append", "kamaelia_lite.simple_files", ["Append"])
    register("Kamaelia.Util.OneShot", "kamaelia_lite.oneshot", ["OneShot", "TriggeredOneShot"])
    register("Axon.Handle", "kamaelia_lite.handle", ["Handle"])
    register("Axon.background", "kamaelia_lite.handle", ["background"])
    register("Kamaelia.Visualisation.PhysicsGraph.TopologyViewer", "kamaelia_lite.topology_components",
             ["TopologyViewer"])
    register("Kamaelia.Visualisation.PhysicsGraph.TopologyViewerServer", "kamaelia_lite.topology_components",
             ["TopologyViewerServer"])
    register("Kamaelia.Visualisation.PhysicsGraph.chunks_to_lines", "kamaelia_lite.topology_components",
             ["chunks_to_lines"])
    register("Kamaelia.Visualisation.PhysicsGraph.lines_to_tokenlists", "kamaelia_lite.topology_components",
             ["lines_to_tokenlists"])
    register("Kamaelia.Visualisation.Axon.AxonVisualiserServer", "kamaelia_lite.topology_components",
             ["AxonVisualiser"])
    register("Kamaelia.Support.Particles", "kamaelia_lite.particles", ["Particle", "ParticleSystem", "SimpleLaws"])
    register("Kamaelia.UI.MH", "kamaelia_lite.pygame_app", ["PyGameApp", "DragHandler"])
