"""Reliable multicast components: thin wrappers around the sans-IO states of srm.py.

``SRMSender``: messages (bytes) on ``inbox`` -> datagrams on ``outbox`` (data, then parity when a
block fills; a short block's parity after ``flush_after`` seconds without new messages; a heartbeat
every ``heartbeat_interval`` seconds while idle). NACK datagrams from receivers (``bytes`` or
``(bytes, address)`` as a UDP/multicast receiver emits them) on the ``nack`` inbox are answered
with retransmissions on ``outbox``. Link ``outbox`` to a MulticastSender.

``SRMReceiver``: datagrams (``bytes`` or ``(bytes, (host, port))``) on ``inbox`` -> the messages,
in order, on ``outbox``. Unrepairable loss: ``("gap", first_seq, last_seq)`` on the ``gaps`` outbox
and a line on stderr (``log_gaps=False`` silences the line); with ``nack_port`` set, repair
requests go out of ``nack`` as ``(datagram, (sender_host, nack_port))`` for a UDP sender.

Both honour shutdown: ``producerFinished`` drains (the sender flushes its last block and sends a
heartbeat; the receiver delivers what it holds and reports what is missing), ``shutdownMicroprocess``
stops at once; the message is passed on out of ``signal``. Kamaelia names: ``SRM_Sender``,
``SRM_Receiver`` (same box contract: data in / datagrams out, and the reverse).
"""
import sys

from kamaelia_lite.flow import PendingSends, take_ending
from kamaelia_lite.net.srm import SRMError, SRMReceiverState, SRMSenderState
from microaxon import component, now, shutdownMicroprocess

_SLICE = 0.25     # longest single pause: deadlines are looked at again at least this often


