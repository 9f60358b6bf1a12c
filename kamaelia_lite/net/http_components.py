"""An HTTP + WebSocket server component over ``TCPServer`` (CPython only: h11 and wsproto).

``WebServer(routes, host=, port=, limits=, max_connections=, idle_timeout=)`` listens and makes
one ``WebConnection`` per accepted connection. The protocol logic is sans-IO
(``kamaelia_lite.net.http.HttpSession``, ``kamaelia_lite.net.websocket.WebSocketSession``);
these components only move bytes between them and the socket.

WebSockets are served by a *hub*: any object with the three methods below, given to
``Routes.websocket(path, hub)``. The hub is usually a component running in the same
scheduler (``kamaelia_lite.surtitles.web_components.AudienceServer`` is one):

- ``ws_open(conn, request)``: a client upgraded on the hub's path. The hub links one of its
  outboxes to ``conn``'s ``push`` inbox — a lossy box of one, so a client that is slow gets
  only the newest message and never holds anyone up — and may send at once.
- ``ws_message(conn, text)``: a text message from the client (bounded by
  ``Limits.max_message_bytes``). What the hub does with it is its own business; for a
  read-only page, nothing that changes the show.
- ``ws_closed(conn, reason)``: the connection ended (once, whatever the reason).

Messages on ``push`` are str (sent as one text frame) or bytes (an already encoded frame:
``websocket.text_frame``, made once for every client). A hub may also link an outbox straight
to ``conn.socket`` (the connection's ``ConnectedSocket``, when known) and send an encoded frame
there itself while ``conn.idle_socket(space)`` says nothing is queued in front of it — one
component step fewer per phone and message; anything else goes through ``push``.

A connection whose buffers stay full for ``Limits.send_timeout`` s (a client that does not
read) or that does not answer a ping within ``Limits.pong_timeout`` is closed — with a close
frame if any room is left, else by closing the socket — and nobody else waits for it.
"""
import sys

from kamaelia_lite.flow import take_ending
from kamaelia_lite.net.http import HttpSession, Limits, Routes
from kamaelia_lite.net.tcp import TCPServer, newConnection
from kamaelia_lite.net.websocket import WebSocketSession, text_frame
from microaxon import component, noSpaceInBox, now, producerFinished, shutdownMicroprocess

__all__ = ["WebServer", "WebConnection"]


