"""The chat example under abuse, in its own process on real sockets: a client that never reads
keeps its session (replies wait for room, nothing raises); a flooding talker cannot silence
another user; a client that reads too slowly is told what it missed and holds nobody up."""
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ChatServer:
    def __init__(self, *args):
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "examples.chat_server", "--port", "0"]
                                     + list(args), cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        assert "chat server on" in line, line
        self.port = int(line.split()[-1])

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace")

    def close(self):
        self.proc.terminate()
        self.proc.wait(5)
        self.err.close()


def join(port, nick, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", port))
    s.sendall(nick + b"\n")
    return s


class Reader(threading.Thread):
    """Reads a socket to the end, keeping everything and when each line arrived."""

    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock = sock
        self.data = b""
        self.lines = []                # (monotonic time, line)
        self.start()

    def run(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            t = time.monotonic()
            self.data += chunk
            buf += chunk
            *done, buf = buf.split(b"\n")
            self.lines.extend((t, ln) for ln in done)

    def wait_for(self, token, timeout=5.0):
        end = time.monotonic() + timeout
        while token not in self.data and time.monotonic() < end:
            time.sleep(0.02)
        return token in self.data


def flood(sock, line_of, stop, blocked_for=None):
    """Send lines as fast as the server takes them until ``stop`` is set (or, with
    ``blocked_for``, until no byte went out for that long); returns the bytes sent."""
    sock.setblocking(False)
    sent = 0
    i = 0
    pending = b""
    last = time.monotonic()
    while not stop.is_set():
        if not pending:
            pending = b"".join(line_of(i + k) for k in range(100))
            i += 100
        try:
            n = sock.send(pending)
        except BlockingIOError:
            if blocked_for is not None and time.monotonic() - last > blocked_for:
                break
            time.sleep(0.01)
            continue
        except OSError:
            break                          # the server closed this connection
        pending = pending[n:]
        sent += n
        last = time.monotonic()
    return sent


def test_a_client_that_never_reads_keeps_its_session_and_nothing_raises():
    server = ChatServer("--max-line", "8")
    try:
        silent = join(server.port, b"x", rcvbuf=4096)
        time.sleep(0.2)
        stop = threading.Event()
        stop_timer = threading.Timer(5, stop.set)
        stop_timer.start()
        # every 9-byte line earns a 30-byte "line too long" reply the client never reads
        sent = flood(silent, lambda i: b"toolong!!\n", stop, blocked_for=1.5)
        stop_timer.cancel()
        assert sent > 100000
        other = join(server.port, b"y")
        heard = Reader(other)
        silent.setblocking(True)
        drained = Reader(silent)            # now the client reads its replies after all ...
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:   # ... until they stop coming
            size = len(drained.data)
            time.sleep(1.0)
            if len(drained.data) == size:
                break
        silent.sendall(b"\nalive\n")          # (ends a line the flood may have cut short)
        assert heard.wait_for(b"x: alive\n", 10), "the silent client's session is gone"
        assert b"! line too long (max 8 bytes)" in drained.data
        err = server.stderr()
        assert "Traceback" not in err and "BoxFull" not in err, err[-2000:]
        silent.close()
        other.close()
    finally:
        server.close()


def test_a_flooding_talker_cannot_silence_another_user():
    server = ChatServer()
    try:
        listener = join(server.port, b"lis")
        heard = Reader(listener)
        assert heard.wait_for(b"welcome")
        time.sleep(0.2)
        flooder = join(server.port, b"flood")
        talker = join(server.port, b"bob")
        assert heard.wait_for(b"* bob joined")
        stop = threading.Event()
        result = {}
        t = threading.Thread(target=lambda: result.update(
            sent=flood(flooder, lambda i: b"spam %d\n" % i, stop)), daemon=True)
        t.start()
        time.sleep(0.5)                      # the flood is on
        for i in range(10):
            talker.sendall(b"line %d\n" % i)
            time.sleep(0.1)
        said = time.monotonic()
        heard.wait_for(b"bob: line 9\n", 3.0)
        stop.set()
        t.join(5)
        got = [ln for ts, ln in heard.lines if ln.startswith(b"bob: line") and ts <= said + 3.0]
        assert len(got) == 10, "%d of bob's 10 lines arrived within 3 s" % len(got)
        assert any(ln.startswith(b"flood: spam") for ts, ln in heard.lines)   # flood is heard too
        for s in (flooder, talker, listener):
            s.close()
    finally:
        server.close()


LINES = 6000                                  # 5.4 MB: more than loopback's 4 MB send buffer


def test_a_slow_reader_is_told_what_it_missed_and_holds_nobody_up():
    server = ChatServer("--rate", "1000", "--burst", "1000", "--max-buffer", "65536")
    try:
        listener = join(server.port, b"lis")
        heard = Reader(listener)
        assert heard.wait_for(b"welcome")
        time.sleep(0.2)
        slow = join(server.port, b"slow", rcvbuf=4096)
        talker = join(server.port, b"bob")
        assert heard.wait_for(b"* bob joined")
        time.sleep(0.2)
        line = b"z" * 900
        for i in range(LINES):                # more than the kernel's buffers; slow never reads
            talker.sendall(b"%d %s\n" % (i, line))
        assert heard.wait_for(b"bob: %d " % (LINES - 1), 30), "the listener was held up"
        got = [ln for _, ln in heard.lines if ln.startswith(b"bob: ")]
        assert len(got) == LINES
        slow.setblocking(True)
        late = Reader(slow)
        assert late.wait_for(b"lines dropped", 10), (len(late.data), late.data.count(b"\n"))
        for s in (slow, talker, listener):
            s.close()
    finally:
        server.close()
