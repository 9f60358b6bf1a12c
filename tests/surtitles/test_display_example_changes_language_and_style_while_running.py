"""The display example takes commands on stdin while it runs (a display's language changes
mid-show), and has options for text over scenery; a rejected command reaches stderr and the
exit status."""
import os
import subprocess
import sys
import time

from common_helpers import free_tcp_port as _free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONUNBUFFERED="1")


def _wait_for(proc, text, timeout=15):
    got = []
    end = time.time() + timeout
    import select
    while time.time() < end:
        if not select.select([proc.stdout], [], [], 0.2)[0]:
            continue
        line = proc.stdout.readline()
        if not line:
            break
        got.append(line)
        if text in line:
            return got
    raise AssertionError("no %r in %r" % (text, got))


def test_display_language_changes_while_it_runs_and_bad_commands_fail_the_exit_status():
    port = _free_port()
    op = subprocess.Popen([sys.executable, "-m", "examples.surtitles.operator", "--key", "k",
                           "--tcp", "127.0.0.1:%d" % port], stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, text=True, cwd=ROOT, env=ENV)
    disp = None
    try:
        time.sleep(1.0)
        disp = subprocess.Popen([sys.executable, "-m", "examples.surtitles.display", "--key", "k",
                                 "--tcp", "127.0.0.1:%d" % port, "--headless", "--print", "--commands",
                                 "--language", "en", "--backdrop", "outline"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT, env=ENV)
        _wait_for(disp, "READY")
        op.stdin.write("next\nnext\n")
        op.stdin.flush()
        _wait_for(disp, "Where is the ship")
        disp.stdin.write("language fr\n")
        disp.stdin.flush()
        _wait_for(disp, "est le navire")
        disp.stdin.write("speed 3\n")         # a teleprompter command the display rejects
        disp.stdin.close()
        disp.wait(timeout=15)
        err = disp.stderr.read()
        assert "error:" in err
        assert disp.returncode == 1
    finally:
        op.stdin.close()
        op.wait(timeout=15)
        if disp is not None and disp.poll() is None:
            disp.kill()
