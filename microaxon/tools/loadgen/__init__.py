"""A TCP load generator built on microaxon (``python -m microaxon.tools.loadgen HOST PORT ...``).

N client components, each its own non-blocking connection driven by the core's I/O waits:

- request/response (default): send a ``size``-byte request, wait for the full ``size``-byte
  answer (an echo server returns it), check it, record the latency, repeat;
- ``--stream``: keep ``window`` requests in flight per connection and check the answers
  in order (throughput rather than latency per round trip).

``--rate R`` paces the total request rate at R per second (spread over the clients); ``--requests
M`` bounds each client, ``--duration S`` bounds the run. A ``Reporter`` writes a progress line to
stderr every second; ``run_load(...)`` returns a ``LoadResult`` whose ``summary()`` is the final
line. Responses that do not match the request, connection errors and timeouts are counted, never
raised.
"""
import errno
import socket
import sys

from microaxon import Scheduler, component, now

__all__ = ["LoadClient", "Reporter", "LoadResult", "run_load", "percentile"]

_WOULDBLOCK = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINPROGRESS)


def percentile(sorted_values, p):
    """The p-th percentile (0..100) of an ascending list (nearest rank); 0.0 if empty."""
    if not sorted_values:
        return 0.0
    k = int(len(sorted_values) * p / 100.0)
    if k >= len(sorted_values):
        k = len(sorted_values) - 1
    return sorted_values[k]


class LoadResult:
    """Shared counters of one run."""

    def __init__(self, clients):
        self.clients = clients
        self.latencies = []       # seconds, one per completed request
        self.completed = 0
        self.bytes = 0
        self.errors = 0
        self.mismatches = 0
        self.connected = 0
        self.error_kinds = {}
        self.started = now()
        self.ended = None

    def error(self, kind):
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def elapsed(self):
        return (self.ended if self.ended is not None else now()) - self.started

    def rate(self):
        e = self.elapsed()
        return self.completed / e if e > 0 else 0.0

    def summary(self):
        lat = sorted(self.latencies)
        return ("requests=%d errors=%d mismatches=%d clients=%d connected=%d seconds=%.2f req/s=%.0f "
                "MB/s=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f%s" % (
                    self.completed, self.errors, self.mismatches, self.clients, self.connected,
                    self.elapsed(), self.rate(), self.bytes / 1e6 / max(self.elapsed(), 1e-9),
                    percentile(lat, 50) * 1000, percentile(lat, 90) * 1000, percentile(lat, 99) * 1000,
                    (" error_kinds=%s" % ",".join("%s:%d" % kv for kv in sorted(self.error_kinds.items())))
                    if self.error_kinds else ""))


