"""Shared helpers for the tools/ports tests: run real processes with timeouts, clean envs."""
import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MICROPYTHON = "micropython"


def isolated_env():
    """An environment that cannot see this checkout: no PYTHONPATH/MICROPYPATH, no user site."""
    env = dict(os.environ)
    for k in ("PYTHONPATH", "MICROPYPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(k, None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def repo_env(**extra):
    """An environment whose Python sees this checkout (for running the tools themselves)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def run(cmd, cwd=None, env=None, timeout=60, check=True):
    """Run a command; return the CompletedProcess (text). check=True asserts exit status 0."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, "%s failed (%d):\nstdout:\n%s\nstderr:\n%s" % (
            cmd, proc.returncode, proc.stdout, proc.stderr)
    return proc


def run_bundled_cpython(out_dir, app, timeout=60):
    """Run OUT/APP.py with CPython as a stranger would: cwd=OUT, no site-packages (-S: the
    checkout may be pip-installed in editable mode), no PYTHON* variables (-E)."""
    return run([sys.executable, "-S", "-E", app], cwd=out_dir, env=isolated_env(), timeout=timeout)


def run_bundled_micropython(out_dir, app, heap="64k", timeout=60):
    """Run OUT/APP.py under the real micropython binary with a capped heap, cwd=OUT."""
    return run([MICROPYTHON, "-X", "heapsize=" + heap, app], cwd=out_dir, env=isolated_env(), timeout=timeout)


def bundle(app, out, *options):
    """python -m tools.bundle APP -o OUT [options] (the real command line); returns the process."""
    return run([sys.executable, "-m", "tools.bundle", app, "-o", str(out)] + list(options),
               cwd=ROOT, env=repo_env(), timeout=120)


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
