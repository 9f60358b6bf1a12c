"""Fuzz targets for the operator's control surfaces and small text protocols: the command ports'
token handshake, Kamaelia's topology commands, the line interpreter's framing and the file
readers. See tools/fuzz/__init__.py; run one target at a time::

    python3 -m tools.fuzz.control auth_gate -max_total_time=180 -timeout=2 -rss_limit_mb=1024

Targets (each feeds what a peer, an operator or a file could give, and checks the contract):

* ``auth_gate``: a client's bytes before ``auth <token>``, cut anywhere: the same replies,
  outcome and session input as whole; the held line stays within ``max_line``.
* ``source_limiter``: failures from many addresses at moving times: at most ``max_sources``
  remembered, waits finite and never negative.
* ``tokenise``: any text: tokens or TopologyError; quoting tokens and splitting again gives them back.
* ``topology``: a session of topology commands: only TopologyError; the graph stays within its
  bounds, lays out inside its area, and ``GET ALL`` rebuilds the same graph.
* ``topology_lines``: bytes from a viewer's TCP client, cut anywhere, through chunks_to_lines and
  lines_to_tokenlists: the same token lists as whole.
* ``interpreter``: lines from a small Python vocabulary (no loops, no ``*``, no names that reach
  the system): only the documented events.
* ``files``: any bytes as a file through ReadFileAdaptor (bytes and line modes) and SimpleReader:
  what is sent is the file, or a clear error naming it.
"""
from __future__ import annotations

import os
import sys
import tempfile
from typing import Any, List

from tools.fuzz import runner

MODULES = ("kamaelia_lite.command_port", "kamaelia_lite.topology", "kamaelia_lite.topology_components",
           "kamaelia_lite.interpreter", "kamaelia_lite.file", "kamaelia_lite.simple_files")

if __name__ == "__main__":
    runner.instrumented(*MODULES)

import atheris  # noqa: E402

from kamaelia_lite.command_port import AuthGate, SourceLimiter  # noqa: E402
from kamaelia_lite.topology import Topology, TopologyError, tokenise  # noqa: E402

FDP = atheris.FuzzedDataProvider
TOKEN = b"s3cret"


def pieces(fdp: Any, data: bytes, most: int = 64) -> List[bytes]:
    """``data`` cut where the fuzzer says (sizes 1..most), in order."""
    out = []
    pos = 0
    while pos < len(data):
        n = fdp.ConsumeIntInRange(1, most) if fdp.remaining_bytes() else len(data)
        out.append(data[pos:pos + n])
        pos += n
    return out


# ------------------------------------------------------------------------------ command ports

def gate_run(chunks: List[bytes], max_line: int = 40) -> tuple:
    """Feeds ``chunks`` to a fresh AuthGate; (replies, passed, closed, session input)."""
    gate = AuthGate(TOKEN, SourceLimiter(burst=3, refill=60.0), "10.0.0.1", max_line=max_line, max_failures=3)
    rest = b""
    for c in chunks:
        got = gate.feed(c, 0.0)
        assert len(gate._buf) <= max_line + 1, len(gate._buf)
        if got is not None:
            rest += got
    return gate.replies, gate.passed, gate.closed, rest


def auth_gate(data: bytes) -> None:
    """A client's bytes in pieces give what they give whole; the held line stays bounded."""
    fdp = FDP(data)
    words = [b"auth", b"AUTH", TOKEN, b"s3cre", b"x" * 50, b" ", b"\t", b"\n", b"\r\n", b"auth s3cret\n"]
    stream = b""
    while fdp.remaining_bytes() > 2 and len(stream) < 400:
        if fdp.ConsumeBool():
            stream += fdp.PickValueInList(words)
        else:
            stream += fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 20))
    whole = gate_run([stream])
    assert gate_run(pieces(fdp, stream)) == whole, whole


def source_limiter(data: bytes) -> None:
    """Failures from many addresses: bounded memory, sane waits."""
    fdp = FDP(data)
    lim = SourceLimiter(burst=fdp.ConsumeIntInRange(1, 5), refill=0.5 + fdp.ConsumeIntInRange(0, 8),
                        max_sources=fdp.ConsumeIntInRange(1, 16))
    t = 0.0
    while fdp.remaining_bytes():
        t += fdp.ConsumeIntInRange(0, 10) / 4.0
        src = "10.0.0.%d" % fdp.ConsumeIntInRange(0, 40)
        if lim.allows(src, t):
            lim.failed(src, t)
        w = lim.retry_in(src, t)
        assert 0.0 <= w <= lim.refill * (lim.burst + 1), w
        assert len(lim._b) <= lim.max_sources, len(lim._b)


# ------------------------------------------------------------------------------------ topology

def quoted(tok: str) -> str:
    """``tok`` written so that tokenise reads it back as one token."""
    return '"' + tok.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fuzz_tokenise(data: bytes) -> None:
    """Any line: tokens or TopologyError; quoted tokens read back the same."""
    line = data.decode("utf-8", "replace")
    try:
        toks = tokenise(line)
    except TopologyError:
        return
    assert tokenise(" ".join(quoted(t) for t in toks)) == toks, toks


IDS = ("a", "b", "c", "1", "x y", "")
POSITIONS = ("randompos", "auto", "10,20", "-5,1e9", "nan,1", "inf,-inf", "1e400,0", "3,", ",", "1,2,3",
             "0x10,5", "  7 , 8 ", "1_0,2")


