"""`Graphline(linkages={...}, **children)`: named children wired any way."""
from kamaelia_lite.chassis.container import _Container
from microaxon import component, newComponent, producerFinished, shutdownMicroprocess


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
