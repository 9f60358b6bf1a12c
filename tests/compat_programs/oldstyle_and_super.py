# Old Axon idioms: initialiseComponent/mainBody/closeDownComponent, a threaded
# component, and a file written then read back line by line.
import os
import sys
import tempfile

import Axon
from Axon.Ipc import producerFinished
from Axon.ThreadedComponent import threadedcomponent
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.File.ReadFileAdaptor import ReadFileAdaptor
from Kamaelia.File.Writing import SimpleFileWriter
from Kamaelia.Util.Console import ConsoleEchoer


class Counter(Axon.Component.component):
    def __init__(self, upto):
        super().__init__()
        self.upto = upto

    def initialiseComponent(self):
        self.n = 0
        return 1

    def mainBody(self):
        self.n += 1
        self.send("count %d\n" % self.n, "outbox")
        if self.n >= self.upto:
            self.send(producerFinished(self), "signal")
            return 0
        return 1

    def closeDownComponent(self):
        pass


class Shout(threadedcomponent):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox").upper().encode("ascii"), "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()


path = os.path.join(tempfile.mkdtemp(), "counts.txt")
Pipeline(Counter(5), Shout(), SimpleFileWriter(path)).run()
sys.stdout.write(open(path).read())
class Decode(Axon.Component.component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox").decode("ascii").lower(), "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


Pipeline(ReadFileAdaptor(path, readmode="line"), Decode(), ConsoleEchoer()).run()
