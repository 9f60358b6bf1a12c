"""Kamaelia 1.14.32's own Examples/ give the same result on microaxon.compat as they gave on
Kamaelia itself: each program the oracle ran successfully (tests/compat/golden/index.json) runs
under ours with the same probe, and its printed lines, client transcript, files and ending must
match the recorded golden file. Regenerate the golden files with
`python3 -m tools.compat.corpus record` (needs real Kamaelia installed).

The Examples are fetched from PyPI's sdist into ~/.cache (KAMAELIA_EXAMPLES_CACHE overrides); when
neither the cache nor the network is available the corpus tests are skipped, saying why.
"""
import os

import pytest

from tools.compat import corpus
from tools.compat.manifest import PROGRAMS

INDEX = corpus.load_index() if os.path.exists(os.path.join(corpus.GOLDEN, "index.json")) else {}
WORKING = sorted(r for r in INDEX if INDEX[r].get("works"))


def _docs_verdicts():
    """{program: our column} from docs/compat.md: the table this test keeps honest."""
    out = {}
    with open(os.path.join(corpus.ROOT, "docs", "compat.md")) as f:
        for line in f:
            cells = [c.strip() for c in line.split(" | ")]
            if line.startswith("| `") and len(cells) == 3:
                out[cells[0].strip("|` ")] = cells[2].rstrip(" |")
    return out


DOCS = _docs_verdicts()
CASES = [pytest.param(r, marks=pytest.mark.xfail(reason="docs/compat.md: " + DOCS.get(r, "?"), strict=False))
         if DOCS.get(r) != "same" else r for r in WORKING]


@pytest.fixture(scope="module")
def examples():
    try:
        return corpus.fetch()
    except Exception as e:                  # no network and no cache: say so, do not pass silently
        pytest.skip("cannot fetch Kamaelia's Examples: %s" % e)


def test_the_golden_index_names_every_working_program():
    assert len(WORKING) >= 30, "tests/compat/golden/index.json is missing or truncated"
    for rel in WORKING:
        assert os.path.exists(corpus.golden_path(rel)), rel


def test_docs_table_lists_every_example_the_oracle_saw():
    assert sorted(DOCS) == sorted(INDEX)


@pytest.fixture(scope="module")
def our_runs(examples):
    """Every working program run once under ours, several at a time (each in its own network
    namespace when allowed, so their fixed ports never collide)."""
    return corpus.run_many(examples, WORKING, "ours")


@pytest.mark.slow
@pytest.mark.parametrize("rel", CASES)
def test_example_matches_kamaelia(rel, our_runs):
    golden = corpus.load_golden(rel)
    ours = our_runs[rel]
    diffs = corpus.differences(golden, ours, PROGRAMS.get(rel, {}))
    assert diffs == [], "%s differs in %s\nours: %r\nstderr: %s" % (
        rel, diffs, {k: ours.get(k) for k in ("stdout", "ending", "client", "listener", "files")},
        ours.get("stderr_tail", "")[-1500:])


@pytest.mark.oracle
@pytest.mark.oracle   # live: opt-in with KAMAELIA_ORACLE=1 (deselected otherwise, see conftest)
@pytest.mark.parametrize("rel", ["Contrib/Kamaelia.Apps.SA/DataSink.py",
                                 "Introspection/IntrospectionTutorial/IntrospectingEchoServer.py",
                                 "UsingChassis/PAR/par_shutdown_simple.py"])
def test_live_oracle_still_agrees_with_the_golden_file(rel, examples):
    """Real Kamaelia, run now, still gives what the golden file says (the recording is sound)."""
    live = corpus.run_one(examples, rel, "kamaelia")
    assert corpus.differences(corpus.load_golden(rel), live, PROGRAMS.get(rel, {})) == []
