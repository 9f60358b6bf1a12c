"""TCP limits and peer errors: max connections, idle timeout, peer reset mid-stream, a peer that
vanishes while we write — each becomes a clear message, never a crash, and the server goes on."""
import socket
import struct
import time

from net_helpers import (
    RecordingProtocolFactory,
    connect,
    make_trigger,
    recv_exactly,
    recv_until_eof,
    run_client,
)

from kamaelia_lite.net.protocols import Chargen, EchoProtocol
from kamaelia_lite.net.tcp import (
    TCPServer,
    connectionClosed,
    connectionError,
    connectionRejected,
    idleTimeout,
    newConnection,
    socketShutdown,
)
from kamaelia_lite.util import Collector
from microaxon import Scheduler, shutdownMicroprocess


def start(sched, **opts):
    server = TCPServer(**opts)
    events = Collector()
    trigger = make_trigger()
    server.link((server, "events"), (events, "inbox"), mode="grow", limit=100000)
    server.link((trigger, "outbox"), (server, "control"))
    server.link((server, "signal"), (events, "control"))
    for c in (server, events, trigger):
        c.activate(sched)

    def stop():
        sched.callFromThread(trigger.send, shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)

    return server, events, stop


def reset(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_connections_beyond_the_limit_are_refused_and_reported(capfd):
    sched = Scheduler()
    server, events, stop = start(sched, protocol=EchoProtocol, port=0, max_connections=3)

    def clients():
        held = [connect(server.port) for _ in range(3)]
        for s in held:
            s.sendall(b"hi")
            assert recv_exactly(s, 2) == b"hi"
        extra = connect(server.port)
        extra_got = recv_until_eof(extra, 5)   # closed at once, nothing sent
        extra.close()
        # the held connections still work, and once one closes a new one is accepted
        held[0].sendall(b"still")
        assert recv_exactly(held[0], 5) == b"still"
        held.pop(0).close()
        time.sleep(0.2)
        again = connect(server.port)
        again.sendall(b"again")
        ok = recv_exactly(again, 5)
        for s in held + [again]:
            s.close()
        stop()
        return extra_got, ok

    t = run_client(sched, clients, 15)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == (b"", b"again")
    rejected = [e for e in events.collected if isinstance(e, connectionRejected)]
    assert len(rejected) == 1 and rejected[0].limit == 3
    assert server.rejected == 1
    assert "max_connections=3" in capfd.readouterr().err


def test_idle_connections_are_closed_and_the_protocol_is_told():
    sched = Scheduler()
    factory = RecordingProtocolFactory()
    server, events, stop = start(sched, protocol=factory, port=0, idle_timeout=0.3)

    def client():
        busy = connect(server.port)
        idle = connect(server.port)
        t0 = time.monotonic()
        for _ in range(8):                      # keep one connection busy for ~0.8 s
            busy.sendall(b"x")
            time.sleep(0.1)
        idle_got = recv_until_eof(idle, 5)      # the idle one was closed meanwhile
        idle_closed_after = time.monotonic() - t0
        busy.sendall(b"y")
        busy.close()
        idle.close()
        time.sleep(0.1)
        stop()
        return idle_got, idle_closed_after

    t = run_client(sched, client, 15)
    assert "error" not in t.box, t.box.get("error")
    got, after = t.box["result"]
    assert got == b""
    idles = [c for c in factory.controls if isinstance(c, idleTimeout)]
    assert len(idles) == 1 and idles[0].reason.startswith("idle for")
    assert b"".join(factory.received) == b"x" * 8 + b"y"
    closed = [e for e in events.collected if isinstance(e, connectionClosed)]
    assert any(isinstance(e.how, idleTimeout) for e in closed)


def test_peer_reset_mid_stream_is_a_connection_error_and_others_carry_on():
    sched = Scheduler()
    factory = RecordingProtocolFactory()
    server, events, stop = start(sched, protocol=factory, port=0)

    def client():
        other = connect(server.port)
        victim = connect(server.port)
        victim.sendall(b"partial data")
        time.sleep(0.1)
        reset(victim)
        time.sleep(0.2)
        other.sendall(b"fine")
        time.sleep(0.1)
        other.close()
        time.sleep(0.1)
        stop()

    t = run_client(sched, client, 10)
    assert "error" not in t.box, t.box.get("error")
    errors = [c for c in factory.controls if isinstance(c, connectionError)]
    assert len(errors) == 1 and "reset" in errors[0].reason
    assert errors[0].peer is not None
    assert b"partial data" in b"".join(factory.received) and b"fine" in b"".join(factory.received)
    assert any(isinstance(c, socketShutdown) and c.reason == "closed by peer" for c in factory.controls)
    assert not sched.failures


def test_peer_vanishing_while_we_stream_to_it_is_reported_not_raised():
    sched = Scheduler()
    server, events, stop = start(sched, protocol=lambda: Chargen(message=b"z" * 1000), port=0)

    def client():
        s = connect(server.port)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        assert len(recv_exactly(s, 5000)) == 5000
        reset(s)
        time.sleep(0.3)
        # the server still accepts and serves
        s2 = connect(server.port)
        got = recv_exactly(s2, 3000)
        s2.close()
        time.sleep(0.1)
        stop()
        return got

    t = run_client(sched, client, 10)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == b"z" * 3000
    closed = [e for e in events.collected if isinstance(e, connectionClosed)]
    assert isinstance(closed[0].how, connectionError)
    assert "reset" in closed[0].how.reason or "broken pipe" in closed[0].how.reason
    assert not sched.failures


def test_a_protocol_that_raises_closes_only_its_connection(capfd):
    from microaxon import component

    class Faulty(component):
        def main(self):
            while not self.dataReady("inbox"):
                self.pause()
                yield 1
            if self.recv("inbox").startswith(b"boom"):
                raise RuntimeError("protocol bug")
            while True:
                self.pause()
                yield 1
                while self.dataReady("inbox"):
                    self.send(self.recv("inbox"), "outbox")
                if self.dataReady("control"):
                    self.send(self.recv("control"), "signal")
                    return

    sched = Scheduler()
    server, events, stop = start(sched, protocol=Faulty, port=0)

    def client():
        bad = connect(server.port)
        bad.sendall(b"boom")
        bad_got = recv_until_eof(bad, 5)
        good = connect(server.port)
        good.sendall(b"first")
        time.sleep(0.05)
        good.sendall(b"second")
        got = recv_exactly(good, 6)
        good.close()
        bad.close()
        stop()
        return bad_got, got

    t = run_client(sched, client, 10)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == (b"", b"second")
    assert "protocol bug" in capfd.readouterr().err
    assert server.finished()


def test_a_protocol_that_returns_without_a_word_has_its_socket_flushed_and_closed():
    from microaxon import component

    class SayByeAndReturn(component):
        """Answers the first message, then simply returns: no shutdown passed on."""

        def main(self):
            while not self.dataReady("inbox"):
                self.pause()
                yield 1
            self.send(b"bye:" + self.recv("inbox"), "outbox")

    sched = Scheduler()
    server, events, stop = start(sched, protocol=SayByeAndReturn, port=0)

    def client():
        got = []
        for i in range(3):
            s = connect(server.port)
            s.sendall(b"hi%d" % i)
            got.append(recv_until_eof(s, 5))       # EOF: the server closed its side
            s.close()
        stop()
        return got

    t = run_client(sched, client, 10)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == [b"bye:hi0", b"bye:hi1", b"bye:hi2"]
    closed = [e for e in events.collected if isinstance(e, connectionClosed)]
    assert len(closed) == 3
    assert server.finished() and not server.connections and not server.childComponents()


def _listen_queue(port):
    """Connections waiting in the kernel's accept queue of the listener on ``port`` (ss Recv-Q)."""
    import subprocess
    out = subprocess.run(["ss", "-Hltn", "sport = :%d" % port], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[1])


def test_a_burst_leaves_the_listen_queue_at_once_and_is_set_up_in_batches():
    # The kernel drops SYNs while its accept queue is full (those clients retry a second later),
    # so the server empties the queue on every turn and sets connections up accept_batch at a time.
    from microaxon import component

    sched = Scheduler()
    server, events, stop = start(sched, protocol=EchoProtocol, port=0, accept_batch=3, backlog=64)
    clients = [connect(server.port) for _ in range(20)]   # handshakes done: 20 wait in the queue
    assert _listen_queue(server.port) == 20
    seen = []

    class LookAfterTheServersFirstTurn(component):
        def main(self):
            seen.append((_listen_queue(server.port), len(server.connections)))
            yield 1

    LookAfterTheServersFirstTurn().activate(sched)

    def talk():
        for i, s in enumerate(clients):
            s.sendall(b"hello %d\n" % i)
        got = [recv_exactly(s, len(b"hello %d\n" % i)) for i, s in enumerate(clients)]
        for s in clients:
            s.close()
        stop()
        return got

    t = run_client(sched, talk, 10)
    assert seen == [(0, 3)]
    assert t.box.get("result") == [b"hello %d\n" % i for i in range(20)], t.box.get("error")
    assert len([e for e in events.collected if isinstance(e, newConnection)]) == 20