class SRMSender(component):
    """Reliable-multicast sender (see module doc). Parameters as SRMSenderState, plus
    ``flush_after`` (s idle before a short block's parity goes out) and ``heartbeat_interval``
    (s between heartbeats while idle; 0 = none)."""

    Inboxes = {"inbox": "messages (bytes) to send reliably",
               "nack": "NACK datagrams from receivers: bytes or (bytes, address)",
               "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "datagrams for the multicast group", "signal": "shutdown, passed on"}

    k = 64
    m = 16
    max_payload = 1200
    key = None
    history = 1024
    flush_after = 0.05
    heartbeat_interval = 1.0

    def __init__(self, **argd):
        super().__init__(**argd)
        self.state = SRMSenderState(k=self.k, m=self.m, max_payload=self.max_payload,
                                    auth=self.key, history=self.history)
        self._out = PendingSends(self)
        self.refused = 0        # inbox messages that were not bytes/str (reported on stderr)

    def _push(self):
        """Send queued datagrams while there is room; True when all went."""
        return self._out.flush()

    def main(self):
        st = self.state
        ending = None
        last_data = now()
        last_beat = now()
        while True:
            ending = take_ending(self, ending)
            if isinstance(ending, shutdownMicroprocess):
                break
            while self.dataReady("nack") and not self._out.full():   # bounded repair work
                msg = self.recv("nack")
                if isinstance(msg, tuple):      # (bytes, addr), or Kamaelia's (addr, bytes)
                    msg = msg[1] if isinstance(msg[0], tuple) else msg[0]
                self._out.extend(st.handle_nack(msg))
            if self._push():
                n = 0
                while n < 64 and self.dataReady("inbox") and not len(self._out):
                    try:
                        self._out.extend(st.send(self.recv("inbox")))
                    except SRMError as e:
                        self.refused += 1
                        sys.stderr.write("%s: message refused: %s\n" % (self.name, e))
                    last_data = now()
                    n += 1
                    self._push()
            t = now()
            if not len(self._out) and not self.dataReady("inbox"):
                if ending is not None:
                    self._out.extend(st.flush())
                    self._out.add(st.heartbeat())
                    if self._push():
                        break
                elif st.pending() and t - last_data >= self.flush_after:
                    self._out.extend(st.flush())
                    self._out.add(st.heartbeat())
                    last_beat = t
                    self._push()
                elif self.heartbeat_interval and t - last_beat >= self.heartbeat_interval:
                    self._out.add(st.heartbeat())
                    last_beat = t
                    self._push()
            if self.dataReady("inbox") and not len(self._out):
                yield 1
                continue
            wait = _SLICE
            if st.pending():
                wait = min(wait, max(0.0, last_data + self.flush_after - t))
            elif self.heartbeat_interval:
                wait = min(wait, max(0.0, last_beat + self.heartbeat_interval - t))
            self.pause(wait)
            yield 1
        self.send(ending, "signal")


class SRMReceiver(component):
    """Reliable-multicast receiver (see module doc). Parameters as SRMReceiverState, plus
    ``nack_port`` (unicast port the sender listens on for NACKs; None = FEC only) and
    ``log_gaps``."""

    Inboxes = {"inbox": "datagrams: bytes or (bytes, (host, port))",
               "control": "producerFinished / shutdownMicroprocess"}
    Outboxes = {"outbox": "messages, in order", "gaps": "(\"gap\", first_seq, last_seq) events",
                "nack": "(NACK datagram, (sender host, nack_port))", "signal": "shutdown, passed on"}

    key = None
    window_blocks = 4
    hold_time = 1.0
    nack_port = None
    nack_delay = 0.05
    nack_retries = 3
    max_message = 1 << 20
    log_gaps = True

    def __init__(self, **argd):
        super().__init__(**argd)
        self.state = SRMReceiverState(auth=self.key, window_blocks=self.window_blocks,
                                      hold_time=self.hold_time, nack=self.nack_port is not None,
                                      nack_delay=self.nack_delay, nack_retries=self.nack_retries,
                                      max_message=self.max_message)
        self._sender_host = None
        self._events = PendingSends(self)      # messages waiting for room on outbox

    def _handle(self, events):
        out = self._events
        for ev in events:
            kind = ev[0]
            if kind == "data":
                out.add(ev[1])
            elif kind == "gap":
                if self.log_gaps:
                    sys.stderr.write("%s: lost datagrams %d..%d (could not be repaired)\n"
                                     % (self.name, ev[1], ev[2]))
                self._advise(ev, "gaps")
            elif kind == "nack" and self._sender_host is not None:
                self._advise((ev[1], (self._sender_host, self.nack_port)), "nack")

    def _advise(self, msg, box):
        """gaps/nack are advisory: sent at once, dropped when their box is full (never block data)."""
        if self.hasSpace(box) > 0:
            self.send(msg, box)

    def _push(self):
        return self._events.flush()

    def main(self):
        st = self.state
        ending = None
        while True:
            ending = take_ending(self, ending)
            if isinstance(ending, shutdownMicroprocess):
                break
            if self._push():
                n = 0
                while n < 256 and self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    if isinstance(msg, tuple):
                        if isinstance(msg[0], tuple):      # Kamaelia's (address, data)
                            addr, msg = msg[0], msg[1]
                        else:
                            msg, addr = msg[0], msg[1]
                        self._sender_host = addr[0]
                    self._handle(st.receive(msg, now()))
                    n += 1
                    if not self._push():
                        break
                deadline = st.next_deadline()
                if deadline is not None and now() >= deadline:
                    self._handle(st.tick(now()))
                    self._push()
            if ending is not None and not self.dataReady("inbox") and not len(self._events):
                self._handle(st.flush())
                if self._push():
                    break
            if self.dataReady("inbox") and not len(self._events):
                yield 1
                continue
            deadline = st.next_deadline()
            wait = _SLICE if deadline is None else min(_SLICE, max(0.0, deadline - now()))
            self.pause(wait if deadline is not None or ending is not None else None)
            yield 1
        self.send(ending, "signal")


class SRM_Sender(SRMSender):
    """Kamaelia.Protocol.SimpleReliableMulticast.SRM_Sender: data on inbox, datagrams on outbox."""


class SRM_Receiver(SRMReceiver):
    """Kamaelia.Protocol.SimpleReliableMulticast.SRM_Receiver: datagrams (or (addr, data) /
    (data, addr) tuples) on inbox, data in order on outbox."""

    log_gaps = False
