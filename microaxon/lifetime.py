"""A component's lifetime and family: its children, its end, running and stopping it.

Component methods, added to ``core.component`` when this module is imported: on a device when
a component is first asked for one of them (core._more), on CPython with microaxon.
(Portable: runs on MicroPython.)
"""
from microaxon.core import _unlink, component, const
from microaxon.scheduler import defaultScheduler

_NEW = const(0)                          # core.py's component states
_DONE = const(1)


def unlink(self, thecomponent=None, thelinkage=None):
    # Remove one linkage, or every linkage touching `thecomponent` (default: me).
    if thecomponent.__class__ is tuple:
        thelinkage = thecomponent
    for lk in [thelinkage] if thelinkage else list((thecomponent or self)._links or ()):
        _unlink(lk)


def addChildren(self, *children):
    # Make these components my children (a child has one parent).
    for c in children:
        if c._parent is not self:
            if c._parent is not None:
                c._parent.removeChild(c)
            if self._children.__class__ is tuple:
                self._children = []
            c._parent = self
            c._pidx = len(self._children)
            self._children.append(c)


def removeChild(self, child):
    # Forget a child, and its links to me or made by me for it.
    if child._parent is self:        # O(1): the last child takes the removed one's place
        last = self._children.pop()
        if last is not child:
            self._children[child._pidx] = last
            last._pidx = child._pidx
        child._parent = None
        for lk in list(child._links or ()):
            if self in lk:
                _unlink(lk)


def childComponents(self):
    return list(self._children)


def childrenDone(self):
    for c in self._children:
        if c._st != _DONE:
            return False
    return True


def onFinish(self, fn):
    # Call ``fn(self)`` once, in the scheduler, when this component finishes (returns, raises or
    # is stopped), after its links are gone; None removes it. A watched component's failure is
    # the watcher's to handle.
    self._fin = fn


def run(self, scheduler=None):
    # Activate (if not yet) and run the scheduler until no component remains.
    s = scheduler or self._sched or defaultScheduler()
    if self._st == _NEW:
        self.activate(s)
    s.run()


def stop(self):
    # Stop now: the generator is closed (its finally blocks run), links are torn down.
    if self._st > _DONE:
        self._sched._finish(self, None)


def finished(self):
    return self._st == _DONE


for _f in (unlink, addChildren, removeChild, childComponents, childrenDone, onFinish, run, stop,
           finished):
    setattr(component, _f.__name__, _f)
