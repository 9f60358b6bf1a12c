"""Network transports for display sync (``kamaelia_lite.surtitles.sync``): multicast or TCP.

The sync datagrams are whole, authenticated, versioned states, so any transport that usually
delivers them will do: losses are made good by the leader's quick repeats and periodic
snapshots, duplicates and reordering by the followers' version check. No internet is needed:
everything stays on the venue's LAN (or one machine).

Multicast (one send reaches every handheld on the LAN)::

    Pipeline(CuePlayer(...), sync_multicast_leader(key, "239.255.42.99", 5405, "192.168.1.10"))
    Pipeline(sync_multicast_follower(key, "239.255.42.99", 5405, "192.168.1.23"), SubtitleDisplay(...))

TCP (phones on Wi-Fi networks that block multicast): the leader runs ``SyncTCPHub`` (a TCP
server that sends every datagram, framed, to every connection, and the latest one at once to a
new connection) and each display runs ``SyncTCPFollower`` (a client that reconnects with
back-off when the leader goes away)::

    Pipeline(CuePlayer(...), SyncLeaderComponent(key=key), SyncTCPHub(port=5406, host="0.0.0.0"))
    Pipeline(SyncTCPFollower(key=key, host="192.168.1.10", port=5406), SubtitleDisplay(...))

``reliable=True`` on the multicast helpers runs the datagrams through the reliable-multicast
layer (``kamaelia_lite.net.srm_components``: sequence numbers, FEC parity, in-order delivery)
instead of plain datagrams. In-order delivery holds later states back while a lost one is being
repaired, so plain multicast (where every datagram stands alone) has the lower latency.
"""
import sys

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.command_port_components import CommandPort
from kamaelia_lite.flow import passed_shutdown_on, take_ending
from kamaelia_lite.net.tcp import TCPClient
from kamaelia_lite.surtitles.sync import StreamFrameDecoder, encode_stream_frame
from kamaelia_lite.surtitles.sync_components import SyncFollowerComponent, SyncLeaderComponent, _Follows
from microaxon import component, now, producerFinished, shutdownMicroprocess

__all__ = ["sync_multicast_leader", "sync_multicast_follower", "SyncTCPHub", "SyncTCPFollower"]


def sync_multicast_leader(key, group, port, interface, snapshot_period=0.5, reliable=False, **leader_opts):
    """A Pipeline: state dicts in -> signed datagrams -> multicast ``group:port`` on ``interface``."""
    from kamaelia_lite.net.multicast import MulticastSender
    leader = SyncLeaderComponent(key=key, snapshot_period=snapshot_period, **leader_opts)
    if reliable:
        from kamaelia_lite.net.srm_components import SRMSender
        return Pipeline(leader, SRMSender(flush_after=0.0), MulticastSender(group, port, interface))
    return Pipeline(leader, MulticastSender(group, port, interface))


def sync_multicast_follower(key, group, port, interface, reliable=False, stale_after=3.0):
    """A Pipeline: multicast ``group:port`` joined on ``interface`` -> verified newer states out."""
    from kamaelia_lite.net.multicast import MulticastReceiver
    follower = SyncFollowerComponent(key=key, stale_after=stale_after)
    if reliable:
        from kamaelia_lite.net.srm_components import SRMReceiver
        return Pipeline(MulticastReceiver(group, port, interface), SRMReceiver(log_gaps=False), follower)
    return Pipeline(MulticastReceiver(group, port, interface), follower)


class _HubSession(component):
    """One follower connection of a SyncTCPHub: frames in from the hub, bytes out to the peer;
    what the follower sends (framed heartbeats, at most ``max_frame`` bytes each) goes up to the
    hub as datagrams, unchecked here (the leader verifies them); a peer sending anything else
    is no longer read from."""

    Inboxes = {"inbox": "bytes from the follower", "control": "connection ended",
               "frames": "framed datagrams from the hub"}
    Outboxes = {"outbox": "bytes to the follower", "signal": "shutdown", "up": "datagrams from the follower"}
    Capacities = {"frames": 16}
    up = "up"
    max_frame = 512

    def main(self):
        decoder = StreamFrameDecoder(self.max_frame)
        while True:
            while self.dataReady("frames"):
                if self.hasSpace("outbox") <= 0:
                    self.recv("frames")        # the peer is not reading: drop; snapshots repair
                    continue
                self.send(self.recv("frames"), "outbox")
            while self.dataReady("inbox"):
                data = self.recv("inbox")
                if decoder is None:
                    continue
                try:
                    grams = decoder.feed(data)
                except ValueError:
                    decoder = None             # not our protocol: ignore the rest
                    continue
                for d in grams:
                    if self.hasSpace("up") > 0:
                        self.send(d, "up")
            if take_ending(self) is not None:
                self.send(producerFinished(self), "signal")
                return
            if not self.anyReady():
                self.pause()
            yield 1


