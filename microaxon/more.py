"""Rarely used component methods, loaded on first use.

microaxon.core keeps only what most components call; a component asked for one of the names
below (``c.addOutbox(...)``) imports this module, which adds them all to ``core.component``.
A device that never uses them never pays the heap for them. (Portable: runs on MicroPython.)
"""
from microaxon import core
from microaxon.core import _SINK, CONTROL_CAPACITY, DEFAULT_CAPACITY, Box, _nobox, _unlink, _wake


def _free(names, name):
    base, i = name, 0
    while name in names:
        i += 1
        name = "%s%d" % (base, i)
    return name


def addInbox(self, name, capacity=None):
    """A new inbox (Axon's AdaptiveComms); a suffix makes the name free. Returns it."""
    name = _free(self._ib, name)
    if capacity is None:
        capacity = self.Capacities.get(name, CONTROL_CAPACITY if name == "control"
                                       else DEFAULT_CAPACITY)
    self._ib[name] = Box(self, capacity)
    return name


def addOutbox(self, name):
    """A new outbox, unlinked; a suffix makes the name free. Returns it."""
    name = _free(self._dest, name)
    self._dest[name] = _SINK
    return name


def _drop(self, name, inbox):
    for lk in list(self._links or ()):
        if (lk[1] is self and lk[2] == name and (lk[5] == 1) == inbox) or \
                (lk[3] is self and lk[4] == name and (lk[5] != 2) == inbox):
            _unlink(lk)


def deleteInbox(self, name):
    """Remove an inbox and the links to and from it."""
    self._box(name)
    _drop(self, name, True)
    del self._ib[name]


def deleteOutbox(self, name):
    """Remove an outbox and the links to and from it."""
    if name not in self._dest:
        raise _nobox(self, "outbox", name)
    _drop(self, name, False)
    del self._dest[name]


def _box(self, name):
    try:
        return self._ib[name]
    except KeyError:
        raise _nobox(self, "inbox", name) from None


def getInbox(self, box="inbox"):
    """The Box behind an inbox: ``len(b.q)`` is ``dataReady(box)`` without a call (read ``q``
    afresh each time; take messages with recv())."""
    return self._box(box)


def drops(self):
    """{outbox: messages dropped because the outbox was unlinked}."""
    return dict(self._drops or {})


def unpause(self):
    """Wake this component, as a message would."""
    _wake(self)


def Inbox(self, box="inbox"):
    """A generator draining the box."""
    b = self._box(box)
    while b.q:
        yield self.recv(box)


if not core._p.LAZY:              # CPython: no __getattr__ hook answers "name" (core._more does
    core.component._name = None    # on MicroPython, where a property cannot be added to a class
    core.component.name = core._p.name_property()   # that is already subclassed)
for _f in (addInbox, addOutbox, deleteInbox, deleteOutbox, getInbox, drops, unpause, Inbox,
           _box):
    setattr(core.component, _f.__name__, _f)


def setDefaultBoxMode(mode, limit=None):
    """Mode of boxes made from now on: 0 (bounded, BoxFull), "grow" (up to limit) or "lossy"."""
    Box.mode = mode
    Box.limit = limit or 0
