"""Helpers every test area shares (not a test module): the repository root, environments and a
checked run() for real processes, child processes read line by line, free ports, and nftables loss on loopback UDP."""
import contextlib
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def isolated_env():
    """An environment that cannot see this checkout: no PYTHONPATH/MICROPYPATH, no user site."""
    env = dict(os.environ)
    for k in ("PYTHONPATH", "MICROPYPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(k, None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def repo_env(**extra):
    """An environment whose Python sees this checkout (for running the tools themselves)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def run(cmd, cwd=None, env=None, timeout=60, check=True):
    """Run a command; return the CompletedProcess (text). check=True asserts exit status 0."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, "%s failed (%d):\nstdout:\n%s\nstderr:\n%s" % (
            cmd, proc.returncode, proc.stdout, proc.stderr)
    return proc


def install_udp_loss(name, port, percent):
    """Create table `name` dropping `percent`% of UDP datagrams to `port` (counted)."""
    subprocess.run(["nft", "-f", "-"], text=True, check=True, capture_output=True, input=textwrap.dedent("""
        table inet %s {
          chain input {
            type filter hook input priority 0; policy accept;
            udp dport %d numgen random mod 100 < %d counter drop
          }
        }
    """ % (name, port, percent)))


def remove_table(name):
    subprocess.run(["nft", "delete", "table", "inet", name], capture_output=True)


def dropped(name):
    """How many datagrams the table's rule has dropped so far."""
    out = subprocess.run(["nft", "list", "table", "inet", name], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "counter packets" in line:
            return int(line.split("counter packets")[1].split()[0])
    return 0


def free_tcp_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_udp_port():
    """A port free for UDP *and* TCP right now (a tunnel may listen on it with either): a port
    only checked for UDP can be some TCP connection's local port, and binding it then fails."""
    for _ in range(100):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("", 0))
            port = t.getsockname()[1]
            u.bind(("", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no port free for both TCP and UDP")


class LineProc:
    """``python -m args`` as a child process (run from the repository root with ``env``); its
    stdout lines are kept in ``lines`` as ``feed()`` reads them (stdout does not block)."""

    def __init__(self, args, env, prefix=(), stdin=False):
        self.p = subprocess.Popen(list(prefix) + [sys.executable, "-m"] + list(args), cwd=ROOT, env=env,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = b""
        self.lines = []
        self.started = time.monotonic()

    def feed(self):
        """Read what stdout holds now into ``lines``."""
        try:
            data = os.read(self.p.stdout.fileno(), 65536)
        except BlockingIOError:
            return
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.lines.append(line.decode("utf-8", "replace"))

    def send(self, line):
        """Write one line to its stdin."""
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def stop(self):
        """Kill it (if still running) and close its pipes."""
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(5)
        for f in (self.p.stdout, self.p.stderr, self.p.stdin):
            if f is not None:
                f.close()

    def stderr_text(self):
        """Its stderr once it has ended ("" while it runs)."""
        if self.p.poll() is None:
            return ""
        return self.p.stderr.read().decode("utf-8", "replace")


def _ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), capture_output=True, text=True, check=check)


@contextlib.contextmanager
def two_namespaces(name, subnet, multicast_on_lo=False):
    """Two network namespaces (``<name>A<pid>``, ``<name>B<pid>``) joined by a veth pair, at
    ``<subnet>.1`` and ``<subnet>.2`` (/24), links up and multicast routed over the veth (over lo
    with ``multicast_on_lo``). Yields their names; both are deleted on the way out."""
    tag = "%d" % (os.getpid() % 100000)
    a, b = name + "A" + tag, name + "B" + tag
    va, vb = "v" + name[-3:] + "a" + tag, "v" + name[-3:] + "b" + tag
    try:
        _ip("netns", "add", a)
        _ip("netns", "add", b)
        _ip("link", "add", va, "type", "veth", "peer", "name", vb)
        _ip("link", "set", va, "netns", a)
        _ip("link", "set", vb, "netns", b)
        _ip("-n", a, "addr", "add", subnet + ".1/24", "dev", va)
        _ip("-n", b, "addr", "add", subnet + ".2/24", "dev", vb)
        for ns, dev in ((a, va), (b, vb)):
            _ip("-n", ns, "link", "set", dev, "up")
            if multicast_on_lo:
                _ip("-n", ns, "link", "set", "lo", "multicast", "on")
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo" if multicast_on_lo else dev)
        yield a, b
    finally:
        _ip("netns", "del", a, check=False)
        _ip("netns", "del", b, check=False)


class LineClient:
    """A blocking TCP client of a line protocol (a command port): ``ask(text)`` sends one line
    and returns the reply line (None once the server has closed)."""

    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def line(self):
        """The next line from the server (without its newline), or None at end of stream."""
        while b"\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                return None
            self.buf += data
        ln, self.buf = self.buf.split(b"\n", 1)
        return ln.decode()

    def ask(self, text):
        """Send ``text`` as one line; return the reply line."""
        self.s.sendall(text.encode() + b"\n")
        return self.line()

    def close(self):
        self.s.close()


def run_watched(scheduler, check, period):
    """Run ``scheduler`` in this thread while a watchdog thread calls ``check()`` every ``period``
    s until it returns True or the run ends (``check`` acts through ``scheduler.callFromThread``).
    The watchdog is not counted as a live thread, so run() still returns when the work is done."""
    done = threading.Event()

    def watchdog():
        while not done.wait(period):
            if check():
                return

    scheduler.threadStarted()       # the wake-up channel exists; the watchdog is not counted
    scheduler.threadFinished()
    t = threading.Thread(target=watchdog, daemon=True)
    t.start()
    try:
        scheduler.run()
    finally:
        done.set()
        t.join()
