"""Half-close lets the server answer after the client finished sending; a graceful server shutdown
flushes what protocols queued; a slow protocol makes the connection stop reading (bounded
memory) instead of buffering without limit."""
import socket
import threading
import time

from net_helpers import connect, make_trigger, recv_until_eof, run_client

from kamaelia_lite.net.protocols import EchoProtocol
from kamaelia_lite.net.tcp import TCPServer
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess

BIG = bytes(range(256)) * 4096            # 1 MiB
HUGE = BIG * 16                           # 16 MiB: more than the kernel buffers hold


def serve(sched, **opts):
    server = TCPServer(**opts)
    trigger = make_trigger()
    server.link((trigger, "outbox"), (server, "control"))
    server.activate(sched)
    trigger.activate(sched)

    def stop(msg=None):
        sched.callFromThread(trigger.send, msg or shutdownMicroprocess(), "outbox")
        sched.callFromThread(trigger.stop)

    return server, stop


def test_half_closed_client_still_gets_the_whole_echo():
    sched = Scheduler()
    server, stop = serve(sched, protocol=EchoProtocol, port=0)

    def client():
        s = connect(server.port)
        got = []
        reader = threading.Thread(target=lambda: got.append(recv_until_eof(s, 10)))
        reader.start()
        s.sendall(BIG)
        s.shutdown(socket.SHUT_WR)            # "I have finished sending"
        reader.join(10)
        s.close()
        stop()
        return got[0]

    t = run_client(sched, client, 20)
    assert "error" not in t.box, t.box.get("error")
    assert t.box["result"] == BIG


class Blurt(component):
    """Queues a large reply the moment the connection opens, then waits to be told to finish."""

    def main(self):
        sent = 0
        while sent < len(HUGE):
            if self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                continue
            self.send(HUGE[sent:sent + 65536], "outbox")
            sent += 65536
        while not self.dataReady("control"):
            self.pause()
            yield 1
        self.send(self.recv("control"), "signal")


def test_graceful_shutdown_flushes_everything_already_queued():
    sched = Scheduler()
    server, stop = serve(sched, protocol=Blurt, port=0, max_send_buffer=64 * 1024)

    def client():
        s = connect(server.port)
        time.sleep(0.1)
        conn = next(iter(server.connections))
        queued = len(HUGE) - conn.bytes_out
        stop(producerFinished())                 # shut the server down while data is queued
        time.sleep(0.3)                          # ... and only then start reading
        got = recv_until_eof(s, 15)
        s.close()
        return got, queued

    t = run_client(sched, client, 20)
    assert "error" not in t.box, t.box.get("error")
    got, queued = t.box["result"]
    assert queued > 256 * 1024          # much was still queued in our boxes at shutdown time
    assert got == HUGE
    assert server.finished() and server.listener is None


class Sluggish(component):
    """Reads nothing until told to, so its inbox fills."""

    Capacities = {"inbox": 4}

    def main(self):
        self.fill_seen = []
        while not self.dataReady("control"):
            self.fill_seen.append(self.dataReady("inbox"))
            if getattr(self, "go", False):
                while self.dataReady("inbox"):
                    self.got = getattr(self, "got", 0) + len(self.recv("inbox"))
            self.pause(0.02)
            yield 1
        self.send(self.recv("control"), "signal")


def test_a_slow_protocol_stops_the_connection_reading():
    sched = Scheduler()
    handlers = []

    def factory():
        h = Sluggish()
        handlers.append(h)
        return h

    server, stop = serve(sched, protocol=factory, port=0, recv_size=4096)

    def client():
        s = connect(server.port)
        s.setblocking(False)
        sent = 0
        deadline = time.monotonic() + 3
        chunk = b"q" * 65536
        while time.monotonic() < deadline:           # send until the kernel buffers are full
            try:
                sent += s.send(chunk)
            except BlockingIOError:
                time.sleep(0.05)
                try:
                    sent += s.send(chunk)
                except BlockingIOError:
                    break
        conn = next(iter(server.connections))
        taken = conn.bytes_in
        h = handlers[0]
        full = h.dataReady("inbox")
        h.go = True                                   # now let it drain everything
        s.setblocking(True)
        s.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + 10
        while getattr(h, "got", 0) < sent and time.monotonic() < deadline:
            time.sleep(0.02)
        s.close()
        stop()
        return sent, taken, full, getattr(h, "got", 0)

    t = run_client(sched, client, 20)
    assert "error" not in t.box, t.box.get("error")
    sent, taken, full, got = t.box["result"]
    assert full == 4                       # the protocol's inbox filled up ...
    assert taken <= 5 * 4096               # ... and the connection stopped reading at that point
    assert sent > taken * 4                # the rest waited in TCP buffers, not in our memory
    assert got == sent                     # nothing was lost once the protocol caught up


class Mixed(component):
    """Sends a str, something that is not bytes, and bytes; then finishes."""

    def main(self):
        self.send("héllo ", "outbox")
        self.send(12345, "outbox")
        self.send(b"world", "outbox")
        yield 1
        self.send(producerFinished(self), "signal")


def test_str_is_sent_as_utf8_and_other_objects_are_dropped_with_a_message(capfd):
    sched = Scheduler()
    server, stop = serve(sched, protocol=Mixed, port=0)

    def client():
        s = connect(server.port)
        got = recv_until_eof(s, 5)                # the protocol finishing closes the connection
        s.close()
        stop()
        return got

    t = run_client(sched, client, 10)
    assert t.box.get("result") == "héllo ".encode() + b"world", t.box
    assert "dropped a message that is not bytes or str" in capfd.readouterr().err
