"""Helpers for the web tests (not a test module): a served scheduler, raw and library
WebSocket clients, frame reading, and a real headless chromium driven by selenium."""
import base64
import os
import selectors
import socket
import struct
import sys
import threading
import time
import traceback

from common_helpers import LineProc

from microaxon import Scheduler, component


class Feeder(component):
    """An outbox the test thread sends on (through ``Served.call``)."""

    Outboxes = {"outbox": "states", "signal": "shutdown", "counts": "unused"}

    def main(self):
        while not self.dataReady("control"):
            self.pause()
            yield 1


class Collector(component):
    """Keeps whatever reaches its inboxes."""

    Inboxes = {"inbox": "anything", "control": "shutdown", "counts": "phone counts"}

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []
        self.counts = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            while self.dataReady("counts"):
                self.counts.append(self.recv("counts"))
            if self.dataReady("control"):
                return
            self.pause()
            yield 1


class Served:
    """``with Served(*components) as s:`` runs them on a fresh scheduler in a thread;
    ``s.call(fn, *args)`` runs ``fn`` in the scheduler's thread and returns its result."""

    def __init__(self, *components):
        self.sched = Scheduler()
        self.components = components
        self.error = None

    def __enter__(self):
        for c in self.components:
            c.activate(scheduler=self.sched)
        self.sched.threadStarted()         # the test thread: no deadlock report while it lives

        def body():
            try:
                self.sched.run()
            except BaseException as e:     # shown by __exit__
                self.error = e

        self.thread = threading.Thread(target=body, daemon=True)
        self.thread.start()
        return self

    def call(self, fn, *args, timeout=15.0):
        done = threading.Event()
        box = {}

        def run():
            try:
                box["r"] = fn(*args)
            except BaseException as e:
                box["e"] = e
            done.set()

        self.sched.callFromThread(run)
        if not done.wait(timeout):
            raise AssertionError("the scheduler did not run the call within %ss; %s" % (timeout, self.state()))
        if "e" in box:
            raise box["e"]
        return box.get("r")

    def state(self):
        """Why the scheduler may not answer: its error if its thread ended, else where it is."""
        if not self.thread.is_alive():
            return "its thread ended: %r" % (self.error,)
        frame = sys._current_frames().get(self.thread.ident)
        where = "".join(traceback.format_stack(frame)[-12:]) if frame is not None else "?"
        return "its thread is at:\n%s" % where

    def __exit__(self, *exc):
        self.sched.callFromThread(self.sched.stop)
        self.sched.threadFinished()
        self.thread.join(10)
        assert not self.thread.is_alive(), "the scheduler did not stop; %s" % self.state()
        if self.error is not None:           # (a test's own failure does not hide it)
            raise self.error from exc[1]


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def read_until_closed(sock, timeout=5.0, limit=1 << 20):
    """Everything the server sends until it closes (or ``timeout``)."""
    sock.settimeout(timeout)
    got = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end and len(got) < limit:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not data:
            break
        got += data
    return got


def http_get(port, path, headers=(), method="GET"):
    """(status, {header: value}, body) of one request on a fresh connection."""
    s = connect(port)
    try:
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Connection: close"]
        lines += ["%s: %s" % h for h in headers]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return parse_response(read_until_closed(s))
    finally:
        s.close()


def parse_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


def ws_handshake(port, path="/live", extra=b"", rcvbuf=None):
    """A raw socket upgraded to a WebSocket (the 101 read); returns (socket, leftover bytes).
    ``rcvbuf`` sets a small receive buffer before connecting (a phone that reads slowly)."""
    if rcvbuf:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(5.0)
        s.connect(("127.0.0.1", port))
    else:
        s = connect(port)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, key)).encode() + extra)
    got = b""
    while b"\r\n\r\n" not in got:
        data = s.recv(4096)
        assert data, "closed during the handshake: %r" % got
        got += data
    head, _, rest = got.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    return s, rest


def client_frame(opcode, payload, fin=True, mask=True, declared=None):
    """A client frame (masked unless mask=False); ``declared`` overrides the length field."""
    n = len(payload) if declared is None else declared
    b0 = (0x80 if fin else 0) | opcode
    m = 0x80 if mask else 0
    if n < 126:
        head = struct.pack("!BB", b0, m | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, m | 126, n)
    else:
        head = struct.pack("!BBQ", b0, m | 127, n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def read_frames(data):
    """[(opcode, payload)] of the complete server frames in ``data``."""
    out = []
    i = 0
    while i + 2 <= len(data):
        op = data[i] & 0x0F
        n = data[i + 1] & 0x7F
        j = i + 2
        if n == 126:
            n = struct.unpack("!H", data[j:j + 2])[0]
            j += 2
        elif n == 127:
            n = struct.unpack("!Q", data[j:j + 8])[0]
            j += 8
        if j + n > len(data):
            break
        out.append((op, data[j:j + n]))
        i = j + n
    return out


def close_code(payload):
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", PYGAME_HIDE_SUPPORT_PROMPT="1",
           PYTHONPATH=ROOT, PYTHONUNBUFFERED="1")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def browser(width=412, height=720):
    """A headless chromium (a phone-sized window) under selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--window-size=%d,%d" % (width, height)):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def cue_text(driver):
    """(text shown, connection state) of an audience page."""
    return driver.execute_script(
        "return [document.getElementById('cue').textContent, document.body.getAttribute('data-state')]")


class Proc(LineProc):
    """An example program as a child process; its stdout lines are kept as they come."""

    def __init__(self, args):
        super().__init__(args, ENV, stdin=True)

    def wait_line(self, prefix, timeout=15.0, having=()):
        """The first stdout line starting with ``prefix`` and containing each of ``having``
        (waits for it)."""
        sel = selectors.DefaultSelector()
        sel.register(self.p.stdout, selectors.EVENT_READ)
        end = time.monotonic() + timeout
        try:
            while True:
                for ln in self.lines:
                    if ln.startswith(prefix) and all(h in ln for h in having):
                        return ln
                left = end - time.monotonic()
                if left <= 0 or self.p.poll() is not None:
                    self.feed()
                    for ln in self.lines:
                        if ln.startswith(prefix) and all(h in ln for h in having):
                            return ln
                    raise AssertionError("no %r line from %s; stderr: %s" % (
                        prefix, self.p.args, self.stderr_text()[-2000:]))
                if sel.select(min(left, 0.2)):
                    self.feed()
        finally:
            sel.close()


def write_show(path, n=25):
    """A cue list with English, Japanese and Arabic lines; returns {cue number: {lang: text}}."""
    texts = {}
    lines = ["languages: en ja ar", "scene: One"]
    for i in range(1, n + 1):
        t = {"en": "Line %d: where is she?" % i, "ja": "第%d幕 彼女はどこにいるの？" % i,
             "ar": "السطر %d: أين هي؟" % i}
        texts[i] = t
        lines.append("cue: %d" % i)
        for lang in ("en", "ja", "ar"):
            lines.append("%s: %s" % (lang, t[lang]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return texts
