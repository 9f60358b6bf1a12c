"""ports/micropython/measure_memory.py measures heap figures under the real micropython binary with
a 64 KiB heap, and MEMORY.md quotes the measurement it produces (same rows)."""
import json
import os
import sys

import pytest
from common_helpers import ROOT, repo_env, run


@pytest.mark.slow
def test_measurement_under_64k_heap_gives_consistent_figures():
    proc = run([sys.executable, "-m", "ports.micropython.measure_memory", "--json"], cwd=ROOT,
               env=repo_env(), timeout=240)
    res = json.loads(proc.stdout)
    assert res["heap"] == "64k" and res["modules_as"] == "mpy"
    core = res["import_core_bytes"]
    assert 1000 < core < 64 * 1024
    assert 0 < res["scheduler_bytes"] < 16 * 1024
    # a box slot is one pointer: 8 bytes on this 64-bit build (the measure isolates it from the
    # component's fixed cost by comparing a 1024-slot inbox with the default 64)
    assert 7.5 <= res["box_slot_bytes"] <= 9.0
    # a box's ring is made with its first message: then it holds at least its slots
    assert res["inbox_ring_bytes"] >= res["default_capacity"] * 8
    # the largest chain that fits is bounded by what is left after the core
    left = 64 * 1024 - res["baseline_bytes"] - core - res["scheduler_bytes"]
    assert 1 <= res["largest_core_chain"] <= left // res["component_bytes"]
    assert res["bytes_per_hop"] < 1                         # a hop allocates nothing (design)
    assert res["bytes_per_hop_with_backpressure"] < 64      # far below one object per message
    assert res["import_module_bytes"]["kamaelia_lite.util"] > 0
    bundle = res["hello_core_bundle"]                       # the example app fits the 64 KiB heap
    assert set(bundle["modules"].split(", ")) == {"microaxon._device", "microaxon._desktop", "microaxon.core",
                                                  "microaxon.scheduler", "microaxon.lifetime", "microaxon.errors", "microaxon.iowait", "microaxon.threadcalls", "microaxon.more",
                                                  "microaxon", "microaxon.threaded"}
    assert 0 < bundle["bytes"] < bundle["source_bytes"]
    assert 0 < bundle["heap_after_run"] < 64 * 1024
    # from a ROMFS image the same .mpy files run in place: the import keeps only the module
    # objects (well under the file import), so more of the same chain fits in the same heap
    rom = res["romfs"]
    assert 1000 < rom["import_core_bytes"] < core * 0.8
    assert rom["largest_core_chain"] > res["largest_core_chain"]
    assert rom["largest_pipeline_chain"] > res["largest_pipeline_chain"]
    # the chain in asyncio's shape drops a box and a link per stage: at least as many fit
    assert res["largest_core_chain_one_box"] >= res["largest_core_chain"]
    assert rom["largest_core_chain_one_box"] >= rom["largest_core_chain"]


def test_memory_md_quotes_the_measurement_table():
    text = open(os.path.join(ROOT, "ports", "micropython", "MEMORY.md")).read()
    assert "python -m ports.micropython.measure_memory" in text
    for row in ("`import microaxon` (core)", "`Scheduler()`", "one activated component",
                "one extra box slot", "allocated per message hop", "largest relay chain",
                "in asyncio's shape",
                "`import microaxon` from ROMFS", "<!-- measured:64k -->"):
        assert row in text, row
