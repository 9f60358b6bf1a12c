# Kamaelia UDP peers on loopback: a SimplePeer, a TargettedPeer (retargeted on its "target"
# inbox) and a PostboxPeer ((host, port, data) triples) send datagrams to one receiving
# SimplePeer, which prints what arrives and from which host (the sender's port is ephemeral).
# Kamaelia's peers run for ever: the test compares what was printed (marker: runs-until-killed).
import os

import Axon
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Internet.UDP import PostboxPeer, SimplePeer, TargettedPeer
from Kamaelia.Util.Console import ConsoleEchoer

PORT = int(os.environ.get("COMPAT_PORT", "16020"))


class After(Axon.Component.component):
    """Waits `delay` turns (so the receiver is bound and earlier senders are done), then sends."""

    Outboxes = ["outbox", "signal", "target"]

    def __init__(self, delay, messages, target=None):
        super().__init__()
        self.delay = delay
        self.messages = messages
        self.target = target

    def main(self):
        for _ in range(self.delay):
            yield 1
        if self.target is not None:
            self.send(self.target, "target")
            yield 1
        for m in self.messages:
            self.send(m, "outbox")
            for _ in range(5):
                yield 1


class Show(Axon.Component.component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                data, (host, port) = self.recv("inbox")
                self.send("%s from %s\n" % (data.decode("ascii"), host), "outbox")
            self.pause()
            yield 1


Pipeline(SimplePeer(localaddr="127.0.0.1", localport=PORT), Show(), ConsoleEchoer()).activate()
Pipeline(After(30, [b"simple 0", b"simple 1"]),
         SimplePeer(receiver_addr="127.0.0.1", receiver_port=PORT)).activate()
retarget = After(80, [b"targetted 0", b"targetted 1"], target=("127.0.0.1", PORT))
peer = TargettedPeer(receiver_addr="127.0.0.1", receiver_port=PORT + 1)   # nobody there at first
retarget.link((retarget, "outbox"), (peer, "inbox"))
retarget.link((retarget, "target"), (peer, "target"))
retarget.activate()
peer.activate()
Pipeline(After(130, [("127.0.0.1", PORT, b"postbox 0"), ("127.0.0.1", PORT, b"postbox 1")]),
         PostboxPeer(localaddr="127.0.0.1")).run()
