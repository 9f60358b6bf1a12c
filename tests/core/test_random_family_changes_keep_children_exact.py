"""Random addChildren / removeChild / re-parenting / stop sequences keep every component's
children exactly what a model says (removeChild takes a child out in O(1) by moving the last
one into its place: any order of removals must keep the list exact), and a child removed from
its parent loses the links it had to that parent, and no others."""
import random

import pytest

from microaxon import Scheduler, component

SIZE = 8


@pytest.mark.parametrize("seed", range(30))
def test_random_family_changes_match_a_model(seed):
    rng = random.Random(seed)
    s = Scheduler()
    cs = [component() for _ in range(SIZE)]
    for c in cs:
        c.activate(s)
    parent = {}                           # child index -> parent index
    for _ in range(200):
        op = rng.random()
        p, c = rng.randrange(SIZE), rng.randrange(SIZE)
        if op < 0.5 and p != c and not is_ancestor(parent, c, p):
            cs[p].addChildren(cs[c])      # (re-parents it if it had another parent)
            parent[c] = p
        elif op < 0.85 and c in parent:
            cs[parent[c]].removeChild(cs[c])
            del parent[c]
        elif op < 0.9:
            cs[p].removeChild(cs[c])      # (not its child: nothing changes)
            if parent.get(c) == p:
                del parent[c]
        for i in range(SIZE):
            want = sorted(k for k in parent if parent[k] == i)
            got = sorted(cs.index(x) for x in cs[i].childComponents())
            assert got == want, (i, got, want)


def is_ancestor(parent, a, b):
    """True if a is b or one of b's ancestors (making b a child of... would loop)."""
    while b is not None:
        if b == a:
            return True
        b = parent.get(b)
    return False


def test_removing_a_child_drops_only_its_links_to_that_parent():
    p, c, other = component(), component(), component()
    p.addChildren(c)
    p.link((p, "inbox"), (c, "inbox"), passthrough=1)
    p.link((c, "outbox"), (p, "outbox"), passthrough=2)
    c.link((c, "signal"), (other, "control"))
    p.removeChild(c)
    p.send("to nowhere")                  # p's inbox no longer leads to c
    assert c._links and all(p not in lk for lk in c._links)
    c.send("still linked", "signal")
    assert other.recv("control") == "still linked"
