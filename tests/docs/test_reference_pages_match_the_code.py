"""docs/reference/ has a page for every module defining components, generated from the code:
every component's boxes (with capacities) and parameters are listed, and the pages are current."""
import inspect
import os
import subprocess
import sys

from tools.docs import reference

ROOT = reference.ROOT


def test_reference_pages_are_up_to_date_with_the_code():
    proc = subprocess.run([sys.executable, "-m", "tools.docs.reference", "--check"], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT, SDL_VIDEODRIVER="dummy"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_every_component_is_documented_with_all_its_boxes():
    pages = reference.generate()
    seen = 0
    for name in reference.module_names():
        try:
            module = __import__(name, fromlist=["_"])
        except ImportError:
            continue
        for cls in reference.components_of(module):
            page = pages[name + ".md"]
            assert "## `%s`" % cls.__name__ in page
            section = page.split("## `%s`" % cls.__name__, 1)[1].split("\n## ", 1)[0]
            for box in list(cls.Inboxes) + list(cls.Outboxes):
                assert "| `%s` |" % box in section, (cls, box)
            for p in list(inspect.signature(cls.__init__).parameters)[1:]:
                if p not in ("argd", "args", "kw", "kwargs", "components"):
                    assert "| `%s` |" % p in section, (cls, p)
            seen += 1
    assert seen >= 20
    index = pages["index.md"]
    for fname in pages:
        if fname != "index.md":
            assert "](%s)" % fname in index
