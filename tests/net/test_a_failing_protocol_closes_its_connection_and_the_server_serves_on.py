"""TCPServer watches its protocols (onFinish): a protocol that raises is that connection's
failure, not the run's. Its connection is closed, the failure is reported (stderr, and the
connectionClosed event carries it), and the server goes on serving the other clients."""
import time

from net_helpers import connect, make_trigger, recv_exactly, recv_until_eof, run_client

from kamaelia_lite.net.tcp import TCPServer, connectionClosed
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, shutdownMicroprocess


class EchoUnlessBoom(component):
    """Echoes; raises on data starting with b"boom"."""

    def main(self):
        while True:
            while self.dataReady("inbox"):
                data = self.recv("inbox")
                if data.startswith(b"boom"):
                    raise RuntimeError("protocol bug")
                self.send(data, "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


def test_the_failed_connection_is_closed_and_other_clients_are_still_served(capfd):
    sched = Scheduler()
    server = TCPServer(protocol=EchoUnlessBoom, port=0)
    events = Collector()
    trigger = make_trigger()
    server.link((server, "events"), (events, "inbox"), mode="grow", limit=1000)
    server.link((trigger, "outbox"), (server, "control"))
    server.link((server, "signal"), (events, "control"))
    for c in (server, events, trigger):
        c.activate(sched)

    def client():
        before = connect(server.port)        # open before the failure, still served after it
        before.sendall(b"one")
        first = recv_exactly(before, 3)
        bad = connect(server.port)
        bad.sendall(b"boom")
        bad_got = recv_until_eof(bad, 5)     # closed by the server
        bad.close()
        time.sleep(0.05)
        before.sendall(b"two")
        second = recv_exactly(before, 3)
        after = connect(server.port)         # a new client after the failure
        after.sendall(b"three")
        third = recv_exactly(after, 5)
        before.close()
        after.close()
        time.sleep(0.05)
        sched.callFromThread(trigger.send, shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)
        return first, bad_got, second, third

    t = run_client(sched, client, 10)        # the run ends normally: no ComponentFailed
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == (b"one", b"", b"two", b"three")
    assert "protocol bug" in capfd.readouterr().err
    closed = [e for e in events.collected if isinstance(e, connectionClosed)]
    failed = [e for e in closed if e.failure is not None]
    assert len(closed) == 3 and len(failed) == 1
    assert isinstance(failed[0].failure, RuntimeError) and "protocol bug" in repr(failed[0])
    assert server.finished() and sched.failures and sched.failures[0][1] is failed[0].failure
