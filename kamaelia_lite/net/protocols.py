"""Ready-made protocol components for TCPServer/TCPClient: echo, chargen and a line chat.

A protocol component's ``inbox`` receives the bytes the peer sent and what it sends on
``outbox`` goes to the peer; a ``socketShutdown`` (a producerFinished) on ``control`` means the
peer has finished sending. Each declares ``peer``, ``peerport``, ``localip`` and ``localport``
(None by default), which ``ServerCore`` gives every protocol it makes.
"""
from kamaelia_lite.flow import drained_then_stopped, passed_shutdown_on, take_ending
from kamaelia_lite.net.framing import LineDecoder, LineTooLong
from microaxon import (
    component,
    newComponent,
    noSpaceInBox,
    now,
    producerFinished,
)

__all__ = ["EchoProtocol", "Chargen", "ChatProtocol"]


class EchoProtocol(component):
    """Sends back everything it receives (Kamaelia ``Kamaelia.Protocol.EchoProtocol``).

    Waits for room downstream instead of overflowing it. On producerFinished (e.g. the peer
    half-closed) it echoes what is still queued, then passes the message on ``signal``; on
    shutdownMicroprocess it passes it on at once.
    """

    Capacities = {"inbox": 128}
    peer = peerport = localip = localport = None   # given by ServerCore (see module doc)

    def main(self):
        ending = None
        inbox = self.getInbox("inbox")           # len(box.q): dataReady without a call
        control = self.getInbox("control")
        recv = self.recv
        send = self.send
        pause = self.pause
        held = None                              # taken, but the receiver had no room for it
        while True:
            if held is not None:                 # (rare: the receiver was full last time)
                try:
                    send(held, "outbox")
                    held = None
                except noSpaceInBox:
                    self.waitSpace("outbox")
            if held is None:
                while inbox.q:                   # the hot path: one look at the box per message
                    msg = recv("inbox")
                    try:
                        send(msg, "outbox")
                    except noSpaceInBox:
                        held = msg
                        self.waitSpace("outbox")
                        break
            if ending is None and control.q:
                ending = take_ending(self)
            if ending is not None and drained_then_stopped(self, ending, held is None and not inbox.q):
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
    peer = peerport = localip = localport = None   # given by ServerCore (see module doc)
    count = None

    def main(self):
        sent = 0
        msg = self.message
        limit = self.count
        while limit is None or sent < limit:
            if passed_shutdown_on(self):
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
    a client sends is taken as its nickname.

    Fairness: a client may say ``rate`` lines a second (default 20), ``burst`` at once (default
    40) (a refused line costs nothing); past that its lines are not read until it may speak again, so a flooding client is slowed
    by TCP flow control and the room still hears everyone else. Lines from the room reach the
    client round-robin over the talkers, at most ``backlog_bytes`` (default 64 KiB) of them
    waiting: a client that reads too slowly loses the oldest lines of the talker with the most
    waiting, and is told ``"! N lines dropped: you read too slowly"`` once it reads again. It never holds anyone else up. Every reply is sent with room
    checked: a client that never reads cannot make this component raise.
    """

    Inboxes = {"inbox": "bytes from the client", "control": "shutdown",
               "_room": "lines from the room"}
    Outboxes = {"outbox": "bytes to the client", "signal": "shutdown", "_say": "lines to the room",
                "_pubctl": "finishes the publisher once our last line is out"}

    room = "chat"
    peer = peerport = localip = localport = None   # given by ServerCore (see module doc)
    max_line = 1024
    rate = 20.0
    burst = 40
    backlog_bytes = 65536
    greeting = b"* welcome: send your nickname, then chat\n"
    dropped = 0                  # room lines this client read too slowly to get
    replies_dropped = 0          # replies with no room towards the client (it does not read)

    def main(self):
        from kamaelia_lite.chassis import PublishTo, SubscribeTo

        pub = PublishTo(self.room)
        sub = SubscribeTo(self.room)      # we always take its lines (bounded per talker below)
        self.link((self, "_say"), (pub, "inbox"))
        self.link((self, "_pubctl"), (pub, "control"))
        self.link((sub, "outbox"), (self, "_room"))
        self.addChildren(pub, sub)
        yield newComponent(pub, sub)
        decoder = LineDecoder(max_line=self.max_line)
        self.nick = None
        me = self.id
        self._reply(self.greeting)
        ending = None
        lines = []               # decoded from the client, not handled yet
        at = 0
        tokens = float(self.burst)
        last = now()
        waiting = {}             # talker -> lines from it waiting for room towards our client
        turns = []               # talkers with lines waiting, in round-robin order
        told = 0                 # drops already reported
        held = 0                 # bytes waiting in all those lines
        try:
            while True:
                # the client's lines, as its rate allows
                t = now()
                tokens = min(float(self.burst), tokens + (t - last) * self.rate)
                last = t
                while tokens >= 1.0:
                    if at < len(lines):
                        ev = lines[at]
                        if isinstance(ev, LineTooLong):     # answered, not relayed: no token
                            self._reply(b"! line too long (max %d bytes)\n" % self.max_line)
                            at += 1
                            continue
                        if self.hasSpace("_say") <= 0:
                            self.waitSpace("_say")
                            break
                        tokens -= 1.0
                        self._handle(ev, me)
                        at += 1
                    elif self.dataReady("inbox"):
                        lines = decoder.feed(self.recv("inbox"))
                        at = 0
                    else:
                        break
                # lines from the room, one talker at a time
                while self.dataReady("_room"):
                    who, line = self.recv("_room")
                    if who == me:
                        continue
                    q = waiting.get(who)
                    if q is None:
                        q = waiting[who] = []
                        turns.append(who)
                    q.append(line)
                    held += len(line)
                    while held > self.backlog_bytes:      # the longest queue loses its oldest
                        longest = None
                        for k in turns:
                            if longest is None or len(waiting[k]) > len(waiting[longest]):
                                longest = k
                        held -= len(waiting[longest].pop(0))
                        self.dropped += 1
                        if not waiting[longest]:
                            del waiting[longest]
                            turns.remove(longest)
                room = self.hasSpace("outbox")
                if self.dropped > told and room > 1:
                    self.send(b"! %d lines dropped: you read too slowly\n" % (self.dropped - told),
                              "outbox")
                    told = self.dropped
                    room -= 1
                while turns and room > 0:
                    who = turns.pop(0)
                    q = waiting[who]
                    line = q.pop(0)
                    held -= len(line)
                    self.send(line, "outbox")
                    room -= 1
                    if q:
                        turns.append(who)
                    else:
                        del waiting[who]
                ending = take_ending(self)
                if ending is not None:
                    break
                if turns:
                    self.waitSpace("outbox")
                timeout = None
                if at < len(lines) or self.dataReady("inbox"):
                    if tokens < 1.0:
                        timeout = (1.0 - tokens) / self.rate
                self.pause(timeout)
                yield 1
            if self.nick is not None:
                self._say(me, b"* %s left\n" % self.nick)
            self.send(producerFinished(self), "_pubctl")      # it delivers that line, then ends
            self.send(ending, "signal")
        finally:
            if not sub.finished():
                sub.stop()
            if ending is None and not pub.finished():
                pub.stop()

    def _handle(self, ev, me):
        if self.nick is None:
            self.nick = ev.strip()[:32] or b"anon"
            self._say(me, b"* %s joined\n" % self.nick)
        elif ev:
            self._say(me, self.nick + b": " + ev + b"\n")

    def _reply(self, data):
        """Send to our client if there is room; a client that does not read loses the reply."""
        if self.hasSpace("outbox") > 0:
            self.send(data, "outbox")
        else:
            self.replies_dropped += 1

    def _say(self, me, line):
        if self.hasSpace("_say") > 0:
            self.send((me, line), "_say")
