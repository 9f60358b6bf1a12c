"""The README's "A first component" block runs as written and prints what its comment says."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_python_block_runs_and_prints_the_promised_result():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    blocks = re.findall(r"^```python\n(.*?)^```$", text, re.M | re.S)
    assert blocks, "README has a python example"
    src = blocks[0]
    promised = re.search(r"print\(.*\)\s+# (.*)$", src, re.M).group(1).strip()
    p = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, timeout=60,
                       cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == promised
