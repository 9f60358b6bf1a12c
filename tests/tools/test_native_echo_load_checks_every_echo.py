"""The benchmark's native load generator (tools/bench/native/echo_load.c) against real servers on
loopback: it counts what it measured, and a wrong or missing echo makes it fail loudly."""
import os
import socket
import threading

from tools.bench import native_load


def serve_in_thread(handle):
    """A plain blocking server that runs handle(conn) for each connection; returns its port."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)

    def accept_loop():
        while True:
            try:
                conn, _ = ls.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
    threading.Thread(target=accept_loop, daemon=True).start()
    return ls


def test_measures_our_echo_server_with_many_connections(echo_server):
    (rps, p99), why = native_load.run(echo_server, 50, 40)
    assert why == ""
    assert rps > 0 and p99 > 0


def test_a_wrong_echo_fails_the_run():
    def upper(conn):
        with conn:
            while True:
                try:
                    data = conn.recv(4096)
                    if not data:
                        return
                    conn.sendall(data.upper())
                except OSError:            # the load generator gave up and reset the connection
                    return
    ls = serve_in_thread(upper)
    try:
        result, why = native_load.run(ls.getsockname()[1], 2, 5, timeout=30)
    finally:
        ls.close()
    assert result is None
    assert "wrong echo" in why


def test_a_server_that_hangs_up_fails_the_run():
    def hang_up(conn):
        try:
            conn.recv(10)
        except OSError:
            pass
        conn.close()
    ls = serve_in_thread(hang_up)
    try:
        result, why = native_load.run(ls.getsockname()[1], 3, 5, timeout=30)
    finally:
        ls.close()
    assert result is None
    assert "closed by the server" in why or "reset" in why.lower()


def test_build_is_cached_by_source():
    first = native_load.build()
    assert native_load.build() == first and os.access(first, os.X_OK)
