"""Reliable-multicast layer throughput and CPU cost, beside raw UDP loopback in the same run.

Prints one line per variant: datagrams/s and CPU microseconds per datagram (process time), for
the SRM sender (encode: header, FEC parity, optional HMAC) and receiver (decode: checks, order,
repair of 5% random loss, optional HMAC), and the ratio to a raw UDP loopback send+recv of the
same datagram size measured in this run (ratio > 1: the SRM step costs more CPU per datagram than
a kernel round trip). Median of --repeats runs.

    python3 -m tools.bench.srm_bench [--n 20000] [--size 1000] [--k 64] [--m 16] [--repeats 3]
    python3 -m tools.bench.srm_bench --fec-table [--seeds 5]

--e2e N (default 20000) also runs N messages through the components and real multicast on lo
(sender -> MulticastSender -> lo -> MulticastReceiver -> SRMReceiver in one scheduler).

--fec-table measures instead which FEC settings repair 5% and 10% random loss on a 10,000-datagram
stream (sans-IO, seeded): per (k, m) the overhead, the runs that arrived complete, and the
datagrams still lost in all runs together; then the same for a paced producer whose bursts are
each flushed as a short block (a live stream, surtitles), with the overhead as measured.
"""
import argparse
import random
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit("/tools/", 1)[0])

from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState  # noqa: E402

KEY = b"benchmark key 16"


def _median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def raw_udp(n, size):
    """CPU seconds per datagram for sendto + recvfrom over loopback (batches of 64)."""
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind(("127.0.0.1", 0))
    addr = rx.getsockname()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * size
    t = time.process_time()
    done = 0
    while done < n:
        for _ in range(64):
            tx.sendto(payload, addr)
        for _ in range(64):
            rx.recvfrom(65536)
        done += 64
    dt = time.process_time() - t
    rx.close()
    tx.close()
    return dt / done


def srm_sender(n, size, k, m, key):
    tx = SRMSenderState(k=k, m=m, max_payload=max(size, 1), auth=key, history=0)
    msg = b"y" * size
    wire = []
    t = time.process_time()
    for _ in range(n):
        wire.extend(tx.send(msg))
    wire.extend(tx.flush())
    dt = time.process_time() - t
    return dt / len(wire), wire


def srm_receiver(wire, key, loss, seed=1):
    rnd = random.Random(seed)
    kept = [d for d in wire if rnd.random() >= loss]
    rx = SRMReceiverState(auth=key)
    t = time.process_time()
    delivered = 0
    for d in kept:
        for ev in rx.receive(d, 0.0):
            if ev[0] == "data":
                delivered += 1
    for ev in rx.flush():
        if ev[0] == "data":
            delivered += 1
    dt = time.process_time() - t
    return dt / len(kept), delivered, rx.counters


def end_to_end(n, size, k, m, key, interface="127.0.0.1", group="239.255.45.1"):
    """Messages through SRMSender -> MulticastSender -> lo -> MulticastReceiver -> SRMReceiver,
    all in one scheduler: (datagrams/s wall, CPU us per datagram, messages delivered)."""
    import subprocess

    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.net.multicast import MulticastReceiver, MulticastSender
    from kamaelia_lite.net.srm_components import SRMReceiver, SRMSender
    from kamaelia_lite.util import DataSource
    from microaxon import Scheduler, component, shutdownMicroprocess

    out = subprocess.run(["ip", "link", "show", "lo"], capture_output=True, text=True).stdout
    if "MULTICAST" not in out.split(">")[0]:
        subprocess.run(["ip", "link", "set", "lo", "multicast", "on"], check=False)

    class Count(component):
        Outboxes = {"outbox": "", "signal": "", "stop": "shutdown for the receiver"}

        def main(self):
            self.got = 0
            while self.got < n:
                while self.dataReady("inbox"):
                    self.recv("inbox")
                    self.got += 1
                if self.dataReady("control"):
                    break
                self.pause(0.2)
                yield 1
            self.send(shutdownMicroprocess(), "stop")

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("", 0))
    port = probe.getsockname()[1]
    probe.close()
    sched = Scheduler()
    mrx = MulticastReceiver(group, port, interface, rcvbuf=4 << 20)
    count = Count()
    Pipeline(mrx, SRMReceiver(key=key, log_gaps=False), count).activate(sched)
    count.link((count, "stop"), (mrx, "control"))
    msg = b"z" * size
    tx = SRMSender(k=k, m=m, key=key, heartbeat_interval=0, max_payload=max(size, 1))
    Pipeline(DataSource([msg] * n), tx, MulticastSender(group, port, interface)).activate(sched)
    t0, c0 = time.perf_counter(), time.process_time()
    sched.run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    datagrams = tx.state.sent_data + tx.state.sent_parity
    return datagrams / wall, cpu / datagrams, count.got


