# An unmodified Kamaelia-style program: a source, a transformer, the console.
import Axon
from Axon.Ipc import producerFinished
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer
from Kamaelia.Util.PureTransformer import PureTransformer


class Source(Axon.Component.component):
    def __init__(self, words):
        super().__init__()
        self.words = words

    def main(self):
        for w in self.words:
            self.send(w, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")


Pipeline(
    Source(["hello", "kamaelia", "world"] * 50),
    PureTransformer(lambda x: x.upper() + "\n"),
    ConsoleEchoer(),
).run()
