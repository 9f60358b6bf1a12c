"""Blocking client for the Introspector's JSON-lines snapshot stream."""
from __future__ import annotations

import socket
from typing import Any, Dict, List, Optional, Tuple

from microaxon.introspect import decode_snapshot

Snapshot = List[Dict[str, Any]]


class SnapshotClient:
    """Connects to an Introspector and reads snapshots as they are pushed.

    ``next()`` returns ``(t, snapshot)``; ``request()`` asks for one at once. Raises
    ConnectionError when the server goes away and ValueError for a malformed line.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 7878, timeout: float = 5.0,
                 max_line: int = 8 << 20) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.max_line = max_line
        self.buf = b""

    def request(self) -> None:
        """Ask the server to send a snapshot now (in addition to its periodic ones)."""
        self.sock.sendall(b"snapshot\n")

    def next(self) -> Tuple[Optional[float], Snapshot]:
        """The next snapshot line, decoded (blocks up to the timeout)."""
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("introspector closed the connection")
            self.buf += data
            if len(self.buf) > self.max_line:
                raise ValueError("snapshot line longer than %d bytes" % self.max_line)
        line, _, self.buf = self.buf.partition(b"\n")
        return decode_snapshot(line)

    def latest(self) -> Tuple[Optional[float], Snapshot]:
        """The newest snapshot available: reads one, then skips any already queued behind it."""
        t, snap = self.next()
        while b"\n" in self.buf:
            t, snap = self.next()
        return t, snap

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> SnapshotClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
