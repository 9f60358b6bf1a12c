"""ports/micropython/import_cost.py prices each function and method of the kernel by the heap
`import microaxon` frees without it, under the real micropython binary."""
import ast
import os
import shutil

from common_helpers import ROOT

from ports.micropython import import_cost

SAMPLE = '''import sys


def helper(x):
    return x + 1


class Box:
    size = 0

    def __init__(self, n):
        self.n = n

    @property
    def twice(self):
        return self.n * 2
'''


def test_definitions_name_functions_and_methods_with_their_lines():
    found = import_cost.definitions(SAMPLE)
    assert [(n, m) for n, _, _, m in found] == [("helper", False), ("Box.__init__", True),
                                                 ("Box.twice", True)]
    lines = SAMPLE.split("\n")
    name, first, last, _ = found[2]
    assert lines[first - 1].strip() == "@property"            # decorators go with their def
    assert lines[last - 1].strip() == "return self.n * 2"


def test_a_definition_taken_out_leaves_a_module_that_still_loads_its_names():
    for name, first, last, is_method in import_cost.definitions(SAMPLE):
        variant = import_cost.without(SAMPLE, first, last, is_method, name)
        tree = ast.parse(variant)                              # still valid Python
        defs = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert name.split(".")[-1] not in defs
        if not is_method:                                      # importers still find the name
            assert "%s = None" % name in variant


def test_every_kernel_definition_is_priced_and_an_added_one_costs_its_heap(tmp_path):
    # a copy of the kernel with one extra function of known weight: 40 new attribute names
    # (a device interns each) and a long body, all held in the heap
    (tmp_path / "microaxon").mkdir()
    for f in import_cost.KERNEL:
        shutil.copy(os.path.join(ROOT, "microaxon", f), str(tmp_path / "microaxon" / f))
    body = "\n".join("    x.extra_name_%02d = %d" % (i, i) for i in range(40))
    with open(str(tmp_path / "microaxon" / "scheduler.py"), "a") as f:
        f.write("\n\ndef _ballast(x):\n%s\n    return x\n" % body)
    res = import_cost.measure(str(tmp_path))
    rows = {(r["file"], r["definition"]): r["bytes"] for r in res["definitions"]}
    for f in import_cost.PRICED:
        with open(os.path.join(ROOT, "microaxon", f)) as fh:
            for name, _, _, _ in import_cost.definitions(fh.read()):
                cost = rows[("microaxon/" + f, name)]
                # at least a function object (one 32-byte block on this 64-bit build)
                assert cost is not None and cost >= 32, (f, name, cost)
    ballast = rows[("microaxon/scheduler.py", "_ballast")]
    assert ballast >= 40 * 16, ballast                      # its names and body, at the least
    assert ballast == max(rows.values())                    # and it weighs the most, as built
    assert res["import"] > sum(rows.values())               # classes, dicts, shared names: the rest
    assert 0 < res["hollow"] < res["import"] - ballast      # emptied: the ballast's body is gone
    assert [m["module"] for m in res["modules"]] == [
        "microaxon (package)", "microaxon._device", "microaxon.core", "microaxon.scheduler",
        "microaxon/__init__"]
    assert all(m["bytes"] >= 0 for m in res["modules"])
    pools = [m["name_pools"] for m in res["modules"]]      # interned-name pools only ever open
    assert pools == sorted(pools) and pools[0] >= 1, pools


def test_a_hollowed_module_keeps_every_name_and_loses_every_body():
    variant = import_cost.hollow(SAMPLE)
    tree = ast.parse(variant)
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert sorted(n.name for n in defs) == ["__init__", "helper", "twice"]
    assert all(len(n.body) == 1 and isinstance(n.body[0], ast.Pass) for n in defs)
    assert "size = 0" in variant and "@property" in variant and "import sys" in variant
