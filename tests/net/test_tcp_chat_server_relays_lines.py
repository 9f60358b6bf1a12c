"""The chat example: two clients on loopback see each other's lines (not their own); an
oversized line is refused with a message and the chat carries on; quitting is announced."""
import socket
import time

from net_helpers import connect, run_client

from examples.chat_server import build
from microaxon import Scheduler


def read_until(sock, token, timeout=5.0):
    sock.settimeout(timeout)
    got = b""
    end = time.monotonic() + timeout
    while token not in got and time.monotonic() < end:
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
    return got


def test_two_clients_chat_and_oversized_lines_are_refused():
    sched = Scheduler()
    server = build(port=0, max_line=100, room="test-chat-room", scheduler=sched)

    def clients():
        try:
            return conversation()
        finally:
            sched.callFromThread(sched.stop)

    def conversation():
        alice = connect(server.port)
        bob = connect(server.port)
        read_until(alice, b"welcome")
        read_until(bob, b"welcome")
        alice.sendall(b"alice\n")
        bob.sendall(b"bob\n")
        read_until(alice, b"bob joined")
        alice.sendall(b"hello bob\n")
        bob_got = read_until(bob, b"hello bob")
        alice.sendall(b"y" * 500 + b"\nstill here\n")
        alice_err = read_until(alice, b"line too long")
        bob_got2 = read_until(bob, b"still here")
        bob.shutdown(socket.SHUT_WR)
        alice_sees_leave = read_until(alice, b"bob left")
        bob.close()
        alice.close()
        time.sleep(0.1)
        return bob_got, alice_err, bob_got2, alice_sees_leave

    t = run_client(sched, clients, 15)
    assert "error" not in t.box, t.box.get("error")
    bob_got, alice_err, bob_got2, leave = t.box["result"]
    assert b"alice: hello bob\n" in bob_got
    assert b"! line too long (max 100 bytes)" in alice_err
    assert b"y" * 50 not in bob_got2 and b"alice: still here\n" in bob_got2
    assert b"* bob left" in leave
