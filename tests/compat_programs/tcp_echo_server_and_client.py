# A Kamaelia echo server and a client that sends lines through it and prints the echoes.
# The server serves for ever: the test compares what was printed before it stops the program
# (marker: runs-until-killed).
import os

import Axon
from Kamaelia.Chassis.ConnectedServer import SimpleServer
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Internet.TCPClient import TCPClient
from Kamaelia.Protocol.EchoProtocol import EchoProtocol
from Kamaelia.Util.Console import ConsoleEchoer

PORT = int(os.environ.get("COMPAT_PORT", "16010"))


class Lines(Axon.Component.component):
    def main(self):
        for _ in range(30):                 # let the server start listening first
            yield 1
        for i in range(5):
            self.send(("line %d\n" % i).encode("ascii"), "outbox")
            yield 1


class Decode(Axon.Component.component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox").decode("ascii"), "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


SimpleServer(protocol=EchoProtocol, port=PORT).activate()
Pipeline(Lines(), TCPClient("127.0.0.1", PORT), Decode(), ConsoleEchoer()).run()
