"""A server out of file descriptors backs off instead of spinning: with the echo example limited
to 64 fds and 150 clients connecting, the server process uses little CPU and writes little to
stderr while the clients wait, and serves a new client by itself once they have gone."""
import os
import socket
import subprocess
import sys
import tempfile
import time

from net_helpers import echo_once

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time the process has used (its own rusage, read from /proc)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def start_echo_server(nofile):
    err = tempfile.TemporaryFile()
    code = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (%d, %d)); "
            "sys.argv = ['echo_server', '--port', '0']; runpy.run_module('examples.echo_server', "
            "run_name='__main__')" % (nofile, nofile))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=err, text=True)
    line = proc.stdout.readline()
    assert "echo server on" in line, line
    return proc, int(line.split()[-1]), err


def test_accept_at_the_fd_limit_backs_off_logs_rarely_and_recovers():
    proc, port, err = start_echo_server(64)
    clients = []
    try:
        for _ in range(150):                     # more than the server's 64 descriptors
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)                          # the server has run out by now
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        err_before = os.fstat(err.fileno()).st_size
        time.sleep(3.0)
        cpu = cpu_seconds(proc.pid) - cpu0
        wall = time.monotonic() - t0
        logged = os.fstat(err.fileno()).st_size - err_before
        assert proc.poll() is None, "the server died"
        assert cpu < 0.2 * wall, "%.2fs of CPU in %.2fs at the fd limit" % (cpu, wall)
        assert logged < 2000, "%d bytes of stderr in %.1fs" % (logged, wall)
        err.seek(0)
        text = err.read().decode(errors="replace")
        assert "Too many open files" in text and "refused" in text, text[-500:]
        for c in clients:
            c.close()
        clients = []
        assert echo_once(port, b"still there?\n") == b"still there?\n"     # recovered by itself
    finally:
        for c in clients:
            c.close()
        proc.terminate()
        proc.wait(5)
        err.close()
