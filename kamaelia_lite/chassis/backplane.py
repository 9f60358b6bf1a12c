"""`Backplane(name)`, `PublishTo(name)`, `SubscribeTo(name)`: named publish/subscribe."""
from kamaelia_lite.flow import drained_then_stopped, passed_shutdown_on, take_ending
from microaxon import component

_backplanes = {}


class Backplane(component):
    """A named meeting point: what any PublishTo(name) sends, every SubscribeTo(name) receives.

    A slow subscriber holds everyone back (backpressure) unless it subscribed lossy=True."""

    def __init__(self, name, **argd):
        super().__init__(**argd)
        self.bpname = name
        self.subscribers = []            # [(subscriber, data outbox, signal outbox)]
        if name in _backplanes and not _backplanes[name].finished():
            raise ValueError("a Backplane named %r already exists" % (name,))
        _backplanes[name] = self

    def subscribe(self, sub, lossy=False):
        data = self.addOutbox("_to_%d" % sub.id)
        sig = self.addOutbox("_sig_%d" % sub.id)
        self.link((self, data), (sub, "inbox"), mode="lossy" if lossy else None)
        self.link((self, sig), (sub, "_backplane"))
        self.subscribers.append((sub, data, sig))
        self.unpause()

    def unsubscribe(self, sub):
        for i in range(len(self.subscribers)):
            if self.subscribers[i][0] is sub:
                s, data, sig = self.subscribers.pop(i)
                self.deleteOutbox(data)
                self.deleteOutbox(sig)
                return

    def main(self):
        try:
            while True:
                for s in self.subscribers[:]:
                    if s[0].finished():
                        self.unsubscribe(s[0])
                blocked = None
                while self.dataReady("inbox"):
                    for s in self.subscribers:
                        if self.hasSpace(s[1]) <= 0:
                            blocked = s[1]
                            break
                    if blocked:
                        break
                    msg = self.recv("inbox")
                    for s in self.subscribers:
                        self.send(msg, s[1])
                ending = take_ending(self)
                if ending is not None:
                    for s in self.subscribers:
                        self.send(ending, s[2])
                    drained_then_stopped(self, ending, True)
                    return
                if blocked:
                    self.waitSpace(blocked)
                self.pause()
                yield 1
        finally:
            if _backplanes.get(self.bpname) is self:
                del _backplanes[self.bpname]


def _find_backplane(name):
    bp = _backplanes.get(name)
    if bp is None or bp.finished():
        return None
    return bp


class PublishTo(component):
    """Sends everything from its inbox to the Backplane called `name`.

    Its own outbox stays free (a Pipeline may link it); the backplane is fed through a
    private box. ``forwarder=True`` (Kamaelia's option) also passes each message on, on outbox."""

    Outboxes = {"outbox": "each message again, with forwarder=True", "signal": "shutdown",
                "_bp": "to the backplane"}
    forwarder = False

    def __init__(self, destination, **argd):
        super().__init__(**argd)
        self.destination = destination

    def main(self):
        bp = _find_backplane(self.destination)
        while bp is None:                # the backplane may be activated after us
            self.pause(0.01)
            yield 1
            if passed_shutdown_on(self):
                return
            bp = _find_backplane(self.destination)
        self.link((self, "_bp"), (bp, "inbox"))
        ending = None
        while True:
            fwd = self.forwarder
            while self.dataReady("inbox") and self.hasSpace("_bp") > 0 and (not fwd or self.hasSpace("outbox") > 0):
                msg = self.recv("inbox")
                self.send(msg, "_bp")
                if fwd:
                    self.send(msg, "outbox")
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                return
            if self.dataReady("inbox"):
                self.waitSpace("_bp")
                if fwd:
                    self.waitSpace("outbox")
            self.pause()
            yield 1


class SubscribeTo(component):
    """Emits on its outbox everything published to the Backplane called `name`."""

    Inboxes = {"inbox": "from the backplane", "control": "shutdown",
               "_backplane": "the backplane shutting down"}

    def __init__(self, source, lossy=False, **argd):
        super().__init__(**argd)
        self.source = source
        self.lossy = lossy

    def main(self):
        bp = _find_backplane(self.source)
        while bp is None:
            self.pause(0.01)
            yield 1
            if passed_shutdown_on(self):
                return
            bp = _find_backplane(self.source)
        bp.subscribe(self, self.lossy)
        try:
            while True:
                while self.dataReady("inbox") and self.hasSpace("outbox") > 0:
                    self.send(self.recv("inbox"), "outbox")
                for box in ("control", "_backplane"):
                    if self.dataReady(box) and not self.dataReady("inbox"):
                        self.send(self.recv(box), "signal")
                        return
                if self.dataReady("inbox"):
                    self.waitSpace("outbox")
                self.pause()
                yield 1
        finally:
            if not bp.finished():
                bp.unsubscribe(self)
