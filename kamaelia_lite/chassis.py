"""Chassis: components that hold and wire other components.

- `Pipeline(a, b, c)`: a.outbox -> b.inbox -> c.inbox, signal -> control likewise; the
  pipeline's inbox/control feed the first child, the last child's outbox/signal leave by the
  pipeline's own. Finishes when every child has finished.
- `Graphline(linkages={...}, **children)`: any wiring; ("self", box) names the graphline's own
  boxes (created if new). Shutdown on an unwired control is passed to every child whose control
  nobody feeds; when all children finish, the graphline says producerFinished (or
  shutdownMicroprocess if it was told to stop) on its signal, unless a child feeds that box.
- `PAR(*children)`: children side by side; their outboxes/signals merge into the PAR's;
  shutdown goes to all; finishes when all have.
- `Carousel(factory, make1stRequest=False)`: one child at a time, made by factory(msg) for each
  message on "next"; when a child finishes, "NEXT" is sent on "requestNext".
- `Backplane(name)`, `PublishTo(name)`, `SubscribeTo(name)`: named publish/subscribe.
- `Supervisor(factory, ...)`: runs factory() and restarts it with back-off when it fails.

Everything here runs on MicroPython too (no typing imports at run time).
"""
from kamaelia_lite.flow import drained_then_stopped, passed_shutdown_on, take_ending
from microaxon import component, newComponent, now, producerFinished, shutdownMicroprocess


class _Container(component):
    """Common behaviour: activate children, forward control, finish when all children have."""

    def _wait_children(self, forward_to=None):
        """Yield until every child has finished, forwarding shutdowns from control.

        forward_to: list of (child, inboxname) that receive what arrives on our control.
        Returns True if a shutdownMicroprocess was seen."""
        stopped = False
        while not self.childrenDone():
            while self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, shutdownMicroprocess):
                    stopped = True
                if forward_to is not None:
                    for i in range(len(forward_to)):
                        self.send(msg, forward_to[i])
            self.pause()
            yield 1
        return stopped


class Pipeline(_Container):
    """Children in a row: each one's outbox feeds the next one's inbox (signal -> control too)."""

    def __init__(self, *components, **argd):
        super().__init__(**argd)
        self.components = list(components)
        if not components:
            raise ValueError("Pipeline needs at least one component")
        self.addChildren(*components)
        cs = self.components
        for i in range(len(cs) - 1):
            self.link((cs[i], "outbox"), (cs[i + 1], "inbox"))
            self.link((cs[i], "signal"), (cs[i + 1], "control"))
        self.link((self, "inbox"), (cs[0], "inbox"), passthrough=1)
        self.link((self, "control"), (cs[0], "control"), passthrough=1)
        self.link((cs[-1], "outbox"), (self, "outbox"), passthrough=2)
        self.link((cs[-1], "signal"), (self, "signal"), passthrough=2)

    def main(self):
        yield newComponent(*self.components)
        while not self.childrenDone():
            self.pause()
            yield 1


class Graphline(_Container):
    """Named children wired by a linkages dict {(src, outbox): (dst, inbox)}; "self" = me."""

    def __init__(self, linkages=None, **components):
        opts = {}
        children = {}
        for k in components:
            if isinstance(components[k], component):
                children[k] = components[k]
            else:
                opts[k] = components[k]
        super().__init__(**opts)
        self.linkages = linkages or {}
        self.components = children
        self.addChildren(*[children[k] for k in children])
        self._fed = {}                   # (child id, inbox) that some linkage feeds
        self._signal_fed = False
        self._control_fed = False
        for src in self.linkages:
            dst = self.linkages[src]
            self._wire(src, dst)

    def _who(self, name):
        if name in self.components:
            return self.components[name]
        return None                      # anything else means the graphline itself

    def _wire(self, src, dst):
        sname, sbox = src
        dname, dbox = dst
        sc = self._who(sname)
        dc = self._who(dname)
        if sc is None and dc is None:
            raise ValueError("Graphline linkage %r -> %r joins the graphline to itself" % (src, dst))
        if sc is None:                   # my inbox -> child's inbox
            if sbox not in self._ib:
                self.addInbox(sbox)
            if sbox == "control":
                self._control_fed = True
            self.link((self, sbox), (dc, dbox), passthrough=1)
            self._fed[(dc.id, dbox)] = True
        elif dc is None:                 # child's outbox -> my outbox
            if dbox not in self._dest:
                self.addOutbox(dbox)
            if dbox == "signal":
                self._signal_fed = True
            self.link((sc, sbox), (self, dbox), passthrough=2)
        else:
            self.link((sc, sbox), (dc, dbox))
            self._fed[(dc.id, dbox)] = True

    def main(self):
        kids = [self.components[k] for k in self.components]
        forward = []
        if not self._control_fed:        # pass shutdowns on to children nobody else stops
            for c in kids:
                if (c.id, "control") not in self._fed and "control" in c._ib:
                    box = self.addOutbox("_control_%d" % c.id)
                    self.link((self, box), (c, "control"))
                    forward.append(box)
        yield newComponent(*kids)
        stopped = yield from self._wait_children(forward)
        if not self._signal_fed:
            self.send(shutdownMicroprocess(self) if stopped else producerFinished(self), "signal")


