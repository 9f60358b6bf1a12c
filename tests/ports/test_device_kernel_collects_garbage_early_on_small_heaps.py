"""On MicroPython, importing microaxon on a heap of up to 1 MiB sets gc.threshold to a
sixteenth of the heap, unless the app chose one first. Early collections keep the free memory
in large blocks, so a fragmenting app (here a Pipeline of PureTransformers) fits where
collecting only when an allocation fails runs out of contiguous memory."""
import os
import tempfile

import pytest

from ports.micropython.build import build
from ports.micropython.measure_memory import PROBE_CHAIN_LITE, Probe, largest_chain

THRESHOLD = """
import gc
%s
import microaxon
print("RESULT", gc.threshold(), gc.mem_free() + gc.mem_alloc())
"""


@pytest.fixture(scope="module")
def lib():
    tmp = tempfile.mkdtemp(prefix="microaxon-gc-")
    build(os.path.join(tmp, "lib"))
    return tmp


def probe(lib, heap):
    return Probe(heap, os.path.join(lib, "lib"), lib)


def test_import_sets_a_sixteenth_of_a_small_heap_as_the_threshold(lib):
    for heap in ("64k", "256k"):
        threshold, total = map(int, probe(lib, heap).run(THRESHOLD % ""))
        # (MicroPython keeps it in whole blocks of the heap: 32 bytes on this 64-bit build)
        assert total // 16 - 32 < threshold <= total // 16, (heap, threshold, total)


def test_an_apps_own_threshold_and_a_big_heap_are_left_alone(lib):
    assert 5000 - 32 < int(probe(lib, "64k").run(THRESHOLD % "gc.threshold(5000)")[0]) <= 5000
    assert probe(lib, "2m").run(THRESHOLD % "")[0] == "-1"


def test_a_fragmenting_pipeline_fits_more_stages_in_64k_with_early_collection(lib):
    # the longest Pipeline of PureTransformers that carries its 100 messages, as built, and
    # with the threshold turned off once the modules are imported
    p = probe(lib, "64k")
    early = largest_chain(p, PROBE_CHAIN_LITE, sum(range(100)))
    off = PROBE_CHAIN_LITE.replace("from microaxon import Scheduler",
                                   "from microaxon import Scheduler\ngc.threshold(-1)")
    assert off != PROBE_CHAIN_LITE
    late = largest_chain(p, off, sum(range(100)))
    assert late >= 1 and early >= late + 2, (early, late)
