"""Ready-made protocol components for TCPServer/TCPClient: echo, chargen and a line chat.

A protocol component's ``inbox`` receives the bytes the peer sent and what it sends on
``outbox`` goes to the peer; a ``socketShutdown`` (a producerFinished) on ``control`` means the
peer has finished sending.
"""
from kamaelia_lite.net.framing import LineDecoder, LineTooLong
from microaxon import component, newComponent, noSpaceInBox, producerFinished, shutdown, shutdownMicroprocess

__all__ = ["EchoProtocol", "Chargen", "ChatProtocol"]


class EchoProtocol(component):
    """Sends back everything it receives (Kamaelia ``Kamaelia.Protocol.EchoProtocol``).

    Waits for room downstream instead of overflowing it. On producerFinished (e.g. the peer
    half-closed) it echoes what is still queued, then passes the message on ``signal``; on
    shutdownMicroprocess it passes it on at once.
    """

    Capacities = {"inbox": 128}

    def main(self):
        ending = None
        inbox = self.getInbox("inbox")           # len(box.q): dataReady without a call
        control = self.getInbox("control")
        recv = self.recv
        send = self.send
        pause = self.pause
        held = None                              # taken, but the receiver had no room for it
        while True:
            while held is not None or inbox.q:
                msg = recv("inbox") if held is None else held
                try:
                    send(msg, "outbox")
                except noSpaceInBox:
                    held = msg
                    self.waitSpace("outbox")
                    break
                held = None
            if ending is None and control.q:
                ending = self.recv("control")
                if not isinstance(ending, shutdown):
                    ending = producerFinished(self)
            if ending is not None and (isinstance(ending, shutdownMicroprocess)
                                       or (held is None and not inbox.q)):
                self.send(ending, "signal")
                return
            pause()
            yield 1


class Chargen(component):
    """Emits ``message`` (default "Hello World", as Kamaelia's ``Kamaelia.Util.Chargen``) on
    ``outbox`` over and over, as fast as the receiver takes it (it waits when the destination is
    full instead of flooding it). ``count`` (default None: for ever) limits the number sent, after
    which it sends producerFinished on ``signal``. Finishes on any shutdown message on control.
    """

    message = "Hello World"
    count = None

    def main(self):
        sent = 0
        msg = self.message
        limit = self.count
        while limit is None or sent < limit:
            if self.dataReady("control"):
                m = self.recv("control")
                self.send(m if isinstance(m, shutdown) else producerFinished(self), "signal")
                return
            room = self.hasSpace("outbox")
            if room <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                continue
            if room > 64:
                room = 64
            if limit is not None and room > limit - sent:
                room = limit - sent
            for _ in range(room):
                self.send(msg, "outbox")
            sent += room
            yield 1
        self.send(producerFinished(self), "signal")


class ChatProtocol(component):
    """One chat participant: every line a client types is sent to everyone else in the room.

    ``room`` names a ``kamaelia_lite.chassis.Backplane`` that must exist (the chat server makes
    it). Lines are at most ``max_line`` bytes (default 1024): a longer line is not relayed and the
    client is told ``"! line too long (max N bytes)"``; the connection carries on. The first line
    a client sends is taken as its nickname. A slow client loses lines (its subscription is
    lossy) rather than stalling the room.
    """

    Inboxes = {"inbox": "bytes from the client", "control": "shutdown",
               "_room": "lines from the room"}
    Outboxes = {"outbox": "bytes to the client", "signal": "shutdown", "_say": "lines to the room",
                "_pubctl": "finishes the publisher once our last line is out"}

    room = "chat"
    max_line = 1024
    greeting = b"* welcome: send your nickname, then chat\n"

    def main(self):
        from kamaelia_lite.chassis import PublishTo, SubscribeTo

        pub = PublishTo(self.room)
        sub = SubscribeTo(self.room, lossy=True)
        self.link((self, "_say"), (pub, "inbox"))
        self.link((self, "_pubctl"), (pub, "control"))
        self.link((sub, "outbox"), (self, "_room"))
        self.addChildren(pub, sub)
        yield newComponent(pub, sub)
        decoder = LineDecoder(max_line=self.max_line)
        nick = None
        me = self.id
        self.send(self.greeting, "outbox")
        ending = None
        try:
            while True:
                while self.dataReady("inbox"):
                    for ev in decoder.feed(self.recv("inbox")):
                        if isinstance(ev, LineTooLong):
                            self.send(b"! line too long (max %d bytes)\n" % self.max_line, "outbox")
                        elif nick is None:
                            nick = ev.strip()[:32] or b"anon"
                            self._say(me, b"* %s joined\n" % nick)
                        elif ev:
                            self._say(me, nick + b": " + ev + b"\n")
                while self.dataReady("_room"):
                    who, line = self.recv("_room")
                    if who != me and self.hasSpace("outbox") > 0:
                        self.send(line, "outbox")
                if self.dataReady("control"):
                    ending = self.recv("control")
                    break
                self.pause()
                yield 1
            if nick is not None:
                self._say(me, b"* %s left\n" % nick)
            self.send(producerFinished(self), "_pubctl")      # it delivers that line, then ends
            self.send(ending, "signal")
        finally:
            if not sub.finished():
                sub.stop()
            if ending is None and not pub.finished():
                pub.stop()

    def _say(self, me, line):
        if self.hasSpace("_say") > 0:
            self.send((me, line), "_say")
