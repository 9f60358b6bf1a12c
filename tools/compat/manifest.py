"""What the corpus runner does with each program of Kamaelia 1.14.32's Examples/ (paths relative
to Examples/). Anything not listed runs with the defaults: stdin held open and silent, stopped
after DEFAULT_TIMEOUT seconds if it has not ended, stdout compared exactly (after NORMALISE).

Keys
  timeout   seconds before the probe stops the program (a program still running then "runs on")
  stdin     lines typed, 0.4 s apart, from 1 s after the start (stdin stays open)
  client    {"port": n, "send": [lines]}: a TCP client that connects, types the lines and records
            what the server sends back; "port_from": regex taking the port from stdout instead
  listen    a port on which the probe accepts connections and records what is sent (the
            Introspector's visualiser protocol); "nodes": component class names to look for
  files     files (in the program's folder) whose content is compared afterwards
  compare   "exact" (default), "lines" (the same words, any order: threads racing to print tear
            lines apart),
            "distinct" (the same set of distinct lines: a stream whose length depends on timing,
            or threads whose last print races the shutdown), "words" (the same set of words:
            threads printing at once tear each other's lines, even on Kamaelia), "bounded" (output
            that is random by design: the same set of characters, and no line longer than
            "max_line": a feedback loop that keeps a growing model in check)
  subs      extra [regex, replacement] applied to stdout before comparing (each must give the
            same text when applied twice: golden files are normalised again when compared)
  broken    why the program cannot work on Kamaelia itself even though it runs without a
            traceback (the runner's verdict is then "no")
  display   the program draws with pygame: its window is not compared (SDL's dummy driver)
  silent_exit  why the program ends at once with rc 0 having done nothing, on Kamaelia
"""
DEFAULT_TIMEOUT = 5.0

# Regexes applied to every captured text: memory addresses and object ids vary run to run.
# Two notices about Kamaelia's own implementation are not compared either: its pygame display
# announces that it found no touch-screen calibration file (ours has no calibration), and
# importing Axon.Handle prints that Handle is experimental.
NORMALISE = [
    (r"0x[0-9a-fA-F]+", "<addr>"),
    (r"\b\d{9,}\b", "<id>"),
    (r"\b127\.0\.0\.1:\d+\b", "127.0.0.1:<port>"),
    (r"Pygame calibration file could not be found - defaults loaded\n", ""),
    (r"Polite Notice\n-------------\nThe code you are using includes using Axon.Handle. This code is\n"
     r"currently experimental - we'd welcome any issues you may find/experience\nwith this code.\n", ""),
]

# Lines that say nothing about what a program did (pygame's greeting on import).
NOISE = [r"pygame \d[\d.]* \(SDL [\d.]+, Python [\d.]+\)", r"Hello from the pygame community\. .*"]

# Kamaelia's pygame text widgets and Ticker start with `yield WaitComplete(...)`; under Python 3
# that ends Axon's scheduler at once, silently, with rc 0.
WAITCOMPLETE = "exits at once with rc 0, nothing shown: its WaitComplete helper stops Axon's scheduler"

ECHO_LINES = ["hello", "world"]

# ConsoleReader prints its ">>> " prompt from its own thread as soon as a line is read, racing
# the echo of that line (on Kamaelia too): prompts are dropped, the echoed text is compared.
PROMPTS = [[r">>> ", ""]]

# Axon.Component.TraceAllSends/TraceAllRecvs print every message between Kamaelia's own internal
# components (Selector, ConnectedSocketAdapter, ...), which ours does not have: those lines are
# dropped before comparing, and what the server sends its client is compared instead.
TRACES = [[r"(?m)^(SEND|RECV): .*\n", ""]]

# The Graphline shutdown demos: waiter ids differ (ours number Kamaelia's internal components
# differently) and threads print at once, tearing lines ("...shutdownWAITER 7 waiting", on
# Kamaelia and on ours, or "...shutdown<Axon.Ipc..." when a print's arguments are torn apart):
# torn words are split apart, then numbers masked (a number torn against a word, "7WHINGER" or
# "shutdown7", too).
GRAPHLINE_SUBS = [[r"(\S)(WAITER|WHINGER|PINGER|<Axon\.)", r"\1 \2"], [r"([a-z:>])(\d)", r"\1 \2"],
                  [r"\b\d+\b", "<n>"]]

