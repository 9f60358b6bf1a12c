"""The "served by" chassis for TCP command ports, and the base of their sessions.

``CommandPort`` is one TCP port wrapping a ``TCPServer`` (Kamaelia's ``ServerCore``, which tells
the factory the peer's address) with a session component per connection::

    port = CommandPort(session=MySession, host="0.0.0.0", port=7701, token="s3cret")
    Pipeline(port, Consumer())        # what sessions send on their ``up`` box leaves by outbox

- Authentication (``kamaelia_lite.command_port``), shared by every port: with a ``token`` each
  client must send ``auth <token>`` first; a token is REQUIRED when the port listens off loopback
  (ValueError otherwise), and a warning says that it travels in clear text. Failed attempts are
  limited per source address for the whole port (``auth_burst`` tries, one more every
  ``auth_refill`` s), so reconnecting does not reset them; a client that has not authenticated
  within ``auth_timeout`` s (default 10) is hung up on, so silent strangers cannot hold the slots.
- Limits: ``max_connections`` (a client beyond it is told ``error: too many <what> connections``
  and disconnected), ``idle_timeout``, ``recv_size``, ``max_send_buffer``.
- Fan-out: what arrives on the port's inbox goes to every session's ``down`` inbox through a lossy
  link (a session that does not keep up loses the oldest, never stalls the others).
- Shutdown: producerFinished / shutdownMicroprocess on control closes the server and every
  connection, then is passed on.

``CommandSession`` is the base of a session: it runs the handshake, sends replies with room
checked (a client that never reads stops being read: TCP flow control, never ``BoxFull``), and
calls ``feed(data)`` / ``work()`` for the subclass's own protocol, only while there is room for
what it produces.
"""
import sys

from kamaelia_lite.command_port import AuthGate, SourceLimiter, is_loopback
from kamaelia_lite.flow import PendingSends, take_ending
from microaxon import component, now, producerFinished, shutdownMicroprocess

__all__ = ["CommandPort", "CommandSession"]


class CommandSession(component):
    """One connection of a CommandPort (subclass it; see the module doc).

    Subclasses define ``greeting(authenticating) -> str``, ``feed(data)`` (bytes from the
    client, after authentication), ``work() -> bool`` (handle one held unit of input, replying
    with ``reply``; False when nothing is held), and may define ``notice(msg)`` (a message on the
    ``down`` inbox), ``ended(msg)`` (the connection is ending). ``up`` names the outbox whose
    messages the port passes on; ``finish()`` ends the session after the queued replies."""

    Inboxes = {"inbox": "bytes from the client", "control": "connection ended / shutdown"}
    Outboxes = {"outbox": "bytes to the client", "signal": "shutdown signals"}

    up = "outbox"
    token = None              # None: no handshake
    limiter = None            # the port's SourceLimiter
    peer = "?"                # the client's address
    refuse_reason = None      # set when the port is full: tell the client and hang up
    max_line = 200
    max_auth_failures = 3
    max_replies = 16          # replies queued before input is no longer read
    auth_timeout = 10.0       # s a client has to authenticate before it is hung up on

    def greeting(self, authenticating):
        return "ready" + (": send 'auth <token>' first" if authenticating else "")

    def feed(self, data):
        """Take bytes from the (authenticated) client."""

    def work(self):
        """Handle one held unit of input; False when nothing is held."""
        return False

    def notice(self, msg):
        """A message from the port (``down`` inbox)."""

    def ended(self, msg):
        """The connection is ending (``msg`` from control)."""

    def reply(self, text):
        """Send one line to the client; never raises (queued, bounded; the session stops reading
        while replies wait)."""
        self._replies.add((text + "\n").encode("utf-8"))
        return True

    def finish(self):
        """End the session once the queued replies have gone."""
        self._done = True

    def authenticated(self):
        return self._gate is None or self._gate.passed

    def _room(self):
        return len(self._replies) < self.max_replies and (self.up == "outbox" or self.hasSpace(self.up) > 0)

    def main(self):
        self._replies = PendingSends(self, max_count=self.max_replies, max_bytes=64 * 1024)
        self._done = False
        self._gate = None
        if self.refuse_reason:
            self.reply("error: " + self.refuse_reason)
            self._done = True
        elif self.token:
            self._gate = AuthGate(self.token, self.limiter or SourceLimiter(), self.peer,
                                  self.max_line, self.max_auth_failures)
        if not self._done:
            self.reply(self.greeting(self._gate is not None))
        down = "notices" if "notices" in self.Inboxes else None
        auth_by = now() + self.auth_timeout
        while True:
            self._replies.flush()
            while not self._done and self._room():
                if self.work():
                    continue
                if not self.dataReady("inbox"):
                    break
                data = self.recv("inbox")
                gate = self._gate
                if gate is not None and not gate.passed:
                    data = gate.feed(data, now())
                    for r in gate.replies:
                        self.reply(r)
                    del gate.replies[:]
                    if gate.closed:
                        self._done = True
                    if data is None or gate.closed:
                        continue
                self.feed(data)
            if down is not None:
                while self.dataReady(down):
                    msg = self.recv(down)
                    if self.authenticated() and len(self._replies) < self.max_replies:
                        self.notice(msg)          # else dropped: notices are advisory
            msg = take_ending(self)
            if msg is not None:
                if not self._done:
                    self.ended(msg)
                self.send(producerFinished(self), "signal")
                return
            flushed = self._replies.flush()        # (registers a waitSpace if the client lags)
            if self._done and flushed:
                self.send(producerFinished(self), "signal")
                return
            if self.up != "outbox" and self.dataReady("inbox") and self.hasSpace(self.up) <= 0:
                self.waitSpace(self.up)
            wait = None
            if not self._done and not self.authenticated():   # a silent stranger holds a slot
                wait = auth_by - now()
                if wait <= 0:
                    self.reply("error: not authenticated within %g s; closing" % self.auth_timeout)
                    self._done = True
                    continue
            if not self.anyReady() or not self._room():
                self.pause(wait)
            yield 1


