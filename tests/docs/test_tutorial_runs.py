"""docs/tutorial.md runs as written: every ```python block is executed in order in one fresh
interpreter (a subprocess with a timeout), and every ```output block after a python block must
match what that block printed ("..." in an expected line matches any text)."""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TUTORIAL = os.path.join(ROOT, "docs", "tutorial.md")

RUNNER = r'''
import io, json, sys, traceback
blocks = json.load(sys.stdin)
ns = {"__name__": "__tutorial__"}
results = []
real = sys.stdout
for i, src in enumerate(blocks):
    buf = io.StringIO()
    sys.stdout = buf
    err = None
    try:
        exec(compile(src, "tutorial block %d" % (i + 1), "exec"), ns)
    except BaseException:
        err = traceback.format_exc()
    sys.stdout = real
    results.append({"out": buf.getvalue(), "error": err})
    if err:
        break
real.write(json.dumps(results))
'''


def tutorial_blocks():
    """[(python source, expected output or None)] in document order."""
    text = open(TUTORIAL, encoding="utf-8").read()
    fences = re.findall(r"^```(\w+)\n(.*?)^```$", text, re.M | re.S)
    blocks = []
    for kind, body in fences:
        if kind == "python":
            blocks.append([body, None])
        elif kind == "output":
            assert blocks and blocks[-1][1] is None, "an output block must follow a python block"
            blocks[-1][1] = body
    return blocks


def _matches(expected, actual):
    pattern = "^" + ".*".join(re.escape(part) for part in expected.split("...")) + "$"
    return re.match(pattern, actual) is not None


def test_tutorial_has_the_promised_steps():
    text = open(TUTORIAL, encoding="utf-8").read()
    for heading in ("A first component", "Graphline", "Time without polling", "Boxes are bounded",
                    "A networked component", "A display fed from the network", "Looking inside"):
        assert heading in text
    assert len(tutorial_blocks()) >= 8


def test_every_tutorial_block_runs_and_prints_what_the_page_says():
    blocks = tutorial_blocks()
    env = dict(os.environ, PYTHONPATH=ROOT, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    proc = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps([b for b, _ in blocks]),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for i, ((src, expected), res) in enumerate(zip(blocks, results)):
        assert res["error"] is None, "tutorial block %d failed:\n%s\n%s" % (i + 1, src, res["error"])
        if expected is not None:
            want = expected.rstrip("\n").split("\n")
            got = res["out"].rstrip("\n").split("\n")
            assert len(want) == len(got) and all(_matches(w, g) for w, g in zip(want, got)), (
                "tutorial block %d printed:\n%s\nbut the page says:\n%s" % (i + 1, res["out"], expected))
    assert len(results) == len(blocks)
