"""Runs one program with its probe and prints a JSON record (used by tools.compat.corpus, in a
network namespace of its own when possible).

    python3 -m tools.compat.probe kamaelia|ours PROGRAM SPEC_JSON

Record: stdout (normalised, at most MAX_TEXT characters), stderr_tail, ending ("exit N" or
"runs on" when the probe stopped it), and, as the spec asks: client (what a TCP client was
sent back), listener ({"starts": first line, "nodes": the spec's class names seen in ADD NODE
lines}), files ({name: content}).
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List, Optional

from tools.compat.manifest import DEFAULT_TIMEOUT, NORMALISE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_TEXT = 20000
START_DELAY = 1.0
GAP = 0.4


def _norm(text: str, spec: Dict[str, Any]) -> str:
    for pat, rep in NORMALISE + [tuple(s) for s in spec.get("subs", [])]:
        text = re.sub(pat, rep, text)
    return text[:MAX_TEXT]


class Listener(threading.Thread):
    """Accepts connections on a port and keeps everything sent to it."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(4)
        self.data = b""

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        while len(self.data) < 4 * MAX_TEXT:
            try:
                d = conn.recv(65536)
            except OSError:
                return
            if not d:
                return
            self.data += d


class Client(threading.Thread):
    """Connects (retrying for a while), types its lines GAP apart, keeps what comes back."""

    def __init__(self, port_of, lines: List[str], deadline: float) -> None:
        super().__init__(daemon=True)
        self.port_of = port_of
        self.lines = lines
        self.deadline = deadline
        self.data = b""
        self.connected = False

    def run(self) -> None:
        time.sleep(START_DELAY)
        s = None
        while time.time() < self.deadline - 0.5:
            port = self.port_of()
            if port:
                try:
                    s = socket.create_connection(("127.0.0.1", port), timeout=1)
                    break
                except OSError:
                    s = None
            time.sleep(0.2)
        if s is None:
            return
        self.connected = True
        s.settimeout(0.1)
        pending = list(self.lines)
        next_send = time.time() + GAP
        while time.time() < self.deadline - 0.2:
            if pending and time.time() >= next_send:
                try:
                    s.sendall((pending.pop(0) + "\n").encode())
                except OSError:
                    pending = []
                next_send = time.time() + GAP
            try:
                d = s.recv(65536)
                if not d:
                    if not pending:
                        break
                    continue
                self.data += d
            except socket.timeout:
                continue
            except OSError:
                break
        s.close()


def main(argv: List[str]) -> int:
    runtime, prog, spec = argv[0], os.path.abspath(argv[1]), json.loads(argv[2])
    folder = os.path.dirname(prog)
    timeout = spec.get("timeout", DEFAULT_TIMEOUT)
    listener = None
    if spec.get("listen"):
        listener = Listener(spec["listen"])
        listener.start()
    if runtime == "ours":
        code = ("import sys, runpy; sys.path.insert(0, %r); import microaxon.compat as c; c.install(); "
                "sys.argv = [%r]; runpy.run_path(%r, run_name='__main__')" % (ROOT, prog, prog))
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, prog]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)              # the oracle must not see our tree
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.time()
    p = subprocess.Popen(cmd, cwd=folder, stdin=subprocess.PIPE, stdout=out, stderr=err, env=env)
    client = None
    if spec.get("client"):
        c = spec["client"]
        if "port_from" in c:
            def port_of() -> Optional[int]:
                out.flush()
                with open(out.fileno(), "rb", closefd=False) as f:
                    f.seek(0)
                    m = re.search(c["port_from"], f.read().decode("utf-8", "replace"))
                return int(m.group(1)) if m else None
        else:
            def port_of() -> Optional[int]:
                return c["port"]
        client = Client(port_of, c.get("send", []), start + timeout)
        client.start()
    lines = list(spec.get("stdin", []))
    next_line = start + START_DELAY
    ending = None
    while time.time() < start + timeout:
        if p.poll() is not None:
            ending = "exit %d" % p.returncode
            break
        if lines and time.time() >= next_line:
            try:
                p.stdin.write((lines.pop(0) + "\n").encode())
                p.stdin.flush()
            except OSError:
                lines = []
            next_line = time.time() + GAP
        time.sleep(0.02)
    if ending is None:
        ending = "runs on"
        p.kill()
    p.wait()
    if client is not None:
        client.join(2)
    rec: Dict[str, Any] = {"ending": ending}
    out.seek(0)
    err.seek(0)
    rec["stdout"] = _norm(out.read().decode("utf-8", "replace"), spec)
    rec["stderr_tail"] = err.read().decode("utf-8", "replace")[-3000:]
    if client is not None:
        rec["client"] = _norm(client.data.decode("utf-8", "replace"), spec)
    if listener is not None:
        text = listener.data.decode("utf-8", "replace")
        seen = set(re.findall(r'ADD NODE "\d+" "[\w.]*?(\w+)_\d+"', text))
        rec["listener"] = {"starts": text.split("\n", 1)[0],
                           "nodes": sorted(n for n in spec.get("nodes", []) if n in seen)}
    if spec.get("files"):
        files = {}
        for name in spec["files"]:
            try:
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    files[name] = f.read()
            except OSError as e:
                files[name] = "<unreadable: %s>" % e.strerror
        rec["files"] = files
    print(json.dumps(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