class WebConnection(component):
    """One HTTP connection, and after an upgrade one WebSocket (see the module doc).

    Boxes: ``inbox`` bytes from the socket, ``outbox`` bytes to it; ``control`` how the socket
    ended (or the server's shutdown); ``push`` frames from the hub (lossy, capacity 1);
    ``signal`` tells the socket to finish. ``closed_reason`` says why it ended.
    """

    Inboxes = {"inbox": "bytes from the peer", "control": "connection ended / shutdown",
               "push": "frames from the hub (lossy box of one)"}
    Outboxes = {"outbox": "bytes to the peer", "signal": "finish the socket"}
    Capacities = {"push": 1}

    closed_reason = None
    ws = None
    socket = None        # the ConnectedSocket component (set by WebServer from its events)
    room = 64            # free slots in the socket's inbox when it is empty
    stall_check = 0.25   # s: while the socket is full, look again at least this often

    def __init__(self, server, **argd):
        super().__init__(**argd)
        self.server = server

    def idle_socket(self, space):
        """True when a frame may go straight to the socket: nothing waits in ``push`` and the
        socket has taken everything (``space`` is the free room of the hub's box linked to it)."""
        return space >= self.room and not self.getInbox("push").q and self.ws is not None

    def _write(self, data):
        """Queue bytes for the socket; False when its buffers are full."""
        if not data:
            return True
        try:
            self.send(data, "outbox")
        except noSpaceInBox:
            return False
        return True

    def _finish(self, reason, hard=False):
        self.closed_reason = reason
        self.send(shutdownMicroprocess(self) if hard else producerFinished(self), "signal")

    def main(self):
        server = self.server
        limits = server.limits
        http = HttpSession(server.routes, limits)
        hub = None
        ws = None
        stalled = None               # since when the socket refused our data
        room = self.room = self.hasSpace("outbox")      # the socket's inbox when empty
        push = self.getInbox("push")
        inbox = self.getInbox("inbox")
        control = self.getInbox("control")
        nxt = None                   # when the WebSocket's keepalive next has something to do
        try:
            while True:
                # fast path (a cue for a phone that keeps up): only a frame from the hub waits
                if nxt is not None and push.q and not inbox.q and not control.q and stalled is None \
                        and self.hasSpace("outbox") >= room:
                    msg = self.recv("push")
                    self.send(msg if msg.__class__ is bytes else text_frame(msg), "outbox")
                    self.pause()             # (the server's keepalive sweep wakes us when due)
                    yield 1
                    continue
                t = now()
                msg = take_ending(self) if control.q else None
                if msg is not None:
                    if ws is not None and msg.__class__ is producerFinished:     # server stopping
                        self._write(ws.close(1001, "server shutting down"))
                    self.closed_reason = getattr(msg, "reason", None) or type(msg).__name__
                    self.send(msg if isinstance(msg, shutdownMicroprocess) else producerFinished(self),
                              "signal")
                    return
                held_back = False
                while True:
                    if ws is None:
                        # HTTP: a batch of answers goes out as one write, once the socket has
                        # taken the last one; meanwhile the client's next bytes wait unread
                        # (in our inbox, then its socket), and no answer is ever dropped
                        if not (http.more or inbox.q):
                            break
                        if self.hasSpace("outbox") < room:
                            self.waitSpace("outbox", taken=True)
                            held_back = True
                            break
                        acts = http.resume(t) if http.more else http.receive(self.recv("inbox"), t)
                        self._write(b"".join(a[1] for a in acts if a[0] == "send"))
                        act = acts[-1] if acts else ("send",)
                        if act[0] == "close":
                            self._finish(act[1])
                            return
                        if act[0] != "upgrade":
                            continue
                        _, req, hub, leftover = act     # upgrade: WebSocket from now on
                        ws = self.ws = WebSocketSession(limits, t, leftover)
                        http = None
                        server.live[self] = ws
                        hub.ws_open(self, req)
                        out, texts, closed = ws.start(t)
                    elif inbox.q:
                        out, texts, closed = ws.receive(self.recv("inbox"), t)
                    else:
                        break
                    self._write(out)
                    for text in texts:
                        try:
                            hub.ws_message(self, text)
                        except Exception as e:           # a hub's bug must not end the server
                            sys.stderr.write("kamaelia_lite: web hub failed on a message: %r\n" % e)
                    if closed:
                        self._finish(closed)
                        return
                timeout = None
                if ws is None:
                    for act in http.expired(t):
                        if act[0] == "send":
                            self._write(act[1])
                        else:
                            self._finish(act[1])
                            return
                    if http.started is not None:
                        timeout = max(0.0, http.started + limits.request_timeout - t)
                    if held_back:                # (a cap, as for a stalled WebSocket below)
                        timeout = self.stall_check if timeout is None else min(timeout, self.stall_check)
                else:
                    # newest frame from the hub, once the socket has taken all we gave it
                    # (so at most one frame waits beyond the socket's own byte budget: no
                    # backlog builds up in front of a slow phone)
                    if self.dataReady("push"):
                        if self.hasSpace("outbox") >= room:
                            msg = self.recv("push")
                            self._write(text_frame(msg) if isinstance(msg, str) else msg)
                            stalled = None
                        elif stalled is None:
                            stalled = t
                    elif stalled is not None and self.hasSpace("outbox") >= room:
                        stalled = None
                    if stalled is not None:
                        if t - stalled >= limits.send_timeout:
                            self._write(ws.close(1008, "client does not read"))
                            self._finish("client did not read for %gs" % limits.send_timeout, hard=True)
                            return
                        # Wait until the socket takes what waits in its inbox (plain
                        # waitSpace would wake us at once while *some* room is there, and we
                        # need it empty: a busy loop for the whole stall). The cap bounds a
                        # wake missed all the same.
                        self.waitSpace("outbox", taken=True)
                        timeout = min(stalled + limits.send_timeout - t, self.stall_check)
                    data, closed = ws.tick(t)
                    if data:
                        if not self._write(data) and stalled is None:
                            stalled = t
                    if closed:
                        self._finish(closed, hard=True)
                        return
                    nxt = ws.next_tick()      # (no timer: WebServer's sweep wakes us then)
                self.pause(timeout)
                yield 1
        finally:
            if ws is not None:
                server.live.pop(self, None)
                try:
                    hub.ws_closed(self, self.closed_reason)
                except Exception as e:
                    sys.stderr.write("kamaelia_lite: web hub failed on a close: %r\n" % e)


