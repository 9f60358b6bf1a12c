"""What several benchmarks use: a free loopback port, and the ``NAME value`` lines a benchmark
or anchor program prints, read into numbers."""
import socket
from typing import Dict


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def words(text: str) -> Dict[str, float]:
    """{name: value} from the ``NAME value`` lines of ``text`` (other lines are passed over)."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return out