class LoadClient(component):
    """One connection's worth of load. Finishes after ``requests`` requests, at ``deadline``, on
    an error, or on any message on control."""

    host = "127.0.0.1"
    port = 0
    requests = 1000
    size = 64
    stream = False
    window = 16
    interval = 0.0          # seconds between requests (rate control), 0 = as fast as possible
    deadline = None         # absolute now() at which to stop
    timeout = 10.0          # per response
    connect_timeout = 10.0

    def __init__(self, result, index=0, **argd):
        super().__init__(**argd)
        self.result = result
        self.index = index

    def _payload(self, j):
        head = b"%06d-%08d-" % (self.index % 1000000, j % 100000000)
        if self.size <= len(head):
            return head[:self.size - 1] + b"\n" if self.size > 1 else b"\n"
        return head + b"x" * (self.size - len(head) - 1) + b"\n"

    def main(self):
        res = self.result
        fam = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(fam, socket.SOCK_STREAM)
        fd = sock.fileno()
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            err = sock.connect_ex((self.host, self.port))
            limit = now() + self.connect_timeout
            while err in _WOULDBLOCK or err == errno.EALREADY:
                self.waitWritable(fd)
                self.pause(max(0.0, limit - now()))
                yield 1
                if self.dataReady("control"):
                    return
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    try:
                        sock.getpeername()
                    except OSError:
                        err = errno.EINPROGRESS
                if err in _WOULDBLOCK and now() >= limit:
                    err = errno.ETIMEDOUT
            if err != 0:
                res.error("connect:%s" % errno.errorcode.get(err, err))
                return
            res.connected += 1
            outstanding = []            # (expected bytes, send time), oldest first
            buf = b""
            sent = 0
            done = 0
            total = self.requests
            window = self.window if self.stream else 1
            next_send = now()
            interval = self.interval
            while done < total:
                t = now()
                if self.deadline is not None and t >= self.deadline:
                    break
                if self.dataReady("control"):
                    break
                # send as many as the window and the rate allow
                while sent < total and len(outstanding) < window and (interval == 0 or t >= next_send):
                    msg = self._payload(sent)
                    try:
                        n = sock.send(msg)
                    except OSError as e:
                        if e.errno in _WOULDBLOCK:
                            break
                        res.error("send:%s" % errno.errorcode.get(e.errno, e.errno))
                        return
                    if n != len(msg):
                        # partial write of a small request: finish it blocking-free later
                        rest = msg[n:]
                        while rest:
                            self.waitWritable(fd)
                            self.pause(self.timeout)
                            yield 1
                            try:
                                rest = rest[sock.send(rest):]
                            except OSError as e:
                                if e.errno not in _WOULDBLOCK:
                                    res.error("send:%s" % errno.errorcode.get(e.errno, e.errno))
                                    return
                    outstanding.append((msg, t))
                    sent += 1
                    if interval:
                        next_send += interval
                        if next_send < t - 1.0:
                            next_send = t         # do not burst to catch up after a stall
                # read what has arrived
                try:
                    data = sock.recv(65536)
                except OSError as e:
                    if e.errno not in _WOULDBLOCK:
                        res.error("recv:%s" % errno.errorcode.get(e.errno, e.errno))
                        return
                    data = None
                if data == b"":
                    res.error("closed by server")
                    return
                if data:
                    buf = buf + data if buf else data
                    t = now()
                    while outstanding and len(buf) >= len(outstanding[0][0]):
                        msg, t0 = outstanding.pop(0)
                        n = len(msg)
                        if buf[:n] != msg:
                            res.mismatches += 1
                        buf = buf[n:]
                        res.latencies.append(t - t0)
                        res.completed += 1
                        res.bytes += n
                        done += 1
                    continue            # answer in hand: send the next at once
                # sleep until the socket has something, or the next paced send / timeout
                self.waitReadable(fd)
                wait = self.timeout
                if interval and sent < total and len(outstanding) < window:
                    wait = max(0.0, next_send - now())
                if self.deadline is not None:
                    wait = min(wait, max(0.0, self.deadline - now()))
                self.pause(wait)
                yield 1
                if outstanding and now() - outstanding[0][1] > self.timeout:
                    res.error("timeout")
                    return
        finally:
            sock.close()


class Reporter(component):
    """Writes a progress line to ``out`` (stderr) every ``every`` seconds until the clients
    have all finished, and a last one with the final state; then records the end time."""

    every = 1.0

    def __init__(self, result, clients, out="stderr", **argd):
        super().__init__(**argd)
        self.result = result
        self.clients = clients
        self.out = sys.stderr if out == "stderr" else out     # None: no progress line

    def main(self):
        res = self.result
        last_n = 0
        last_t = now()
        while True:
            alive = 0
            for c in self.clients:
                if not c.finished():
                    alive += 1
            if alive == 0:
                break
            self.pause(min(self.every, 0.05) if res.completed == 0 and alive else self.every)
            yield 1
            t = now()
            if self.out is not None and t - last_t >= self.every:
                self._line(t, alive, (res.completed - last_n) / (t - last_t))
                last_n = res.completed
                last_t = t
        res.ended = now()
        if self.out is not None:
            t = now()
            self._line(t, 0, (res.completed - last_n) / max(t - last_t, 1e-9))     # the final state
            self.out.write("\n")

    def _line(self, t, alive, rate):
        res = self.result
        lat = sorted(res.latencies[-20000:])
        self.out.write("\r[loadgen] %5.1fs clients=%d/%d done=%d %.0f req/s p99=%.2fms errors=%d   " % (
            t - res.started, alive, len(self.clients), res.completed, rate, percentile(lat, 99) * 1000,
            res.errors))
        self.out.flush()


def run_load(host, port, clients=10, requests=1000, size=64, rate=None, stream=False, window=16,
             duration=None, timeout=10.0, progress=True, scheduler=None):
    """Run one load test to completion; returns the ``LoadResult``."""
    sched = scheduler or Scheduler()
    res = LoadResult(clients)
    interval = (clients / float(rate)) if rate else 0.0
    deadline = now() + duration if duration else None
    cs = []
    for i in range(clients):
        c = LoadClient(res, i, host=host, port=port, requests=requests, size=size, stream=stream,
                       window=window, interval=interval, deadline=deadline, timeout=timeout)
        cs.append(c)
    rep = Reporter(res, cs, out=sys.stderr if progress else None)
    res.started = now()
    for c in cs:
        c.activate(sched)
    rep.activate(sched)
    sched.run()
    if res.ended is None:
        res.ended = now()
    return res
