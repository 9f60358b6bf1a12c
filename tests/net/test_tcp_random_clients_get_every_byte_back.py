"""Random clients against a TCPServer with EchoProtocol: each gets back exactly what it sent,
whatever it does, and the server serves on, reports nothing, and keeps no connection.

Per seed, 40 clients run at once from one thread (a selector), each with a random script:
pipelined chunks of 1 byte to 64 KiB (the server's send buffer fills and its connection waits
to write), reads that lag behind (the client stops reading for a while, so the server holds
replies back), an orderly end (shutdown of its writing side: it must still get every byte, then
end of file), or an abrupt one (a reset, at a random point: the server must shed the connection).
"""
import random
import selectors
import socket
import struct
import time

import pytest
from net_helpers import make_trigger, run_client

from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import Scheduler, shutdownMicroprocess

CLIENTS = 40


class Client:
    def __init__(self, port, rng, k):
        self.rng = rng
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.setblocking(False)
        self.todo = [rng.randbytes(1 + rng.randrange(65536 if rng.random() < 0.2 else 300))
                     for _ in range(1 + rng.randrange(8))]
        self.sent = bytearray()
        self.got = bytearray()
        self.out = b""                   # the part of the current chunk not yet written
        self.abort_at = rng.randrange(len(self.todo) + 1) if rng.random() < 0.15 else None
        self.lag_until = 0.0             # not reading before then (a slow reader)
        self.shut = False
        self.eof = False
        self.done = False
        self.k = k

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()
        self.done = True

    def step(self, readable, writable, now):
        """Do what the client's script says next; True once it is finished."""
        if self.abort_at is not None and len(self.todo) <= self.abort_at and self.rng.random() < 0.3:
            self.reset()
            return True
        if writable and not self.shut:
            if not self.out and self.todo:
                self.out = self.todo.pop(0)
            if self.out:
                try:
                    n = self.sock.send(self.out)
                except BlockingIOError:
                    n = 0
                self.sent += self.out[:n]
                self.out = self.out[n:]
            if not self.out and not self.todo:
                self.sock.shutdown(socket.SHUT_WR)    # an orderly end: then read to EOF
                self.shut = True
        if readable and now >= self.lag_until:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                data = None
            if data == b"":
                self.eof = True
            elif data:
                self.got += data
                if self.rng.random() < 0.02:
                    self.lag_until = now + self.rng.random() * 0.05
        if self.eof:
            self.sock.close()
            self.done = True
        return self.done


def clients(port, seed):
    rng = random.Random(seed)
    sel = selectors.DefaultSelector()
    cs = [Client(port, rng, k) for k in range(CLIENTS)]
    for c in cs:
        sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    live = len(cs)
    end = time.monotonic() + 30
    while live:
        assert time.monotonic() < end, "clients still waiting after 30 s"
        now = time.monotonic()
        for key, ev in sel.select(timeout=0.01):
            c = key.data
            if c.done:
                continue
            if c.step(ev & selectors.EVENT_READ, ev & selectors.EVENT_WRITE, now):
                sel.unregister(key.fileobj)
                live -= 1
            elif c.shut:
                sel.modify(c.sock, selectors.EVENT_READ, c)
    return cs


@pytest.mark.parametrize("seed", range(4))
def test_random_clients_get_back_every_byte_they_sent_and_the_server_keeps_nothing(seed):
    sched = Scheduler()
    server = TCPServer(protocol=EchoProtocol, port=0)
    trigger = make_trigger()
    server.link((trigger, "outbox"), (server, "control"))
    for c in (server, trigger):
        c.activate(sched)
    result = {}

    def run_clients_then_stop():
        result["clients"] = clients(server.port, seed)
        deadline = time.monotonic() + 10          # the server sheds the connections it holds
        while server.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        result["left"] = len(server.connections)
        sched.callFromThread(trigger.send, shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)

    t = run_client(sched, run_clients_then_stop, 60)
    assert "error" not in t.box, t.box.get("error")
    assert result["left"] == 0
    assert sched.failures == []
    for c in result["clients"]:
        if c.abort_at is None or c.eof:
            assert c.eof and bytes(c.got) == bytes(c.sent), (c.k, len(c.got), len(c.sent))
        else:
            assert bytes(c.got) == bytes(c.sent[:len(c.got)])   # a prefix, then the reset
    assert server.finished() and server.listener is None
