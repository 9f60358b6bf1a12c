# Graphline, Chooser, SimpleDetupler and a shared Backplane, written against Kamaelia's names.
import Axon
from Axon.Ipc import shutdownMicroprocess
from Kamaelia.Chassis.Graphline import Graphline
from Kamaelia.Util.Chooser import Chooser
from Kamaelia.Util.Console import ConsoleEchoer
from Kamaelia.Util.Detuple import SimpleDetupler
from Kamaelia.Util.PureTransformer import PureTransformer


class Commands(Axon.Component.component):
    def main(self):
        for cmd in ["NEXT", "NEXT", "PREV", "LAST", "FIRST", "NEXT"]:
            self.send(cmd, "outbox")
            yield 1
        yield 1
        self.send(shutdownMicroprocess(self), "signal")


Graphline(
    CMDS=Commands(),
    CHOOSER=Chooser(items=[("a", 1), ("b", 2), ("c", 3)]),
    PICK=SimpleDetupler(0),
    FMT=PureTransformer(lambda x: "item %s\n" % x),
    OUT=ConsoleEchoer(),
    linkages={
        ("CMDS", "outbox"): ("CHOOSER", "inbox"),
        ("CHOOSER", "outbox"): ("PICK", "inbox"),
        ("PICK", "outbox"): ("FMT", "inbox"),
        ("FMT", "outbox"): ("OUT", "inbox"),
        ("CMDS", "signal"): ("CHOOSER", "control"),
        ("CHOOSER", "signal"): ("PICK", "control"),
        ("PICK", "signal"): ("FMT", "control"),
        ("FMT", "signal"): ("OUT", "control"),
    },
).run()
