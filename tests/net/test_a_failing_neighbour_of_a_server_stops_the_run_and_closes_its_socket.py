"""A component that raises, linked to a server only through a custom outbox (so no shutdown
reaches the server), used to leave run() waiting for ever on the server's socket. Nobody watches
it, so its failure stops the run: every component is closed, the server's sockets with them, and
run() raises ComponentFailed naming it."""
import socket
import time

import pytest
from net_helpers import connect, recv_until_eof, run_with_timeout

from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import ComponentFailed, Scheduler, component


class Commander(component):
    """Talks to the server's control inbox through its own outbox, then crashes."""

    Outboxes = {"outbox": "unused", "signal": "unused", "commands": "to the server"}

    def main(self):
        self.pause(0.2)
        yield 1
        raise RuntimeError("commander crashed")


def test_run_raises_within_a_second_and_the_servers_sockets_are_closed():
    sched = Scheduler()
    server = TCPServer(protocol=EchoProtocol, port=0)
    bad = Commander()
    bad.link((bad, "commands"), (server, "control"))
    server.activate(sched)
    bad.activate(sched)
    client = connect(server.port)            # served while the run lasts
    client.sendall(b"hello")
    t0 = time.monotonic()
    with pytest.raises(ComponentFailed) as ei:
        run_with_timeout(sched, 10)
    took = time.monotonic() - t0
    assert took < 1.0, "run() took %.2fs to give up" % took
    assert [f[0] for f in ei.value.failures] == [bad.name]
    assert "commander crashed" in str(ei.value) and "commander crashed" in ei.value.failures[0][2]
    assert server.finished() and sched.components() == []
    assert recv_until_eof(client, 5) == b"hello"    # echoed, then closed by the stop
    client.close()
    with pytest.raises(ConnectionRefusedError):      # nobody listens on the port any more
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()