FEC_SETTINGS = [(16, 4), (16, 6), (32, 8), (32, 12), (64, 12), (64, 16), (64, 20), (128, 28), (128, 32)]
PACED_BURSTS = [1, 4, 8, 16, 32]


def fec_table(seeds, n=10000):
    print("loss  k    m   overhead  complete_runs  datagrams_lost_in_all_runs")
    for loss in (0.05, 0.10):
        for k, m in FEC_SETTINGS:
            complete = 0
            lost = 0
            for seed in range(seeds):
                rnd = random.Random(seed * 7919 + k * 31 + m)
                tx = SRMSenderState(k=k, m=m, history=0)
                rx = SRMReceiverState()
                for i in range(n):
                    for d in tx.send(i.to_bytes(4, "big") * 8):
                        if rnd.random() >= loss:
                            rx.receive(d, 0.0)
                for d in tx.flush():
                    if rnd.random() >= loss:
                        rx.receive(d, 0.0)
                rx.flush()
                lost += rx.counters["lost"]
                complete += rx.counters["delivered"] == n
            print("%3.0f%%  %-4d %-3d %6.1f%%   %5d/%-5d      %d"
                  % (loss * 100, k, m, 100.0 * m / k, complete, seeds, lost))
    print("\npaced producer: bursts of `burst` datagrams, each flushed as a short block (k=64, m=16)")
    print("loss  burst  overhead  complete_runs  datagrams_lost_in_all_runs")
    for loss in (0.05, 0.10):
        for burst in PACED_BURSTS:
            complete = 0
            lost = 0
            overhead = 0.0
            for seed in range(seeds):
                rnd = random.Random(seed * 7919 + burst)
                tx = SRMSenderState(k=64, m=16, history=0)
                rx = SRMReceiverState()
                for i in range(n):
                    wire = tx.send(i.to_bytes(4, "big") * 8)
                    if (i + 1) % burst == 0 or i + 1 == n:
                        wire += tx.flush()
                    for d in wire:
                        if rnd.random() >= loss:
                            rx.receive(d, 0.0)
                rx.flush()
                lost += rx.counters["lost"]
                complete += rx.counters["delivered"] == n
                overhead = tx.stats()["overhead"]
            print("%3.0f%%  %-5d %7.1f%%   %5d/%-5d      %d"
                  % (loss * 100, burst, 100.0 * overhead, complete, seeds, lost))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--size", type=int, default=1000)
    p.add_argument("--k", type=int, default=64)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--loss", type=float, default=0.05)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--fec-table", action="store_true")
    p.add_argument("--e2e", type=int, default=20000,
                   help="messages through real multicast on lo (0 = skip)")
    p.add_argument("--seeds", type=int, default=5)
    a = p.parse_args(argv)
    if a.fec_table:
        fec_table(a.seeds)
        return
    raw = _median([raw_udp(a.n, a.size) for _ in range(a.repeats)])
    print("raw_udp_loopback_send+recv   %9.0f datagrams/s  %7.2f us/datagram  (size %d)"
          % (1 / raw, raw * 1e6, a.size))
    for label, key in (("", None), ("+hmac", KEY)):
        tx_times, rx_times = [], []
        for r in range(a.repeats):
            t_tx, wire = srm_sender(a.n, a.size, a.k, a.m, key)
            t_rx, delivered, counters = srm_receiver(wire, key, a.loss, seed=r + 1)
            assert delivered == a.n, (delivered, counters)
            tx_times.append(t_tx)
            rx_times.append(t_rx)
        t_tx, t_rx = _median(tx_times), _median(rx_times)
        print("srm_sender%-6s k=%d m=%d    %9.0f datagrams/s  %7.2f us/datagram  ratio_vs_raw_udp %.2f"
              % (label, a.k, a.m, 1 / t_tx, t_tx * 1e6, t_tx / raw))
        print("srm_receiver%-6s loss=%.0f%%   %9.0f datagrams/s  %7.2f us/datagram  ratio_vs_raw_udp %.2f"
              % (label, a.loss * 100, 1 / t_rx, t_rx * 1e6, t_rx / raw))
    if a.e2e:
        for label, key in (("", None), ("+hmac", KEY)):
            rate, cpu, got = end_to_end(a.e2e, a.size, a.k, a.m, key)
            print("srm_end_to_end%-6s lo     %9.0f datagrams/s  %7.2f us/datagram  ratio_vs_raw_udp %.2f"
                  "  (%d/%d messages, sender+receiver+sockets, one core)"
                  % (label, rate, cpu * 1e6, cpu / raw, got, a.e2e))


if __name__ == "__main__":
    main()
