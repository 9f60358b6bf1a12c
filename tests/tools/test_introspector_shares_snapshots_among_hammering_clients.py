"""Eight real viewers hammering the Introspector with request lines do not make it rebuild the
snapshot per line: one snapshot is shared by every client per ``snapshot_period``, each client
is answered at most once per snapshot, and a viewer that never reads holds at most one line in
the server and is dropped once it has stalled for ``stall_timeout`` (issue 15, item 13)."""
import socket
import threading
import time

from tools_helpers import Running

CLIENTS = 8
REQUEST = b"snapshot\n"


class Hammer(threading.Thread):
    """A real TCP viewer that sends request lines flat out and counts the lines it gets back."""

    def __init__(self, address, seconds, read=True):
        super().__init__(daemon=True)
        self.address = address
        self.seconds = seconds
        self.read = read
        self.sent = 0
        self.lines = 0
        self.connected = threading.Event()

    def run(self):
        s = socket.create_connection(self.address, timeout=5)
        s.settimeout(0.001)
        self.connected.set()
        end = time.monotonic() + self.seconds
        try:
            while time.monotonic() < end:
                try:
                    s.send(REQUEST)
                    self.sent += 1
                except (socket.timeout, BlockingIOError):
                    pass                            # the server stopped reading us: fine
                if self.read:
                    try:
                        data = s.recv(1 << 20)
                    except (socket.timeout, BlockingIOError):
                        continue
                    if not data:
                        break
                    self.lines += data.count(b"\n")
        except OSError:
            pass
        finally:
            s.close()


def hammer(running, seconds, read=True):
    clients = [Hammer(running.address(), seconds, read) for _ in range(CLIENTS)]
    t0 = time.monotonic()
    for c in clients:
        c.start()
    for c in clients:
        c.join(seconds + 10)
    return clients, time.monotonic() - t0


def test_one_snapshot_serves_every_client_within_the_period():
    running = Running(snapshot_period=60.0, interval=60.0)     # no second snapshot during the test
    try:
        clients, _ = hammer(running, seconds=1.0)
        assert sum(c.sent for c in clients) > 10 * CLIENTS, [c.sent for c in clients]
        assert all(c.lines >= 1 for c in clients), [c.lines for c in clients]     # every viewer served
        assert running.intro.snapshots_taken == 1
    finally:
        running.stop()


def test_snapshots_stay_bounded_by_the_period_not_by_the_request_rate():
    running = Running(snapshot_period=0.2, interval=60.0)
    try:
        clients, elapsed = hammer(running, seconds=1.5)
        taken = running.intro.snapshots_taken
        requests = sum(c.sent for c in clients)
        assert requests > 10 * CLIENTS
        assert 2 <= taken <= elapsed / 0.2 + 2, (taken, elapsed, requests)
        # each client got each snapshot at most once, and kept being served while hammering
        assert all(2 <= c.lines <= taken for c in clients), ([c.lines for c in clients], taken)
    finally:
        running.stop()


def test_a_viewer_that_never_reads_holds_one_line_at_most_and_is_dropped_when_stalled():
    running = Running(snapshot_period=0.01, interval=0.01, stall_timeout=1.0, send_buffer=8192)
    try:
        line = len(running.intro.snapshot_line())
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)     # a small window: stalls soon
        s.connect(running.address())
        s.settimeout(0.001)
        held = []
        end = time.monotonic() + 8.0
        while time.monotonic() < end and running.intro.dropped_clients == 0:
            try:
                s.send(REQUEST * 50)
            except (socket.timeout, BlockingIOError, OSError):
                pass
            held += [len(c.out) for c in list(running.intro.clients)]
            time.sleep(0.005)
        s.close()
        assert running.intro.dropped_clients == 1           # dropped for stalling, not kept for ever
        assert held and max(held) <= 2 * line, (max(held), line)   # never a queue of old snapshots
    finally:
        running.stop()
