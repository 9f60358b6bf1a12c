"""Handle + background: ordinary code (not a component) puts messages to a component running in
the background scheduler and gets its replies, without blocking; get() raises queue.Empty when
there is nothing yet. Runs in a subprocess: background() keeps the default scheduler running."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAM = r'''
import queue, sys, time
sys.path.insert(0, %r)
from kamaelia_lite.handle import Handle, background
from kamaelia_lite.util import PureTransformer

try:
    Handle(PureTransformer(str.upper)).activate()
except RuntimeError as e:
    print("refused:", "background" in str(e))
background().start()
h = Handle(PureTransformer(str.upper)).activate()
try:
    h.get("outbox")
    print("empty: no")
except queue.Empty:
    print("empty: yes")
for word in ("one", "two"):
    h.put(word, "inbox")
got = []
deadline = time.time() + 5
while len(got) < 2 and time.time() < deadline:
    try:
        got.append(h.get("outbox"))
    except queue.Empty:
        time.sleep(0.01)
print(got)
'''


def test_put_and_get_reach_a_component_in_the_background():
    p = subprocess.run([sys.executable, "-c", PROGRAM % ROOT], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["refused: True", "empty: yes", "['ONE', 'TWO']"]