class WebServer(component):
    """HTTP/1.1 + WebSocket server: ``routes`` (a ``Routes``) answer requests, its WebSocket
    paths go to their hubs.

    ``host`` (default "127.0.0.1"; "0.0.0.0" or "::" for the LAN), ``port`` (0 picks one:
    ``.port`` after construction), ``limits`` (``http.Limits``), ``max_connections``
    (default 2000), ``idle_timeout`` (s without any traffic, default 120; WebSockets stay busy
    with pings), ``max_send_buffer`` (bytes held per connection beyond the kernel's, 64 KiB).

    Boxes: ``control`` producerFinished/shutdownMicroprocess: WebSockets get a close frame (1001),
    everything is closed, then the message is passed on ``signal``. ``events``: the TCPServer's
    newConnection / connectionClosed / connectionRejected notices.
    Counters: ``websockets`` (open now), ``open_connections()``, ``rejected``. Keepalive: one
    sweep every min(ping_interval, pong_timeout) / 8 s wakes the WebSockets whose ping or pong
    deadline has passed (so a ping goes out at most 1/8 of an interval late).
    """

    Inboxes = {"inbox": "unused", "control": "shutdown", "_server_done": "internal",
               "_events": "the TCP server's notices"}
    Outboxes = {"outbox": "unused", "signal": "shutdown", "events": "connection notices",
                "_server": "internal"}

    Capacities = {"_events": 1 << 16}     # a burst of connections must never fill it

    routes = None
    host = "127.0.0.1"
    port = 0
    limits = None
    max_connections = 2000
    idle_timeout = 120.0
    max_send_buffer = 64 * 1024
    recv_size = 16384

    def __init__(self, routes=None, **argd):
        super().__init__(**argd)
        if routes is not None:
            self.routes = routes
        if self.routes is None:
            self.routes = Routes()
        if self.limits is None:
            self.limits = Limits()
        self.live = {}               # WebConnection -> its WebSocketSession, once upgraded
        self.tcp = TCPServer(protocol=self._connection, host=self.host, port=self.port,
                             max_connections=self.max_connections, idle_timeout=self.idle_timeout,
                             max_send_buffer=self.max_send_buffer, recv_size=self.recv_size, linger=1.0)
        self.port = self.tcp.port

    @property
    def rejected(self):
        """Connections refused because ``max_connections`` were open."""
        return self.tcp.rejected

    @property
    def websockets(self):
        """WebSocket connections open now."""
        return len(self.live)

    def _sweep(self, t):
        """Wake the WebSockets whose keepalive is due (a ping to send, a pong overdue): one pass
        over them every ``sweep`` s instead of a timer per connection re-armed on every message."""
        for conn, ws in self.live.items():
            due = ws.next_tick()
            if due is not None and due <= t:
                conn.unpause()

    def open_connections(self):
        """Connections open now (HTTP and WebSocket)."""
        return len(self.tcp.connections)

    def _connection(self):
        return WebConnection(self)

    def main(self):
        tcp = self.tcp
        self.link((self, "_server"), (tcp, "control"))
        self.link((tcp, "signal"), (self, "_server_done"))
        self.link((tcp, "events"), (self, "_events"))
        self.addChildren(tcp)
        tcp.activate(self._sched)
        lim = self.limits
        sweep = max(0.02, min(lim.ping_interval, lim.pong_timeout) / 8.0)
        next_sweep = now() + sweep
        while True:
            msg = take_ending(self)
            if msg is not None:
                break
            if tcp.finished():
                sys.stderr.write("kamaelia_lite: %s: the TCP server ended\n" % self.name)
                self.send(producerFinished(self), "signal")
                return
            while self.dataReady("_events"):
                ev = self.recv("_events")
                if isinstance(ev, newConnection):
                    ev.handler.socket = ev.connection       # lets a hub write frames straight in
                try:
                    self.send(ev, "events")
                except noSpaceInBox:
                    pass                     # a listener that does not keep up misses notices
            t = now()
            if t >= next_sweep:
                self._sweep(t)
                next_sweep = t + sweep
            self.pause(next_sweep - t)
            yield 1
        self.send(producerFinished(self), "_server")
        while not tcp.finished() and not self.dataReady("_server_done"):
            self.pause()
            yield 1
        self.send(msg, "signal")
