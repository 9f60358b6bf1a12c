"""A TCPServer with EchoProtocol answers 200 concurrent clients correctly, and shuts down
cleanly when asked (passing the shutdown message on)."""
import selectors
import socket

from net_helpers import make_trigger, run_client

from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import ServerCore, TCPServer, newConnection, socketShutdown
from kamaelia_lite.util import Collector
from microaxon import Scheduler, shutdownMicroprocess

CLIENTS = 200
REQUESTS = 5


def many_clients(port):
    """200 non-blocking clients in one thread: each sends REQUESTS lines, one at a time,
    checking every echo."""
    sel = selectors.DefaultSelector()
    state = {}
    for i in range(CLIENTS):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setblocking(False)
        state[s] = [i, 0, b""]
        msg = b"client %d request 0\n" % i
        s.sendall(msg)
        sel.register(s, selectors.EVENT_READ)
    done = 0
    while done < CLIENTS:
        events = sel.select(timeout=5)
        assert events, "server stopped answering"
        for key, _ in events:
            s = key.fileobj
            st = state[s]
            data = s.recv(4096)
            assert data, "server closed a connection early"
            st[2] += data
            expect = b"client %d request %d\n" % (st[0], st[1])
            if len(st[2]) >= len(expect):
                assert st[2] == expect, (st[2], expect)
                st[1] += 1
                st[2] = b""
                if st[1] == REQUESTS:
                    done += 1
                    sel.unregister(s)
                    s.close()
                else:
                    s.sendall(b"client %d request %d\n" % (st[0], st[1]))
    return done


def test_two_hundred_concurrent_clients_get_correct_echoes():
    sched = Scheduler()
    server = TCPServer(protocol=EchoProtocol, port=0)
    events = Collector()
    trigger = make_trigger()
    sched_link = server.link
    sched_link((server, "events"), (events, "inbox"), mode="grow", limit=10000)
    sched_link((trigger, "outbox"), (server, "control"))
    sched_link((server, "signal"), (events, "control"))
    for c in (server, events, trigger):
        c.activate(sched)

    def clients_then_stop():
        n = many_clients(server.port)
        sched.callFromThread(trigger.send, shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)
        return n

    t = run_client(sched, clients_then_stop, 8)
    assert t.box.get("result") == CLIENTS, t.box.get("error")
    accepted = [e for e in events.collected if isinstance(e, newConnection)]
    assert len(accepted) == CLIENTS
    assert server.finished() and not server.connections
    assert server.listener is None


def test_server_core_gives_the_protocol_factory_the_peer_address():
    sched = Scheduler()
    seen = []

    def factory(peer, peerport, localip, localport):
        seen.append((peer, peerport, localip, localport))
        return EchoProtocol()

    server = ServerCore(protocol=factory, port=0, host="127.0.0.1")
    trigger = make_trigger()
    server.link((trigger, "outbox"), (server, "control"))
    server.activate(sched)
    trigger.activate(sched)

    def client():
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(b"ping")
        got = s.recv(10)
        mine = s.getsockname()
        s.close()
        sched.callFromThread(trigger.send, shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)
        return got, mine

    t = run_client(sched, client, 10)
    got, mine = t.box["result"]
    assert got == b"ping"
    assert seen == [("127.0.0.1", mine[1], "127.0.0.1", server.port)]


def test_port_in_use_is_an_error_at_construction():
    a = TCPServer(protocol=EchoProtocol, port=0)
    try:
        import pytest
        with pytest.raises(OSError):
            TCPServer(protocol=EchoProtocol, port=a.port)
    finally:
        a.listener.close()


def test_socket_shutdown_is_a_producer_finished():
    from microaxon import producerFinished
    assert isinstance(socketShutdown("x"), producerFinished)