class PAR(_Container):
    """Children in parallel; their outboxes and signals merge into mine; shutdown goes to all."""

    def __init__(self, *components, **argd):
        super().__init__(**argd)
        self.components = list(components)
        self.addChildren(*components)
        self._forward = []
        for c in components:
            self.link((c, "outbox"), (self, "outbox"), passthrough=2)
            box = self.addOutbox("_control_%d" % c.id)
            self.link((self, box), (c, "control"))
            self._forward.append(box)
            c._par_signal = self.addInbox("_signal_%d" % c.id)
            self.link((c, "signal"), (self, c._par_signal))

    def main(self):
        yield newComponent(*self.components)
        stopped = yield from self._wait_children(self._forward)
        for c in self.components:       # children's own shutdown messages: seen, not repeated
            while self.dataReady(c._par_signal):
                if isinstance(self.recv(c._par_signal), shutdownMicroprocess):
                    stopped = True
        self.send(shutdownMicroprocess(self) if stopped else producerFinished(self), "signal")


class Carousel(component):
    """One child at a time, made by componentFactory(msg) for each message on "next"."""

    Inboxes = {"inbox": "passed to the child", "next": "arguments for the next child",
               "control": "shutdown", "_childsignal": "the child's signal"}
    Outboxes = {"outbox": "the child's output", "signal": "shutdown",
                "requestNext": "'NEXT' when the child has finished", "_childcontrol": "to child"}

    def __init__(self, componentFactory, make1stRequest=False, **argd):
        super().__init__(**argd)
        self.factory = componentFactory
        self.make1stRequest = make1stRequest
        self.child = None

    def _start(self, args):
        c = self.factory(args)
        self.child = c
        self.addChildren(c)
        self.link((self, "inbox"), (c, "inbox"), passthrough=1)
        self.link((c, "outbox"), (self, "outbox"), passthrough=2)
        self.link((self, "_childcontrol"), (c, "control"))
        self.link((c, "signal"), (self, "_childsignal"))
        c.activate(self._sched)

    def _retire(self):
        c = self.child
        self.child = None
        self.removeChild(c)
        while self.dataReady("_childsignal"):
            self.recv("_childsignal")

    def main(self):
        if self.make1stRequest:
            self.send("NEXT", "requestNext")
        ending = None                    # the shutdown message we were given, if any
        asked = False                    # the current child has been asked to stop
        while True:
            if self.child is not None and self.child.finished():
                self._retire()
                asked = False
                if ending is None and not self.dataReady("next"):
                    self.send("NEXT", "requestNext")
            ending = take_ending(self, ending)
            if self.child is None:
                if self.dataReady("next") and not isinstance(ending, shutdownMicroprocess):
                    self._start(self.recv("next"))
                    continue
                if drained_then_stopped(self, ending, True):
                    return
            elif not asked:
                if self.dataReady("next") and not isinstance(ending, shutdownMicroprocess):
                    self.send(shutdownMicroprocess(self), "_childcontrol")   # replace it
                    asked = True
                elif ending is not None:
                    self.send(ending, "_childcontrol")
                    asked = True
            self.pause()
            yield 1



# -- publish / subscribe -----------------------------------------------------------------------
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
    private box."""

    Outboxes = {"outbox": "unused", "signal": "shutdown", "_bp": "to the backplane"}

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
            while self.dataReady("inbox") and self.hasSpace("_bp") > 0:
                self.send(self.recv("inbox"), "_bp")
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                return
            if self.dataReady("inbox"):
                self.waitSpace("_bp")
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


# -- supervision -------------------------------------------------------------------------------
class Supervisor(component):
    """Runs factory() as its child; if the child fails, restarts it after a back-off.

    Back-off doubles from `initial_backoff` up to `max_backoff` seconds and resets after the child
    has run `reset_after` seconds without failing. After `max_restarts` failures within one such
    run of bad luck, the supervisor gives up: it reports on "signal" and finishes. A child that
    finishes normally ends the supervisor too. Shutdown on control goes to the child.
    Each restart is announced on "outbox" as ("restarted", count, child name, exception)."""

    Inboxes = {"inbox": "passed to the child", "control": "shutdown", "_childsignal": "child's signal"}
    Outboxes = {"outbox": "the child's output and restart notices", "signal": "shutdown",
                "_childcontrol": "to the child"}
    initial_backoff = 0.1
    max_backoff = 30.0
    reset_after = 60.0
    max_restarts = 10

    def __init__(self, factory, **argd):
        super().__init__(**argd)
        self.factory = factory
        self.restarts = 0

    def _start(self):
        c = self.factory()
        self.child = c
        self.addChildren(c)
        self.link((self, "inbox"), (c, "inbox"), passthrough=1)
        self.link((c, "outbox"), (self, "outbox"), passthrough=2)
        self.link((self, "_childcontrol"), (c, "control"))
        self.link((c, "signal"), (self, "_childsignal"))
        c.activate(self._sched)
        self.started = now()

    def main(self):
        backoff = self.initial_backoff
        failures = 0
        ending = None
        self._start()
        while True:
            if ending is None:
                ending = take_ending(self)
                if ending is not None:
                    self.send(ending, "_childcontrol")
            if self.child.finished():
                c = self.child
                self.removeChild(c)
                while self.dataReady("_childsignal"):
                    self.recv("_childsignal")
                if c.failure is None or ending is not None:
                    self.send(ending or producerFinished(self), "signal")
                    return
                if now() - self.started > self.reset_after:
                    failures = 0
                    backoff = self.initial_backoff
                failures += 1
                if failures > self.max_restarts:
                    self.send(shutdownMicroprocess(self), "signal")
                    return
                self.restarts += 1
                until = now() + backoff
                while now() < until and ending is None:
                    self.pause(until - now())
                    yield 1
                    ending = take_ending(self, ending)
                if drained_then_stopped(self, ending, True):
                    return
                backoff = min(backoff * 2, self.max_backoff)
                self._start()
                self.send(("restarted", self.restarts, self.child.name, c.failure), "outbox")
            self.pause()
            yield 1
