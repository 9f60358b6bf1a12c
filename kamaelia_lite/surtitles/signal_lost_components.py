"""A display that shows it lost the leader: ``SignalLostMarker`` sits between a sync follower
and a ``MarkedSubtitleDisplay``; the text stays, a small mark appears (portable)."""
from kamaelia_lite.displays.subtitle_display import SubtitleDisplay
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.signal_lost import draw_signal_lost_mark
from microaxon import component

__all__ = ["SignalLostMarker", "MarkedSubtitleDisplay"]


class SignalLostMarker(component):
    """States pass from inbox to outbox unchanged. ``("signal", "lost")`` on ``leader`` (from a
    follower's ``leader`` outbox) sends the last state again flagged ``"signal_lost": True``;
    ``("signal", "found")`` sends it again unflagged (a newer state does as well). Every signal
    message is passed on out of ``signals`` (for a log or a printer)."""

    Inboxes = {"inbox": "states", "leader": "signal lost / found", "control": "shutdown signals"}
    Outboxes = {"outbox": "states (flagged while lost)", "signals": "the signal messages", "signal": "shutdown"}

    def main(self):
        last = None
        lost = False
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                if isinstance(msg, dict):
                    last = msg
                    lost = False
                self.send(msg, "outbox")
            while self.dataReady("leader"):
                sig = self.recv("leader")
                self.send(sig, "signals")
                now_lost = isinstance(sig, tuple) and len(sig) > 1 and sig[1] == "lost"
                if now_lost != lost and last is not None:
                    lost = now_lost
                    st = dict(last)
                    if lost:
                        st["signal_lost"] = True
                    self.send(st, "outbox")
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1


class MarkedSubtitleDisplay(SubtitleDisplay):
    """A SubtitleDisplay that adds the signal-lost mark to frames of states flagged
    ``signal_lost`` (not during a blackout, which stays all black)."""

    def draw(self):
        super().draw()
        st = self.state
        if st.get("signal_lost") and not st.get("blackout"):
            draw_signal_lost_mark(self.canvas)
            self.canvas.present()