class _Refusal(CommandSession):
    """Tells a client beyond the connection limit why, and hangs up."""


class CommandPort(component):
    """The served-by chassis (see the module doc). ``session``: a CommandSession class (called
    with keyword arguments); ``what`` names the port in messages ("control", "script")."""

    Inboxes = {"inbox": "messages for every session", "control": "shutdown signals",
               "_up": "internal: from the sessions", "_server_done": "internal: server finished"}
    Outboxes = {"outbox": "what the sessions send up", "signal": "shutdown signals", "_server": "internal"}

    session = None
    what = "command"
    down = None               # the sessions' inbox fed with what arrives on our inbox
    authenticate = True       # False: a port that reads nothing that could steer us (e.g. a feed)
    tell_refused = True       # tell a client beyond max_connections why it is disconnected
    host = "127.0.0.1"
    port = 0
    token = None
    max_connections = 8
    idle_timeout = 600.0
    recv_size = 4096
    max_send_buffer = 64 * 1024
    auth_burst = 5
    auth_refill = 2.0
    auth_timeout = 10.0

    def __init__(self, **argd):
        super().__init__(**argd)
        from kamaelia_lite.net.tcp import ServerCore
        if self.authenticate and not is_loopback(self.host):
            if not self.token:
                raise ValueError("the %s port listens on %s (not loopback): give it a shared token= "
                                 "that clients must send as 'auth <token>'" % (self.what, self.host))
        self.limiter = SourceLimiter(self.auth_burst, self.auth_refill)
        self.sessions = []            # [session, outbox to its down inbox or None]
        slack = 4 if self.tell_refused else 0
        self.server = ServerCore(protocol=self._make, host=self.host, port=self.port,
                                 max_connections=self.max_connections + slack,
                                 idle_timeout=self.idle_timeout, recv_size=self.recv_size,
                                 max_send_buffer=self.max_send_buffer)
        self.port = self.server.port
        if self.authenticate and self.token and not is_loopback(self.host):
            sys.stderr.write("kamaelia_lite: %s port %s:%d: the token travels in clear text; anyone who "
                             "can watch this network can read it (use a trusted network, or tunnel the "
                             "port through ssh)\n" % (self.what, self.host, self.port))

    def make_session(self, peer):
        """The session component for a client at ``peer`` (override to pass more options)."""
        return self.session(**self.session_args(peer))

    def session_args(self, peer):
        """The keyword arguments every session gets: the token scheme and the peer."""
        return {"token": self.token if self.authenticate else None, "limiter": self.limiter, "peer": peer,
                "auth_timeout": self.auth_timeout}

    def welcome(self, session, box):
        """Hook: a new session and the outbox feeding its ``down`` inbox (None without one)."""

    def outgoing(self, msg):
        """Hook: what a message on our inbox becomes for the sessions (None: not passed on)."""
        return msg

    def _make(self, peer=None, peerport=None, localip=None, localport=None):
        self.sessions = [p for p in self.sessions if not p[0].finished()]
        if self.tell_refused and len(self.sessions) >= self.max_connections:
            reason = "too many %s connections (limit %d); try again later" % (self.what, self.max_connections)
            sys.stderr.write("kamaelia_lite: %s port %s:%d: %s\n" % (self.what, self.host, self.port, reason))
            return _Refusal(refuse_reason=reason)
        s = self.make_session(peer)
        up = getattr(s, "up", "outbox")
        if up != "outbox":
            self.link((s, up), (self, "_up"))
        box = None
        if self.down is not None:
            box = self.addOutbox("_to_session")
            self.link((self, box), (s, self.down), mode="lossy")
        self.sessions.append([s, box])
        self.welcome(s, box)
        return s

    def main(self):
        self.link((self, "_server"), (self.server, "control"))
        self.link((self.server, "signal"), (self, "_server_done"))
        self.addChildren(self.server)
        self.server.activate(self._sched)
        while True:
            while self.dataReady("_up") and self.hasSpace("outbox") > 0:
                self.send(self.recv("_up"), "outbox")
            while self.dataReady("inbox"):
                msg = self.outgoing(self.recv("inbox"))
                if msg is not None:
                    for s, box in self.sessions:
                        if box is not None and not s.finished():
                            self.send(msg, box)          # lossy: drops that session's oldest
            for pair in [p for p in self.sessions if p[0].finished()]:
                self.sessions.remove(pair)
                if pair[1] is not None:
                    self.deleteOutbox(pair[1])
            ending = take_ending(self)
            if ending is not None:
                self.send(shutdownMicroprocess(self), "_server")
                while not self.server.finished() and not self.dataReady("_server_done"):
                    self.pause()
                    yield 1
                self.send(ending, "signal")
                return
            if self.dataReady("_up") and self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
            elif not self.anyReady():
                self.pause()
            yield 1
