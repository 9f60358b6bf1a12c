"""TCPClient: request/response through a Pipeline with half-close, refused connections reported
as connectionFailed, IPv6 on ::1, and SingleServer serving exactly one client."""
import socket

from net_helpers import connect, in_thread, make_trigger, recv_exactly, recv_until_eof, run_with_timeout

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import (
    SingleServer,
    TCPClient,
    TCPServer,
    connectionFailed,
    socketShutdown,
)
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, shutdownMicroprocess


class Signals(Collector):
    """Collects what arrives on its *control* inbox (the client's signal), then finishes."""

    def main(self):
        while not self.dataReady("control"):
            self.pause()
            yield 1
        self.collected.append(self.recv("control"))


def echo_server(sched, host="127.0.0.1"):
    server = TCPServer(protocol=EchoProtocol, port=0, host=host)
    trigger = make_trigger()
    server.link((trigger, "outbox"), (server, "control"))
    server.activate(sched)
    trigger.activate(sched)
    return server, trigger



def run_until_done(sched, pipe, trigger):
    """Run ``pipe`` (a client's pipeline); when it has finished, stop the server through ``trigger``."""

    class StopServerWhenDone(Collector):
        def main(self):
            while not pipe.finished():
                self.pause(0.02)
                yield 1
            trigger.send(shutdownMicroprocess(), "outbox")
            trigger.stop()

    pipe.activate(sched)
    StopServerWhenDone().activate(sched)
    run_with_timeout(sched, 10)

def test_pipeline_sends_requests_half_closes_and_collects_the_whole_reply():
    sched = Scheduler()
    server, trigger = echo_server(sched)
    requests = [b"line %d\n" % i for i in range(500)]
    sink = Collector()
    client = TCPClient("127.0.0.1", server.port)
    pipe = Pipeline(DataSource(requests), client, sink)

    run_until_done(sched, pipe, trigger)
    assert b"".join(sink.collected) == b"".join(requests)
    assert client.ended is not None and isinstance(client.ended, socketShutdown)
    assert client.ended.reason == "closed by peer"


def test_refused_connection_is_reported_on_signal():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                   # nothing listens there now
    sched = Scheduler()
    client = TCPClient("127.0.0.1", port)
    sig = Signals()
    client.link((client, "signal"), (sig, "control"))
    client.activate(sched)
    sig.activate(sched)
    run_with_timeout(sched, 5)
    assert len(sig.collected) == 1
    failed = sig.collected[0]
    assert isinstance(failed, connectionFailed) and failed.reason == "connection refused"
    assert failed.peer == ("127.0.0.1", port)
    assert not sched.failures


def test_unknown_host_is_reported_on_signal():
    sched = Scheduler()
    client = TCPClient("no-such-host.invalid", 80)
    sig = Signals()
    client.link((client, "signal"), (sig, "control"))
    client.activate(sched)
    sig.activate(sched)
    run_with_timeout(sched, 10)
    assert isinstance(sig.collected[0], connectionFailed)
    assert sig.collected[0].reason.startswith("address lookup failed")


def test_ipv6_server_and_client_on_loopback():
    sched = Scheduler()
    server, trigger = echo_server(sched, host="::1")
    sink = Collector()
    client = TCPClient("::1", server.port)
    pipe = Pipeline(DataSource([b"over ipv6"]), client, sink)

    run_until_done(sched, pipe, trigger)
    assert b"".join(sink.collected) == b"over ipv6"
    assert server.listener is None


def test_single_server_serves_one_client_and_reports_its_departure():
    sched = Scheduler()
    single = SingleServer(port=0, host="127.0.0.1")
    source = DataSource([b"welcome\n"])
    got = Collector()
    sig = Signals()
    source.link((source, "outbox"), (single, "inbox"))
    single.link((single, "outbox"), (got, "inbox"))
    single.link((single, "signal"), (sig, "control"))
    for c in (single, source, got, sig):
        c.activate(sched)

    def client():
        a = connect(single.port)
        hello = recv_exactly(a, 8)
        b = connect(single.port)                 # a second client is turned away
        refused = recv_until_eof(b, 5)
        b.close()
        a.sendall(b"from the one client")
        a.shutdown(socket.SHUT_WR)
        rest = recv_until_eof(a, 5)
        a.close()
        return hello, refused, rest

    t = in_thread(sched, client)

    class StopCollectorWhenDone(Collector):
        def main(self):
            while not single.finished():
                self.pause(0.02)
                yield 1
            got.stop()

    StopCollectorWhenDone().activate(sched)
    run_with_timeout(sched, 10)
    t.join(5)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == (b"welcome\n", b"", b"")
    assert b"".join(got.collected) == b"from the one client"
    assert isinstance(sig.collected[0], socketShutdown)