class SyncTCPHub(CommandPort):
    """Leader side of sync over TCP: every datagram on ``inbox`` goes, stream-framed, to every
    connected follower; a newly connected follower gets the latest datagram at once.

    ``host`` (default "127.0.0.1"; "0.0.0.0" for the LAN), ``port`` (0 picks one: ``.port``),
    ``max_connections`` (default 500), ``idle_timeout`` (None). A follower that does not keep up
    loses its oldest queued datagrams (each is a whole state: the newest is all it needs) and
    never stalls the others. The hub is a feed, not a control surface: it reads nothing from its
    peers, and what it sends is signed (followers verify it with the shared key), so it needs
    no token.
    """

    what = "sync"
    down = "frames"
    authenticate = False
    tell_refused = False
    max_connections = 500
    idle_timeout = None
    recv_size = 1024
    latest = None

    def make_session(self, peer):
        return _HubSession()

    def welcome(self, session, box):
        if self.latest is not None:
            self.send(self.latest, box)

    def outgoing(self, msg):
        if isinstance(msg, (bytes, bytearray)):
            self.latest = encode_stream_frame(msg)
            return self.latest
        return None


class SyncTCPFollower(_Follows):
    """Follower side of sync over TCP: connects to a SyncTCPHub, verifies what arrives and sends
    the newer states on ``outbox``; reconnects with back-off (``retry`` s doubling up to
    ``max_retry``) whenever the connection fails or ends. ``follower`` holds the counters.
    ``connections`` counts successful connects; problems go to stderr once per kind.
    ``lost_after``, ``heartbeat_period``, ``display_id``, ``languages`` and the ``leader``
    outbox as for SyncFollowerComponent; heartbeats go back over the connection.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown signals", "_bytes": "internal",
               "_ended": "internal"}
    Outboxes = {"outbox": "state dicts", "signal": "shutdown signals", "_client": "internal",
                "_up": "internal", "leader": "signal lost / found", "heartbeat": "unused (sent over TCP)"}

    host = "127.0.0.1"
    port = 5406
    retry = 0.2
    max_retry = 5.0
    max_frame = 4096

    def __init__(self, **argd):
        super().__init__(**argd)
        self.connections = 0
        self._reported = set()

    def _report(self, what):
        if what not in self._reported:
            self._reported.add(what)
            sys.stderr.write("kamaelia_lite: %s: %s (retrying)\n" % (self.name, what))

    def _tick(self, connected):
        """Signal lost/found, and heartbeats over the connection; returns when to look again."""
        change, beat, wake = self.pulse.tick(self.follower, now())
        if change is not None:
            self.send(("signal", change), "leader")
        if beat is not None and connected and self.hasSpace("_up") > 0:
            self.send(encode_stream_frame(beat), "_up")
        return wake

    def main(self):
        delay = self.retry
        while True:
            client = TCPClient(self.host, self.port, connect_timeout=5.0)
            self.link((client, "outbox"), (self, "_bytes"))
            self.link((client, "signal"), (self, "_ended"))
            self.link((self, "_client"), (client, "control"))
            self.link((self, "_up"), (client, "inbox"))
            self.addChildren(client)
            client.activate(self._sched)
            decoder = StreamFrameDecoder(self.max_frame)
            got_any = False
            ended = None
            while ended is None:
                while self.dataReady("_bytes"):
                    try:
                        frames = decoder.feed(self.recv("_bytes"))
                    except ValueError as exc:
                        self._report(str(exc))
                        self.send(shutdownMicroprocess(self), "_client")
                        frames = []
                    for d in frames:
                        if not got_any:
                            got_any = True
                            self.connections += 1
                        st = self.follower.receive(d, now())
                        if st is not None:
                            self.send(st, "outbox")
                if self.dataReady("_ended"):
                    ended = self.recv("_ended")
                    break
                if passed_shutdown_on(self):
                    self.send(shutdownMicroprocess(self), "_client")
                    return
                wake = self._tick(got_any)
                if not self.anyReady():
                    self.pause(None if wake is None else max(0.0, wake - now()))
                yield 1
            while self.dataReady("_bytes"):
                self.recv("_bytes")
            self.unlink(client)
            self.removeChild(client)
            self._report("connection to %s:%s ended (%s)" % (
                self.host, self.port, getattr(ended, "reason", type(ended).__name__)))
            delay = self.retry if got_any else min(self.max_retry, delay * 2)
            t_end = now() + delay
            while now() < t_end:
                if passed_shutdown_on(self):
                    return
                wake = self._tick(False)
                self.pause(max(0.0, min(t_end, wake if wake is not None else t_end) - now()))
                yield 1
