"""A connection whose byte budget is spent because its protocol does not take what was read
sleeps until the protocol takes a message: it does not turn over and over (it asked to hear
of room on every turn, and the kernel answers at once while the protocol's box has free
slots: a busy loop at 100% CPU for as long as the protocol did not read)."""
import socket
import time

from web_helpers import Served

from kamaelia_lite.net.tcp import ConnectedSocket, TCPServer
from microaxon import component
from microaxon.introspect import snapshot


class Deaf(component):
    """Reads nothing until told to, then everything."""

    listen = False

    def main(self):
        while not self.dataReady("control"):
            while self.listen and self.dataReady("inbox"):
                self.recv("inbox")
            self.pause()
            yield 1


def test_a_connection_whose_receiver_does_not_read_sleeps_then_resumes():
    protocols = []

    def make():
        p = Deaf()
        protocols.append(p)
        return p
    server = TCPServer(protocol=make)
    with Served(server) as s:
        peer = socket.create_connection(("127.0.0.1", server.port))
        peer.setblocking(False)
        sent = 0
        end = time.monotonic() + 1.5                 # past the 1 MiB budget and the kernel's buffers
        while time.monotonic() < end:
            try:
                sent += peer.send(b"x" * 65536)
            except BlockingIOError:
                time.sleep(0.02)

        conn = s.call(lambda: [c for c in s.sched.components() if isinstance(c, ConnectedSocket)][0])

        def turns():
            return [c["steps"] for c in snapshot(s.sched) if c["name"] == conn.name][0]
        assert s.call(lambda: conn.budget.unconsumed) >= conn.max_buffer // 2    # the budget is spent
        before = s.call(turns)
        time.sleep(1.0)
        idle_turns = s.call(turns) - before
        assert idle_turns < 50, "the connection turned %d times in 1 s with nothing to do" % idle_turns

        # the protocol reads again: the connection wakes and everything sent arrives
        def listen():
            protocols[0].listen = True
            protocols[0].unpause()
        s.call(listen)
        end = time.monotonic() + 10
        while s.call(lambda: conn.bytes_in) < sent and time.monotonic() < end:
            time.sleep(0.05)
        assert s.call(lambda: conn.bytes_in) == sent
        peer.close()
