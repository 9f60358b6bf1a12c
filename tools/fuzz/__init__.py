"""Coverage-guided fuzzing of the sans-IO parsers (atheris; not part of the test suite).

Each ``tools/fuzz/<area>.py`` names its targets: a function of one byte string that feeds a
parser the way the world would (a peer, a file, an operator), and the exceptions that parser
documents for bad input. Anything else escaping (an IndexError, a struct.error, a hang, memory
that grows without bound) is a defect: each one found gets a regression test under tests/ that
fails before its fix.

    pip install atheris
    python -m tools.fuzz.<area> TARGET [libFuzzer options, e.g. -max_total_time=120]
    python -m tools.fuzz.<area> --list
"""
