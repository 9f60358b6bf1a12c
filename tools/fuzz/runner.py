"""The one runner every fuzz harness in tools/fuzz uses (see tools/fuzz/__init__.py)."""
from __future__ import annotations

import importlib
import sys
from typing import Callable, Dict, List, Optional, Tuple, Type

# name -> (the function fed each input, the exceptions it may raise for bad input)
Targets = Dict[str, Tuple[Callable[[bytes], None], Tuple[Type[BaseException], ...]]]


def instrumented(*modules: str) -> None:
    """Import `modules` with atheris's coverage instrumentation (call before the harness imports
    them itself, so the fuzzer sees which branches each input reaches)."""
    import atheris
    with atheris.instrument_imports():
        for m in modules:
            importlib.import_module(m)


def main(targets: Targets, argv: Optional[List[str]] = None) -> int:
    """``python -m tools.fuzz.<area> TARGET [libFuzzer options]``; ``--list`` names the targets.
    An exception outside the target's documented ones stops the run with its input saved
    (libFuzzer's crash-* file): the input, and the traceback, go into a regression test."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] == "--list" or argv[1] not in targets:
        print("targets: %s" % ", ".join(sorted(targets)))
        return 0 if len(argv) > 1 and argv[1] == "--list" else 2
    fn, allowed = targets[argv.pop(1)]

    def one(data: bytes) -> None:
        try:
            fn(data)
        except allowed:
            pass

    import atheris
    atheris.Setup(argv, one)
    atheris.Fuzz()
    return 0