PROGRAMS = {
    "Backplane/Forwarding.py": {"stdin": ["one", "two"], "timeout": 4.5, "compare": "lines"},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.1.py": {"timeout": 2.0, "subs": [[r"(True)+(\.\.\.)*", "True..."]]},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.2.py": {"timeout": 2.0, "compare": "distinct"},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.3.py": {"timeout": 2.0, "compare": "distinct"},
    "Contrib/Kamaelia.Apps.SA/TTL.py": {"timeout": 9.0},
    "Files/DemoAppend.py": {"stdin": ["first line", "second line"], "files": ["demo.txt"], "subs": PROMPTS},
    "Files/SimpleReading.py": {"timeout": 8.0},
    "Introspection/FortuneCookie_Introspecting.py": {
        "listen": 1600, "nodes": ["Introspector", "PureTransformer", "TCPClient", "ConsoleEchoer"]},
    "Introspection/IntrospectionTutorial/ChatServer.py": {"client": {"port": 1500, "send": ECHO_LINES}},
    "Introspection/IntrospectionTutorial/CommandLineEchoExample.py": {"stdin": ECHO_LINES, "subs": PROMPTS},
    "Introspection/IntrospectionTutorial/EchoServer.py": {"client": {"port": 1500, "send": ECHO_LINES},
                                                          "subs": TRACES},
    "Introspection/IntrospectionTutorial/IntrospectingChatServer.py": {
        "client": {"port": 1500, "send": ECHO_LINES}, "listen": 1600,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "PublishTo", "SubscribeTo"]},
    "Introspection/IntrospectionTutorial/IntrospectingCommandLineEchoExample.py": {
        "stdin": ECHO_LINES, "listen": 1600, "subs": PROMPTS,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "ConsoleReader", "ConsoleEchoer"]},
    "Introspection/IntrospectionTutorial/IntrospectingEchoServer.py": {
        "client": {"port": 1500, "send": ECHO_LINES}, "listen": 1600,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "EchoProtocol"]},
    "Introspection/ManualAxonVisualiser.py": {"stdin": ECHO_LINES, "display": True, "compare": "words"},
    "PythonInterpreter/BasicPythonInterpreter.py": {"stdin": ["1+1", "x = 5", "x*2", "print('hi')"]},
    "PythonInterpreter/ConsolePythonInterpreter.py": {"stdin": ["1+1", "x = 5", "x*2", "print('hi')"],
                                                      "subs": PROMPTS},
    "PythonInterpreter/ServerBasedPythonInterpreter.py": {
        "client": {"port": 1236, "send": ["1+1", "x = 5", "x*2"]}},
    "TCP_Systems/FortuneCookieServer.py": {
        "client": {"port_from": r"PORT (\d+)", "send": []}, "subs": [[r"PORT \d+", "PORT <port>"]] + TRACES},
    "TCP_Systems/SingleServerExample.py": {"timeout": 8.0},
    "UDP_Systems/SimplePeer_Example.py": {"timeout": 3.0, "compare": "distinct",
                                          "subs": [[r"(\(b'[^']*', \('127\.0\.0\.1', \d+\)\))+", "(datagrams)"]]},
    "UsingChassis/Graphline/DemoShutdown.py": {"compare": "words", "subs": GRAPHLINE_SUBS},
    "UsingChassis/Graphline/FailShutdown.py": {"compare": "words",
                                               "subs": GRAPHLINE_SUBS},
    "UsingChassis/Graphline/LinkedShutdown.py": {"compare": "words", "subs": GRAPHLINE_SUBS},
    "UsingChassis/PAR/par_shutdown_simple.py": {"timeout": 9.0, "compare": "words",
                                                "subs": [[r"(Shutdown_\d+)(?=[^\s\d])", r"\1 "], [r"(slowly|waiting)(?=\S)", r"\1 "]]},
    "UsingChassis/PAR/par_slideshow.py": {"display": True},
    "UsingChassis/Pipeline/Feedback.py": {"timeout": 8.0, "compare": "bounded", "max_line": 400},
    "GraphVisualisation/BasicGraphVisualisation.py": {"display": True},
    "GraphVisualisation/TopologyVisualiser.py": {"display": True},
    "_Handles/_LikeTicker.py": {"display": True},
    "_Handles/mediumtcpclient.py": {"stdin": ECHO_LINES,
                                    "broken": "the typed line is never echoed back: Handle.get() never returns the reply"},
    "UsingChassis/_WhatIsTheCarouselFor/_SimpleMultiFileStreamer.py": {
        "broken": "streams /opt/kde3/share/sounds/KDE_Startup_2.ogg, a file that is not on this machine"},
    "_Handles/_simpletcpclient.py": {"stdin": ["#test"], "broken": "needs the internet (irc.freenode.net)"},
    "_Handles/_simplehttpclient.py": {"broken": "needs the internet"},
    "_HTTPSpider/HTTPSpider.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/ConsoleDownloader.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/cookbook_1.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/cookbook_2.py": {"broken": "needs the internet"},
    "TCP_Systems/_SSL/https.py": {"broken": "needs the internet"},
    "TCP_Systems/_SSL/tcpssl.py": {"broken": "needs the internet"},
    "PythonInterpreter/_PygamePythonInterpreter.py": {"display": True, "silent_exit": WAITCOMPLETE},
    "_SimpleGraphicalApps/BouncingCatGame/Simplegame.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/slideshow.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/topology.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/topology_slideshow.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/ConsoleReader_TextDisplayer_Demo.py": {"display": True, "stdin": ECHO_LINES},
    "_SimpleGraphicalApps/TextBox/Source_TextDisplayer_Demo.py": {"display": True, "silent_exit": WAITCOMPLETE},
    "_SimpleGraphicalApps/TextBox/Styled.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/Textbox_ConsoleEchoer_Demo.py": {"display": True, "silent_exit": WAITCOMPLETE},
    "_SimpleGraphicalApps/TextBox/Textbox_TextDisplayer_Demo.py": {"display": True, "silent_exit": WAITCOMPLETE},
    "_SimpleGraphicalApps/Ticker/Ticker.py": {"display": True, "silent_exit": WAITCOMPLETE},
}
