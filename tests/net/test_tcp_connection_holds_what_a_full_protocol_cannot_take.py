"""A connection in the steady state of request/response (its hot path) that reads bytes its
protocol has no room for holds them, stops reading, and hands them on in order once the
protocol takes again: nothing is lost, duplicated or reordered, and the connection does not
turn over and over while it waits."""
import socket
import time

from web_helpers import Served

from kamaelia_lite.net.tcp import ConnectedSocket, TCPServer
from microaxon import component
from microaxon.introspect import snapshot


class Late(component):
    """Echoes, but only once told to; until then its two-slot inbox fills up."""

    Capacities = {"inbox": 2}
    listen = False

    def main(self):
        while not self.dataReady("control"):
            while self.listen and self.dataReady("inbox"):
                self.send(self.recv("inbox"), "outbox")
            self.pause()
            yield 1


def _read_exactly(sock, n, seconds=10.0):
    got = b""
    sock.settimeout(seconds)
    while len(got) < n:
        chunk = sock.recv(65536)
        assert chunk, "the server closed after %d of %d bytes" % (len(got), n)
        got += chunk
    return got


def test_bytes_read_for_a_full_protocol_are_held_then_handed_on_in_order():
    protocols = []

    def make():
        p = Late()
        protocols.append(p)
        return p
    server = TCPServer(protocol=make)
    with Served(server) as s:
        peer = socket.create_connection(("127.0.0.1", server.port))
        peer.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [b"line %02d\n" % i for i in range(12)]
        for line in lines:
            peer.sendall(line)
            time.sleep(0.02)                 # read one by one: a message each
        conn = s.call(lambda: [c for c in s.sched.components() if isinstance(c, ConnectedSocket)][0])
        assert s.call(lambda: len(protocols[0].getInbox("inbox").q)) == 2     # full
        assert s.call(lambda: conn.bytes_in) < sum(map(len, lines))          # it stopped reading

        def turns():
            return [c["steps"] for c in snapshot(s.sched) if c["name"] == conn.name][0]
        before = s.call(turns)
        time.sleep(0.3)
        assert s.call(turns) - before < 10, "the connection turned over while it waited for room"

        def listen():
            protocols[0].listen = True
            protocols[0].unpause()
        s.call(listen)
        assert _read_exactly(peer, sum(map(len, lines))) == b"".join(lines)
        # and it goes on answering one request at a time
        for i in range(5):
            peer.sendall(b"again %d\n" % i)
            assert _read_exactly(peer, len(b"again %d\n" % i)) == b"again %d\n" % i
        peer.close()
