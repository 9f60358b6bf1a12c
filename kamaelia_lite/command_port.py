"""The token scheme every network-facing command port shares (sans-IO: no sockets, no scheduler).

A client proves it knows the port's shared token by sending ``auth <token>`` as its first line.

- ``token_matches(given, token)``: constant-time comparison (of SHA-256 digests, so neither the
  content nor the length of the token shows in the time taken).
- ``SourceLimiter``: failed attempts limited per source ADDRESS (not per connection: reconnecting
  does not start afresh). Each address has a bucket of ``burst`` attempts that refills by one every
  ``refill`` seconds; an address with an empty bucket has its attempts refused without a
  comparison until it refills.
- ``AuthGate``: one connection's handshake. ``feed(data, t)`` returns None while the client has not
  authenticated, then the bytes that followed the ``auth`` line (the session's own input);
  ``replies`` holds the lines to send back, ``closed`` says the connection must end (too many
  failures on this connection, or from this address). A line longer than ``max_line`` bytes is
  one failure, refused whole, however the reads cut it (at most ``max_line`` bytes are held).
- ``is_loopback(host)``: whether a listening address is reachable only from this machine.
"""
import hashlib

from kamaelia_lite.net.auth import compare_digest

__all__ = ["is_loopback", "token_matches", "SourceLimiter", "AuthGate", "NOT_AUTHED"]

NOT_AUTHED = "error: not authenticated: send 'auth <token>' first"


def is_loopback(host):
    """True for addresses reachable only from this machine (127.x, ::1, localhost)."""
    h = host.strip().lower()
    return h.startswith("127.") or h in ("::1", "localhost", "ip6-localhost")


def _digest(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return hashlib.sha256(b).digest()


def token_matches(given, token):
    """True when ``given`` equals ``token`` (bytes or str); the time taken does not depend on
    either's content or length."""
    return compare_digest(_digest(given), _digest(token))


class SourceLimiter:
    """Authentication failures per source address: a bucket of ``burst`` attempts refilled by one
    every ``refill`` seconds. Remembers at most ``max_sources`` addresses (full buckets are
    forgotten first)."""

    def __init__(self, burst=5, refill=2.0, max_sources=1024):
        self.burst = burst
        self.refill = refill
        self.max_sources = max_sources
        self._b = {}                   # source -> [attempts left at time t, t]

    def _left(self, source, t):
        e = self._b.get(source)
        if e is None:
            return float(self.burst)
        return min(float(self.burst), e[0] + (t - e[1]) / self.refill)

    def allows(self, source, t):
        """True if ``source`` may try a token now."""
        return self._left(source, t) >= 1.0

    def retry_in(self, source, t):
        """Seconds until ``source`` may try again (0 if it may now)."""
        return max(0.0, (1.0 - self._left(source, t)) * self.refill)

    def failed(self, source, t):
        """Count one failed attempt from ``source``."""
        left = self._left(source, t) - 1.0
        b = self._b
        if source not in b and len(b) >= self.max_sources:
            for s in list(b):
                if self._left(s, t) >= self.burst:
                    del b[s]
            if len(b) >= self.max_sources:          # all busy: forget the least limited one
                most = None
                for s in b:
                    if most is None or self._left(s, t) > self._left(most, t):
                        most = s
                del b[most]
        b[source] = [left, t]


class AuthGate:
    """One connection's ``auth <token>`` handshake (see the module doc)."""

    def __init__(self, token, limiter, source, max_line=200, max_failures=3):
        self.token = token
        self.limiter = limiter
        self.source = source
        self.max_line = max_line
        self.max_failures = max_failures
        self.passed = False
        self.closed = False
        self.failures = 0
        self.replies = []
        self._buf = b""
        self._skip = False         # inside a line already refused as too long: drop to its end

    def feed(self, data, t):
        """Bytes from the client; None until authenticated, then what followed the auth line."""
        if self.passed:
            return data
        buf = self._buf + bytes(data)
        while not self.passed and not self.closed:
            i = buf.find(b"\n")
            if self._skip:                    # the rest of a refused line is no line of its own
                if i < 0:
                    buf = b""
                    break
                buf = buf[i + 1:]
                self._skip = False
                continue
            if i < 0:
                if len(buf) > self.max_line:
                    buf = b""
                    self._skip = True
                    self._too_long()
                break
            line, buf = buf[:i], buf[i + 1:]
            self._line(line, t)
        if self.passed:
            self._buf = b""
            return buf
        self._buf = b"" if self.closed else buf
        return None

    def _too_long(self):
        self.replies.append("error: line longer than %d bytes; ignored" % self.max_line)
        self._failed()

    def _line(self, line, t):
        if len(line) > self.max_line:           # whatever it holds, as when it comes in pieces
            self._too_long()
            return
        words = line.strip().split()
        if not words:
            return
        if len(words) == 2 and words[0].lower() == b"auth":
            if not self.limiter.allows(self.source, t):
                wait = self.limiter.retry_in(self.source, t)
                secs = int(wait) + (1 if wait > int(wait) else 0)
                self.replies.append("error: too many failed attempts from %s; try again in %d s; closing"
                                    % (self.source, max(1, secs)))
                self.closed = True
                return
            if token_matches(words[1], self.token):
                self.passed = True
                self.replies.append("ok authenticated")
                return
            self.limiter.failed(self.source, t)
        self.replies.append(NOT_AUTHED)
        self._failed()

    def _failed(self):
        self.failures += 1
        if self.failures >= self.max_failures:
            self.replies.append("error: too many failed attempts; closing")
            self.closed = True
