"""The leader agreement, display health and signal-lost watch run under the real micropython
binary in a 96 KiB heap, from source (they are part of what a handheld follower imports)."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tests", "micropython", "mp_surtitles_leaders_agree_and_count_displays.py")


def test_leaders_agree_and_displays_are_counted_under_micropython():
    out = subprocess.run(["micropython", "-X", "heapsize=96k", SCRIPT], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stdout + out.stderr
