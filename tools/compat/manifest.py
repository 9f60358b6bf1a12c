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
            "distinct" (the same set of distinct lines: a stream whose length depends on timing)
  subs      extra [regex, replacement] applied to stdout before comparing
  broken    why the program cannot work on Kamaelia itself even though it runs without a
            traceback (the runner's verdict is then "no")
  display   the program draws with pygame: its window is not compared (SDL's dummy driver)
"""
DEFAULT_TIMEOUT = 5.0

# Regexes applied to every captured text: memory addresses and object ids vary run to run.
NORMALISE = [
    (r"0x[0-9a-fA-F]+", "<addr>"),
    (r"\b\d{9,}\b", "<id>"),
    (r"\b127\.0\.0\.1:\d+\b", "127.0.0.1:<port>"),
]

ECHO_LINES = ["hello", "world"]

PROGRAMS = {
    "Backplane/Forwarding.py": {"stdin": ["one", "two"], "timeout": 4.5, "compare": "lines"},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.1.py": {"timeout": 2.0, "subs": [["(True)+", "True..."]]},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.2.py": {"timeout": 2.0, "compare": "distinct"},
    "Contrib/Kamaelia.Apps.SA/PeriodicTick.3.py": {"timeout": 2.0, "compare": "distinct"},
    "Contrib/Kamaelia.Apps.SA/TTL.py": {"timeout": 9.0},
    "Files/DemoAppend.py": {"stdin": ["first line", "second line"], "files": ["demo.txt"]},
    "Files/SimpleReading.py": {"timeout": 8.0},
    "Introspection/FortuneCookie_Introspecting.py": {
        "listen": 1600, "nodes": ["Introspector", "PureTransformer", "TCPClient", "ConsoleEchoer"]},
    "Introspection/IntrospectionTutorial/ChatServer.py": {"client": {"port": 1500, "send": ECHO_LINES}},
    "Introspection/IntrospectionTutorial/CommandLineEchoExample.py": {"stdin": ECHO_LINES},
    "Introspection/IntrospectionTutorial/EchoServer.py": {"client": {"port": 1500, "send": ECHO_LINES}},
    "Introspection/IntrospectionTutorial/IntrospectingChatServer.py": {
        "client": {"port": 1500, "send": ECHO_LINES}, "listen": 1600,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "PublishTo", "SubscribeTo"]},
    "Introspection/IntrospectionTutorial/IntrospectingCommandLineEchoExample.py": {
        "stdin": ECHO_LINES, "listen": 1600,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "ConsoleReader", "ConsoleEchoer"]},
    "Introspection/IntrospectionTutorial/IntrospectingEchoServer.py": {
        "client": {"port": 1500, "send": ECHO_LINES}, "listen": 1600,
        "nodes": ["Introspector", "PureTransformer", "TCPClient", "EchoProtocol"]},
    "Introspection/ManualAxonVisualiser.py": {"stdin": ECHO_LINES, "display": True},
    "PythonInterpreter/BasicPythonInterpreter.py": {"stdin": ["1+1", "x = 5", "x*2", "print('hi')"]},
    "PythonInterpreter/ConsolePythonInterpreter.py": {"stdin": ["1+1", "x = 5", "x*2", "print('hi')"]},
    "PythonInterpreter/ServerBasedPythonInterpreter.py": {
        "client": {"port": 1236, "send": ["1+1", "x = 5", "x*2"]}},
    "TCP_Systems/FortuneCookieServer.py": {
        "client": {"port_from": r"PORT (\d+)", "send": []}, "subs": [[r"PORT \d+", "PORT <port>"]]},
    "TCP_Systems/SingleServerExample.py": {"timeout": 8.0},
    "UDP_Systems/SimplePeer_Example.py": {"timeout": 3.0, "compare": "distinct",
                                          "subs": [["(Hello World)+", "Hello World..."]]},
    "UsingChassis/Graphline/DemoShutdown.py": {"compare": "lines", "subs": [[r"WAITER \d+", "WAITER <n>"]]},
    "UsingChassis/Graphline/FailShutdown.py": {"compare": "distinct",
                                               "subs": [[r"WAITER \d+", "WAITER <n>"]]},
    "UsingChassis/Graphline/LinkedShutdown.py": {"compare": "lines", "subs": [[r"WAITER \d+", "WAITER <n>"]]},
    "UsingChassis/PAR/par_shutdown_simple.py": {"timeout": 9.0, "compare": "lines"},
    "UsingChassis/PAR/par_slideshow.py": {"display": True},
    "UsingChassis/Pipeline/Feedback.py": {"timeout": 3.0},
    "GraphVisualisation/BasicGraphVisualisation.py": {"display": True},
    "GraphVisualisation/TopologyVisualiser.py": {"display": True},
    "_Handles/_LikeTicker.py": {"display": True},
    "_Handles/mediumtcpclient.py": {"stdin": ECHO_LINES},
    "_Handles/_simpletcpclient.py": {"stdin": ["#test"], "broken": "needs the internet (irc.freenode.net)"},
    "_Handles/_simplehttpclient.py": {"broken": "needs the internet"},
    "_HTTPSpider/HTTPSpider.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/ConsoleDownloader.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/cookbook_1.py": {"broken": "needs the internet"},
    "TCP_Systems/_HTTP/cookbook_2.py": {"broken": "needs the internet"},
    "TCP_Systems/_SSL/https.py": {"broken": "needs the internet"},
    "TCP_Systems/_SSL/tcpssl.py": {"broken": "needs the internet"},
    "PythonInterpreter/_PygamePythonInterpreter.py": {"display": True},
    "_SimpleGraphicalApps/BouncingCatGame/Simplegame.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/slideshow.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/topology.py": {"display": True},
    "_SimpleGraphicalApps/Slideshows/topology_slideshow.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/ConsoleReader_TextDisplayer_Demo.py": {"display": True, "stdin": ECHO_LINES},
    "_SimpleGraphicalApps/TextBox/Source_TextDisplayer_Demo.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/Styled.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/Textbox_ConsoleEchoer_Demo.py": {"display": True},
    "_SimpleGraphicalApps/TextBox/Textbox_TextDisplayer_Demo.py": {"display": True},
    "_SimpleGraphicalApps/Ticker/Ticker.py": {"display": True},
}