def fuzz_topology(data: bytes) -> None:
    """Commands a viewer's clients could send: only TopologyError; bounded; GET ALL rebuilds."""
    fdp = FDP(data)
    g = Topology(200, 150, seed=1)
    g.max_nodes = 8
    while fdp.remaining_bytes():
        if fdp.ConsumeIntInRange(0, 9) == 0:
            cmd = tokenise_or_none(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40)))
            if cmd is None:
                continue
        else:
            verb = fdp.PickValueInList(["ADD NODE", "DEL NODE", "ADD LINK", "DEL LINK", "DEL ALL", "GET ALL",
                                        "FREEZE ALL", "UNFREEZE ALL", "UPDATE_NAME NODE", "GET_NAME NODE"])
            cmd = verb.split()
            for _ in range(fdp.ConsumeIntInRange(0, 4)):
                cmd.append(fdp.PickValueInList(list(IDS) + list(POSITIONS)))
        try:
            g.apply(cmd)
        except TopologyError:
            pass
        assert len(g.nodes) <= g.max_nodes and len(g.order) == len(g.nodes)
        for _ in range(fdp.ConsumeIntInRange(0, 2)):
            g.step()
        for n in g.nodes.values():
            assert 0 <= n.x <= g.width and 0 <= n.y <= g.height, (n.x, n.y)
        again = Topology(200, 150, seed=2)
        for c in g.commands():
            again.apply(list(c))
        assert again.commands() == g.commands()


def tokenise_or_none(line: str) -> Any:
    """tokenise(line), or None when it cannot be split."""
    try:
        return tokenise(line)
    except TopologyError:
        return None


def viewer_lines(chunks: List[bytes]) -> list:
    """What chunks_to_lines then lines_to_tokenlists make of ``chunks`` (a viewer's TCP input)."""
    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.topology_components import chunks_to_lines, lines_to_tokenlists
    from kamaelia_lite.util import Collector, DataSource
    from microaxon import Scheduler
    got = Collector()
    Pipeline(DataSource(chunks), chunks_to_lines(max_line=50), lines_to_tokenlists(), got).run(Scheduler())
    return got.collected


def topology_lines(data: bytes) -> None:
    """A viewer client's bytes cut anywhere: the same token lists as whole."""
    fdp = FDP(data)
    stream = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300))
    chunks = pieces(fdp, stream, 16)
    assert viewer_lines(chunks) == viewer_lines([stream] if stream else [])


# --------------------------------------------------------------------------------- interpreter

PY_WORDS = ("x", "y", "=", "1", "(", ")", "[", "]", ":", "if", "else", "def f():", "return", "pass", "+",
            "'", '"', '"""', "\\", "#", ",", "lambda", "\t", "    ", " ", "\x00", "\r", "\f", "@", "class C:",
            "try:", "except:", "finally:", "with", "as", "yield", "await", "async", "not", "1e400", "0x", "_")


def fuzz_interpreter(data: bytes) -> None:
    """Lines of a loop-free Python vocabulary: only the documented events; an indented line never
    runs what it belongs to."""
    from kamaelia_lite.interpreter import LineInterpreter
    fdp = FDP(data)
    it = LineInterpreter({"__name__": "__console__", "__builtins__": {}})
    while fdp.remaining_bytes():
        line = "".join(fdp.PickValueInList(list(PY_WORDS)) for _ in range(fdp.ConsumeIntInRange(0, 8)))
        events = it.feed(line)
        for ev in events:
            assert ev[0] in ("ran", "syntax"), ev
        if line[:1] in (" ", "\t"):
            assert all(ev[0] == "syntax" for ev in events), (line, events)


# --------------------------------------------------------------------------------------- files

def read_through(comp: Any) -> list:
    """Runs ``comp`` into a Collector; what it sent."""
    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.util import Collector
    from microaxon import Scheduler
    got = Collector()
    Pipeline(comp, got).run(Scheduler())
    return got.collected


def fuzz_files(data: bytes) -> None:
    """Any bytes as a file: the readers send exactly the file (or, as text, raise naming it)."""
    from kamaelia_lite.file import ReadFileAdaptor
    from kamaelia_lite.simple_files import SimpleReader
    fd, path = tempfile.mkstemp(prefix="fuzzctl-")
    try:
        os.write(fd, data)
        os.close(fd)
        assert b"".join(read_through(ReadFileAdaptor(path, readsize=7))) == data
        lines = read_through(ReadFileAdaptor(path, readmode="line"))
        assert b"".join(lines) == data
        assert all(len(ln) <= ReadFileAdaptor.max_line for ln in lines)
        assert b"".join(read_through(SimpleReader(path, mode="rb", max_line=16))) == data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        try:
            got = "".join(read_through(SimpleReader(path, max_line=16)))
        except Exception as e:          # the run fails: the error must name the file
            assert text is None and path in str(e), e
        else:
            assert text is not None and got == text.replace("\r\n", "\n").replace("\r", "\n"), (got, text)
    finally:
        os.unlink(path)


TARGETS: runner.Targets = {
    "auth_gate": (auth_gate, ()),
    "source_limiter": (source_limiter, ()),
    "tokenise": (fuzz_tokenise, ()),
    "topology": (fuzz_topology, ()),
    "topology_lines": (topology_lines, ()),
    "interpreter": (fuzz_interpreter, ()),
    "files": (fuzz_files, ()),
}

if __name__ == "__main__":
    sys.exit(runner.main(TARGETS))
