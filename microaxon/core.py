# microaxon core: components, ring boxes, links, shutdown messages, timers, I/O waits, a scheduler.
#
# One file, importing only what MicroPython also has. Read top to bottom:
#   1. platform   - clock, poller, wake-up channel (the only place platforms differ)
#   2. messages   - ipc, producerFinished, shutdownMicroprocess, newComponent
#   3. boxes      - Box (a bounded ring: collections.deque), overflow policies, BoxFull
#   4. component  - the Axon-style API: dataReady/recv/send/pause/link/...
#   5. scheduler  - run queue, timer heap, one poller, failure and deadlock reporting
#
# Hot path rule: a message hop (send -> recv) allocates nothing and touches only the
# destination box and, if it sleeps, the receiving component.
import heapq
import select
import sys
from collections import deque

MPY = sys.implementation.name == "micropython"

# ---------------------------------------------------------------------------------------------
# 1. Platform
# ---------------------------------------------------------------------------------------------
if MPY:
    import time as _time

    _clk = [0.0, _time.ticks_ms()]

    def now():
        """Monotonic seconds. ticks_ms wraps (2**30 ms); accumulate differences so it never does."""
        t = _time.ticks_ms()
        _clk[0] += _time.ticks_diff(t, _clk[1]) / 1000
        _clk[1] = t
        return _clk[0]

    def _newq(cap):
        return deque((), cap, 1)         # C ring, preallocated, raises IndexError when full

    def _format_exc(exc):
        import io
        s = io.StringIO()
        sys.print_exception(exc, s)
        return s.getvalue()
else:
    import os
    import time as _time

    now = _time.monotonic

    def _newq(cap):
        return deque()                   # length checked by send; freed blocks are reused (no alloc)

    def _format_exc(exc):
        import traceback
        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

_boxmode = [0, None]       # mode and limit of new boxes (compat mode makes them "grow")
# CPython: a box's ring is made with its first message. Until then it shares _NOQ (empty, never
# appended to: its cap is 0, so send() takes the slow path, which makes the ring). An unused
# inbox (most control inboxes) then costs ~100 bytes instead of ~860. MicroPython preallocates
# every ring when the box is made: memory is known up front and never fails later.
_LAZY = not MPY
_NOQ = deque((), 1) if MPY else deque()
DEFAULT_CAPACITY = 16 if MPY else 64   # slots in an inbox unless the component says otherwise
CONTROL_CAPACITY = 8       # the "control" inbox carries only shutdown signals
NEVER = 1e300              # "no deadline"
_IN = getattr(select, "POLLIN", 1)
_OUT = getattr(select, "POLLOUT", 4)


def _fd(f):
    if MPY:
        return f                         # MicroPython's poll registers and returns the object
    return f if isinstance(f, int) else f.fileno()


class _PollPoller:
    """select.poll: MicroPython, macOS, any Linux. Masks use POLLIN/POLLOUT."""

    def __init__(self):
        self.p = select.poll()

    def set(self, key, old, new):
        if new == 0:
            self.p.unregister(key)
        elif old == 0:
            self.p.register(key, new)
        else:
            self.p.modify(key, new)

    def wait(self, timeout):             # seconds, or None for ever; returns [(key, mask), ...]
        if timeout is None:
            ms = -1
        else:
            ms = int(timeout * 1000 + 0.999)
        return [(e[0], e[1]) for e in self.p.poll(ms)]


class _EpollPoller(_PollPoller):
    """select.epoll on Linux CPython: O(ready) per wait, for servers with many connections."""

    def __init__(self):
        self.p = select.epoll()

    def wait(self, timeout):
        return self.p.poll(-1 if timeout is None else max(timeout, 0.0))


class _SelectPoller:
    """select.select: Windows (sockets only). Also forceable on Linux to test this path."""

    def __init__(self):
        self.masks = {}

    def set(self, key, old, new):
        if new:
            self.masks[key] = new
        else:
            del self.masks[key]

    def wait(self, timeout):
        r = [k for k in self.masks if self.masks[k] & _IN]
        w = [k for k in self.masks if self.masks[k] & _OUT]
        if not r and not w:
            _time.sleep(timeout if timeout is not None else 3600)   # select([],[],[]) fails on Windows
            return []
        r, w, x = select.select(r, w, [], timeout)
        return [(k, _IN) for k in r] + [(k, _OUT) for k in w]


def _choose_poller():
    """The one place the poller is chosen. MICROAXON_POLLER=epoll|poll|select forces one."""
    force = None
    if not MPY:
        force = os.environ.get("MICROAXON_POLLER")
    if force == "select":
        return _SelectPoller()
    if force != "poll" and hasattr(select, "epoll"):
        return _EpollPoller()
    if hasattr(select, "poll"):
        return _PollPoller()
    return _SelectPoller()


# ---------------------------------------------------------------------------------------------
# 2. Messages (Axon's Ipc names)
# ---------------------------------------------------------------------------------------------
class ipc:
    """Base class of the runtime's control messages."""


class shutdown(ipc):
    """Base of the two shutdown messages."""


class producerFinished(shutdown):
    """Sent on signal by a producer that has sent everything: finish once your inbox is drained."""

    def __init__(self, caller=None, message=None):
        self.caller = caller
        self.message = message


class shutdownMicroprocess(shutdown):
    """Stop now."""

    def __init__(self, *microprocesses):
        self.microprocesses = microprocesses


class newComponent(ipc):
    """Yield one from main() to activate the given components (Axon idiom)."""

    def __init__(self, *components):
        self.components = components


class noSpaceInBox(Exception):
    """Axon's name for a send to a full box."""


class BoxFull(noSpaceInBox):
    """send() found the destination box full. Names the box and its capacity."""

    def __init__(self, box, size=0):
        super().__init__("box %s is full (capacity %d)" % (box.label(), box.size))
        self.box = box


class BoxNotFound(KeyError):
    """A box name the component does not have."""


class BoxAlreadyLinked(Exception):
    """An outbox links to one destination only: unlink it first."""


# ---------------------------------------------------------------------------------------------
# 3. Boxes
# ---------------------------------------------------------------------------------------------
class Box:
    """An inbox: a bounded ring (deque) owned by one component.

    mode 0: full -> BoxFull.  mode "lossy": full -> drop the oldest (live media).
    mode "grow": full -> capacity doubles up to `limit`, then BoxFull (Kamaelia compatibility).

    ``size`` is the capacity; ``cap`` is the bound send() checks: ``size`` once the ring exists,
    0 before (see _LAZY)."""

    __slots__ = ("q", "cap", "size", "owner", "p", "name", "mode", "limit", "spacewait", "drops",
                 "fwd", "back", "delivered")

    def __init__(self, owner, name, cap):
        if _LAZY:
            self.q = _NOQ
            self.cap = 0
        else:
            self.q = _newq(cap)
            self.cap = cap
        self.size = cap
        self.owner = owner
        self.p = owner._p                # the owner's runtime record (send wakes it)
        self.name = name
        self.mode = _boxmode[0]
        self.limit = cap if not _boxmode[0] else _boxmode[1]
        if not MPY:                      # (MicroPython: class defaults until first set)
            self.spacewait = None        # who waits for room here: a component, or a list of them
            self.drops = 0
            self.delivered = 0           # counted only while countMessages(True) is in force
            self.fwd = None              # passthrough=1: this inbox forwards to a child's inbox
            self.back = None             # what forwards/links into it: an endpoint, or a list

    if MPY:                              # a small heap: rarely set fields stay out of the
        spacewait = fwd = back = None    # instance's dict until they are set
        drops = delivered = 0

    def label(self):
        return "%s.%s" % (self.owner.name if self.owner else "?", self.name)

    def _ring(self):
        """Make the ring (the first message is arriving)."""
        if self.q is _NOQ:
            self.q = _newq(self.size)
            self.cap = self.size

    def overflow(self, sender, boxname, msg):
        """send() slow path: the ring is full or not made yet (or this is the unlinked sink)."""
        if self.q is _NOQ:
            self._ring()
        if len(self.q) < self.cap:
            pass
        elif self.mode == "lossy":
            self.q.popleft()
            self.drops += 1
        elif self.mode == "grow" and self.cap < self.limit:
            self.setcap(min(self.cap * 2, self.limit))
        else:
            raise BoxFull(self)
        self.q.append(msg)
        if self.p._sleep:
            self.owner._wakeup()

    def setcap(self, cap):
        if MPY:                          # a MicroPython deque cannot grow: move into a larger one
            old = self.q
            self.q = _newq(cap)
            while old:
                self.q.append(old.popleft())
        self.size = cap
        if self.q is not _NOQ:
            self.cap = cap

    def space(self):
        if self.mode:
            return 1 << 30 if self.mode == "lossy" else self.limit - len(self.q)
        return self.size - len(self.q)

    def _freed(self):
        """Room appeared: wake the components that wait for it."""
        w = self.spacewait
        self.spacewait = None
        if w.__class__ is list:
            for c in w:
                if c._p._sleep:
                    c._wakeup()
        elif w._p._sleep:
            w._wakeup()


class _Sink:
    """Destination of an unlinked outbox: drops every message, counting it per (component, box)."""

    cap = 0
    size = 0
    mode = "sink"                        # not 0: hasSpace asks space() (room without end)
    owner = None
    p = None
    spacewait = None

    def __init__(self):
        self.q = ()

    def overflow(self, sender, boxname, msg):
        d = sender._drops
        if d is None:
            d = sender._drops = {}
        d[boxname] = d.get(boxname, 0) + 1

    def space(self):
        return 1 << 30

    def label(self):
        return "(unlinked)"


_SINK = _Sink()


class _Outbox:
    """Link bookkeeping for an outbox: where it points (fwd) and who forwards into it (back)."""

    __slots__ = ("owner", "name", "fwd", "back")

    def __init__(self, owner, name):
        self.owner = owner
        self.name = name
        self.fwd = None
        self.back = None


class linkage:
    """One link, as returned by link(); pass it to unlink()."""

    __slots__ = ("maker", "src", "dst", "passthrough")

    def __init__(self, maker, src, dst, passthrough):
        self.maker = maker
        self.src = src                   # _Outbox, or Box (passthrough=1)
        self.dst = dst                   # Box, or _Outbox (passthrough=2)
        self.passthrough = passthrough

    def __repr__(self):
        return "<linkage %s.%s -> %s.%s>" % (self.src.owner.name, self.src.name,
                                             self.dst.owner.name, self.dst.name)


def _resolve(ep):
    """Follow forwards to the terminal inbox a message sent at `ep` lands in (or the sink)."""
    n = 0
    while ep.fwd is not None:
        ep = ep.fwd
        n += 1
        if n > 1000:
            raise ValueError("link cycle through %s.%s" % (ep.owner.name, ep.name))
    return ep if isinstance(ep, Box) else _SINK


def _retarget(ep, seen=None):
    """Recompute the cached destination of every outbox whose chain passes through `ep`."""
    if seen is None:
        seen = {}
    if id(ep) in seen:
        return
    seen[id(ep)] = 1
    if isinstance(ep, _Outbox) and ep.owner._ob.get(ep.name) is ep:
        ep.owner._dest[ep.name] = _resolve(ep)
    b = ep.back
    if b.__class__ is list:
        for x in b:
            _retarget(x, seen)
    elif b is not None:
        _retarget(b, seen)


def _drop_link(lk):
    src = lk.src
    dst = lk.dst
    if src.fwd is dst:
        src.fwd = None
        back = dst.back
        if back is src:
            dst.back = None
        elif back.__class__ is list and src in back:
            back.remove(src)
        if src.back is None and src.__class__ is _Outbox:   # only this outbox's route changes
            o = src.owner
            if o._ob.get(src.name) is src:
                o._dest[src.name] = _SINK
        else:
            _retarget(src)
    for c in (lk.maker, src.owner, dst.owner):
        links = c._links
        if lk in links:
            del links[lk]


# ---------------------------------------------------------------------------------------------
# 4. Components
# ---------------------------------------------------------------------------------------------
_RUN, _PAUSING, _ASLEEP = 0, 1, 2        # _Proc._sleep
_NEW, _LIVE, _DONE = 0, 1, 2             # _Proc._life
_ids = [0]
_plans = {}                              # component class -> its boxes, worked out once (_plan)


def _init_proc(p, c):
    p._c = c
    p._sched = None
    p._gen = None
    p._sleep = _RUN
    p._queued = False
    p._life = _NEW
    p._spacew = None                     # boxes whose room it waits for
    p._tseq = 0                          # current timer's sequence number (0: none)
    p._steps = 0


def _wake(p):
    """A message arrived (or a wait fired) for a component (its record p) that paused."""
    if p._sleep == _ASLEEP and p._life == _LIVE and not p._queued:
        p._queued = True                 # (send() and _io_poll() have copies: the hot paths)
        s = p._sched
        if s._running is None:
            s._runq.append(p)
        else:                            # woken by the running component: it runs next
            q = s._next
            s._next = p
            if q is not None:
                s._runq.append(q)
    p._sleep = _RUN
    p._spacew = None
    p._tseq = 0                          # a pending timer no longer applies


if not MPY:
    class _Proc:
        """The runtime's record of one component (``component._p``): generator and scheduling
        state. The scheduler's hot paths handle components of many classes. CPython specialises
        attribute access per class, so reading state off the components themselves falls back to
        the generic lookup at every such site (~140 instructions each, ~40% of a ping-pong
        between two classes); reading it off records of this one class keeps every site
        specialised. MicroPython does not specialise: there a component is its own record
        (``_p is self``), with no extra object."""

        __slots__ = ("_c", "_sched", "_gen", "_sleep", "_queued", "_life", "_iof", "_iom", "_io",
                     "_spacew", "_tseq", "_iowaits", "_regf", "_regm", "_steps")
        _wake = _wake

        def __init__(self, c):
            _init_proc(self, c)
            self._iof = None             # the first I/O wait asked for in this step (mask: _iom)
            self._iom = 0
            self._io = None              # further I/O waits asked for in this step: [(file, mask)]
            self._iowaits = None         # the I/O waits it sleeps on: {key: mask}
            self._regf = None            # the one file object registered, if just one (fast path)
            self._regm = 0


class component:
    """A component: a main() generator that talks only through named inboxes and outboxes."""

    Inboxes = {"inbox": "messages to process", "control": "shutdown signals"}
    Outboxes = {"outbox": "results", "signal": "shutdown signals"}
    Capacities = {}
    # The runtime's own per-component state lives in slots (made with the object, no dict to
    # grow) and in its _Proc record. A subclass's attributes go in __dict__.
    __slots__ = ("__dict__", "__weakref__", "id", "_p", "_sched", "_links", "_ib", "_ob",
                 "_dest")
    failure = None                       # the exception it failed with, if it failed
    _name = None                         # set name; else "Class#id", made when first asked for
    _parent = None
    _children = ()                       # a list once it has children
    _pidx = 0                            # where it is in its parent's _children
    _drops = None                        # {outbox: messages dropped as unlinked}, made on the first
    _iofail = None                       # (rarely needed state lives here until first set)
    _onfinish = None

    def __init__(self, *args, **argd):
        for k in argd:
            setattr(self, k, argd[k])
        _ids[0] += 1
        self.id = _ids[0]
        if MPY:
            self._p = self               # its own record (see _Proc)
            _init_proc(self, self)
        else:
            self._p = _Proc(self)
        self._sched = None               # the scheduler it runs in, once activated
        self._links = {}                 # linkages touching this component (a set: {lk: True})
        self._ib = {}                    # inbox name -> Box
        self._ob = {}                    # outbox name -> _Outbox (made when linked)
        self._dest = {}                  # outbox name -> Box it delivers to, or _SINK
        ins = self.Inboxes
        outs = self.Outboxes
        plan = _plans.get(self.__class__)
        if plan is None or plan[0] is not ins or plan[1] is not outs or plan[2] is not self.Capacities:
            plan = self._plan()
        ib = self._ib
        for n, cap in plan[3]:
            ib[n] = Box(self, n, cap)
        dest = self._dest
        for n in plan[4]:
            dest[n] = _SINK

    def _plan(self):
        """The class's boxes worked out once: (Inboxes, Outboxes, Capacities, [(inbox, capacity)],
        [outbox]). Kept per class; made afresh if an instance brings boxes of its own."""
        caps = self.Capacities
        inboxes = []
        for n in self.Inboxes:
            cap = caps.get(n)
            if cap is None:
                cap = CONTROL_CAPACITY if n == "control" else DEFAULT_CAPACITY
            inboxes.append((n, cap))
        plan = (self.Inboxes, self.Outboxes, caps, inboxes, list(self.Outboxes))
        _plans[self.__class__] = plan
        return plan

    @property
    def name(self):
        n = self._name
        if n is None:
            n = self._name = "%s#%d" % (self.__class__.__name__, self.id)
        return n

    @name.setter
    def name(self, value):
        self._name = value

    def __repr__(self):
        return "<%s>" % self.name

    # -- boxes -----------------------------------------------------------------------------
    def addInbox(self, name, capacity=None):
        name = self._freename(name, self._ib)
        if capacity is None:
            capacity = self.Capacities.get(name)
            if capacity is None:
                capacity = CONTROL_CAPACITY if name == "control" else DEFAULT_CAPACITY
        self._ib[name] = Box(self, name, capacity)
        return name

    def addOutbox(self, name):
        name = self._freename(name, self._dest)
        self._dest[name] = _SINK
        return name

    def deleteInbox(self, name):
        b = self._box(name)
        for lk in list(self._links):
            if lk.src is b or lk.dst is b:
                self.unlink(thelinkage=lk)
        del self._ib[name]

    def deleteOutbox(self, name):
        if name not in self._dest:
            raise BoxNotFound("%s has no outbox %r" % (self.name, name)) from None
        ep = self._ob.get(name)
        for lk in list(self._links):
            if ep is not None and (lk.src is ep or lk.dst is ep):
                self.unlink(thelinkage=lk)
        del self._dest[name]
        if name in self._ob:
            del self._ob[name]

    def _freename(self, name, taken):
        if name not in taken:
            return name
        if not hasattr(self, "_suffix"):     # a counter per component: O(1) even for many boxes
            self._suffix = 0
        base = name
        while name in taken:
            self._suffix += 1
            name = "%s%d" % (base, self._suffix)
        return name

    def _box(self, name):
        try:
            return self._ib[name]
        except KeyError:
            raise BoxNotFound("%s has no inbox %r" % (self.name, name)) from None

    def _outbox(self, name):
        ep = self._ob.get(name)
        if ep is None:
            if name not in self._dest:
                raise BoxNotFound("%s has no outbox %r" % (self.name, name)) from None
            ep = self._ob[name] = _Outbox(self, name)
        return ep

    # -- the per-message API (hot path: keep these short) ----------------------------------
    def dataReady(self, box="inbox"):
        try:
            return len(self._ib[box].q)
        except KeyError:
            raise BoxNotFound("%s has no inbox %r" % (self.name, box)) from None

    def recv(self, box="inbox"):
        try:
            b = self._ib[box]
        except KeyError:
            raise BoxNotFound("%s has no inbox %r" % (self.name, box)) from None
        if b.spacewait:
            b._freed()
        return b.q.popleft()

    def send(self, msg, box="outbox"):
        try:
            d = self._dest[box]
        except KeyError:
            raise BoxNotFound("%s has no outbox %r" % (self.name, box)) from None
        q = d.q
        if len(q) < d.cap:
            q.append(msg)
            o = d.p
            if o._sleep:                 # _wake(o), inlined: this is the hot path
                if o._sleep == _ASLEEP and o._life == _LIVE and not o._queued:
                    o._queued = True
                    s = o._sched
                    if s._running is None:
                        s._runq.append(o)
                    else:                # woken by the running component: it runs next
                        p = s._next
                        s._next = o
                        if p is not None:
                            s._runq.append(p)
                o._sleep = _RUN
                o._spacew = None
                o._tseq = 0
        else:
            d.overflow(self, box, msg)

    def _send_counting(self, msg, box="outbox"):
        d = self._dest.get(box)
        if d is not None and d is not _SINK:
            d.delivered += 1
        component._send_plain(self, msg, box)

    def anyReady(self):
        ib = self._ib
        for k in ib:
            if ib[k].q:
                return True
        return False

    def getInbox(self, box="inbox"):
        """The Box behind an inbox, for loops that look at it on every step: ``len(b.q)`` is
        ``dataReady(box)`` without a method call. Read ``q`` only, and afresh each time (on CPython
        the ring is made when the first message arrives); take messages with recv()."""
        return self._box(box)

    def Inbox(self, box="inbox"):
        b = self._box(box)
        while b.q:
            yield self.recv(box)

    def hasSpace(self, box="outbox"):
        try:
            d = self._dest[box]
            return d.space() if d.mode else d.size - len(d.q)
        except KeyError:
            raise BoxNotFound("%s has no outbox %r" % (self.name, box)) from None

    def drops(self):
        """{outbox: messages dropped because the outbox was unlinked}."""
        return dict(self._drops) if self._drops else {}

    # -- waiting ---------------------------------------------------------------------------
    def pause(self, timeout=None):
        """Sleep after the next yield until a message arrives, `timeout` passes, or a wait fires."""
        p = self._p
        if p._sleep == _RUN:
            p._sleep = _PAUSING
        if timeout is not None and p._sched is not None:
            p._sched._timer(p, timeout)

    def waitReadable(self, f):
        p = self._p
        if p._iof is None:               # the usual case, without a further call
            p._iof = f
            p._iom = _IN
        else:
            self._iowait(f, _IN)

    def waitWritable(self, f):
        p = self._p
        if p._iof is None:
            p._iof = f
            p._iom = _OUT
        else:
            self._iowait(f, _OUT)

    def _iowait(self, f, mask):
        p = self._p
        g = p._iof
        if g is None:
            p._iof = f
            p._iom = mask
        elif g is f:
            p._iom |= mask
        else:
            if p._io is None:
                p._io = []
            p._io.append((f, mask))

    def waitSpace(self, box="outbox"):
        d = self._dest[box]
        if d is _SINK:
            return
        # One waiter per box and one box per waiter is the usual case: keep plain references
        # then, so waiting for room allocates nothing; lists only when several are involved.
        w = d.spacewait
        if w is None:
            d.spacewait = self
        elif w is not self:
            if w.__class__ is list:
                if self not in w:
                    w.append(self)
            else:
                d.spacewait = [w, self]
        p = self._p
        sw = p._spacew
        if sw is None:
            p._spacew = d
        elif sw is not d:
            if sw.__class__ is list:
                sw.append(d)
            else:
                p._spacew = [sw, d]

    def _wakeup(self):
        """A message arrived (or a wait fired) for a component that paused. (A subclass may
        extend it; the scheduler's slow paths call it, its hot paths inline _wake.)"""
        self._p._wake()

    def unpause(self):
        if self._p._sleep:
            self._wakeup()

    # -- structure -------------------------------------------------------------------------
    def link(self, source, sink, passthrough=0, mode=None, limit=None, **ignored):
        """Link (component, box) to (component, box). Returns a linkage for unlink()."""
        sc, sb = source
        dc, db = sink
        if passthrough == 1:             # my inbox -> a child's inbox
            src = sc._box(sb)
            dst = dc._box(db)
        elif passthrough == 2:           # a child's outbox -> my outbox
            src = sc._outbox(sb)
            dst = dc._outbox(db)
        else:
            src = sc._ob.get(sb)
            if src is None:
                src = sc._outbox(sb)
            dst = dc._ib.get(db)
            if dst is None:
                dst = dc._box(db)
        if src.fwd is not None:
            raise BoxAlreadyLinked("%s.%s is already linked" % (sc.name, sb))
        if mode is not None and isinstance(dst, Box):
            dst.mode = mode
            dst.limit = limit if limit is not None else (dst.size * 1000 if mode == "grow" else dst.size)
        src.fwd = dst
        b = dst.back                     # one sender is the usual case: no list for it
        if b is None:
            dst.back = src
        elif b.__class__ is list:
            b.append(src)
        else:
            dst.back = [b, src]
        lk = linkage(self, src, dst, passthrough)
        self._links[lk] = True
        sc._links[lk] = True
        dc._links[lk] = True
        if passthrough == 1:             # messages already waiting in my inbox move on too
            if src.q:
                dst._ring()
            while src.q and len(dst.q) < dst.cap:
                dst.q.append(src.q.popleft())
        if passthrough == 0 and src.back is None:   # nothing forwards into src: only its route
            sc._dest[sb] = dst if dst.fwd is None else _resolve(src)
        else:
            _retarget(src)
        return lk

    def unlink(self, thecomponent=None, thelinkage=None):
        """Remove one linkage, or every linkage touching `thecomponent`."""
        if isinstance(thecomponent, linkage):
            thecomponent, thelinkage = None, thecomponent
        if thelinkage is not None:
            _drop_link(thelinkage)
            return
        target = thecomponent if thecomponent is not None else self
        for lk in list(target._links):
            _drop_link(lk)

    def addChildren(self, *children):
        for c in children:
            if c._parent is not self:
                if c._parent is not None:
                    c._parent.removeChild(c)
                kids = self._children
                if kids.__class__ is tuple:
                    kids = self._children = []
                c._parent = self
                c._pidx = len(kids)
                kids.append(c)

    def removeChild(self, child):
        if child._parent is self:        # O(1): the last child takes the removed one's place
            kids = self._children
            last = kids.pop()
            if last is not child:
                kids[child._pidx] = last
                last._pidx = child._pidx
            child._parent = None
            for lk in list(child._links):  # the child's links to me, or that I made for it
                if lk.maker is self or lk.src.owner is self or lk.dst.owner is self:
                    self.unlink(thelinkage=lk)

    def onFinish(self, fn):
        """Call ``fn(self)`` once, in the scheduler, when this component finishes (returns, raises
        or is stopped), after its links are gone; None removes it. One hook per component. Lets
        a parent with many children learn which one ended in O(1) (the wake-up it also gets
        does not say). An exception from ``fn`` is reported like a component's failure."""
        self._onfinish = fn

    def childComponents(self):
        return list(self._children)

    def childrenDone(self):
        for c in self._children:
            if c._p._life != _DONE:
                return False
        return True

    # -- life ------------------------------------------------------------------------------
    def main(self):
        """Override with a generator. The default runs Axon's old-style hooks:
        initialiseComponent(), then mainBody() until it returns a false value, then
        closeDownComponent()."""
        r = self.initialiseComponent()
        yield r or 1
        while True:
            r = self.mainBody()
            if not r:
                break
            yield r
        self.closeDownComponent()

    def activate(self, Scheduler=None, scheduler=None):
        s = scheduler or Scheduler or defaultScheduler()
        s._activate(self)
        return self

    def run(self, scheduler=None):
        s = scheduler or self._sched or defaultScheduler()
        if self._p._life == _NEW:
            self.activate(s)
        s.run()

    def stop(self):
        """Stop now: the generator is closed (its finally blocks run), links are torn down."""
        if self._sched is not None and self._p._life == _LIVE:
            self._sched._finish(self, None)

    def finished(self):
        return self._p._life == _DONE

    def _isStopped(self):
        return self._p._life == _DONE

    if MPY:                              # the component is its own record there (see _Proc)
        _wake = _wake
        _iof = _io = _iowaits = _regf = None   # a component that never waits on I/O keeps
        _iom = _regm = 0                       # these out of its (small-heap) instance dict

    def initialiseComponent(self):
        """Axon old-style hook (see main)."""

    def mainBody(self):
        """Axon old-style hook (see main): return a false value to finish."""
        return 0

    def closeDownComponent(self):
        """Axon old-style hook (see main)."""


# ---------------------------------------------------------------------------------------------
# 5. Scheduler
# ---------------------------------------------------------------------------------------------
class Scheduler:
    """Runs runnable components round-robin; sleeps in the poller when none is runnable."""

    def __init__(self):
        self._runq = deque((), 16) if MPY else deque()
        self._runcap = 16
        self._live = 0                   # components activated and not finished
        self._all = {}                   # id -> component (live ones)
        self._timers = []                # heap of (deadline, seq, _Proc)
        self._tseq = 0
        self._poller = None
        self._io = {}                    # key -> [file, registered mask, {_Proc: mask}]
        self._iodirty = []
        self._threads = 0                # live threads/injectors that may wake us
        self._inbound = deque((), 32) if MPY else deque()    # callFromThread queue
        self._wake_r = self._wake_w = None
        self._running = None             # _Proc of the component being stepped (run queue: _Procs)
        self._next = None                # woken by the running one: runs right after it
        self._stopping = False
        self.failures = []               # [(name, exception, traceback text)]
        self.onFailure = None
        self.deadlocked = None
        self.report = sys.stderr

    # -- run queue -------------------------------------------------------------------------
    def _activate(self, c):
        p = c._p
        if p._life != _NEW:
            return
        if self._live + 1 > self._runcap:
            self._growrunq()
        c._sched = p._sched = self
        p._life = _LIVE
        self._live += 1
        self._all[c.id] = c
        try:
            g = c.main()
            if not hasattr(g, "send"):
                raise TypeError("%s.main() must be a generator (it has no yield)" % c.name)
            p._gen = g
        except Exception as e:
            p._gen = None
            self._fail(c, e)
            return
        if not p._queued:
            p._queued = True
            self._runq.append(p)

    def _growrunq(self):
        while self._runcap < self._live + 1:
            self._runcap *= 2
        if MPY:
            old = self._runq
            self._runq = deque((), self._runcap)
            while old:
                self._runq.append(old.popleft())

    # -- timers ----------------------------------------------------------------------------
    def _timer(self, p, timeout):
        self._tseq += 1
        p._tseq = self._tseq
        heapq.heappush(self._timers, (now() + timeout, self._tseq, p))

    def _fire_timers(self, t):
        h = self._timers
        while h and h[0][0] <= t:
            d, seq, p = heapq.heappop(h)
            if p._tseq == seq:
                p._tseq = 0
                if p._sleep:
                    p._c._wakeup()

    # -- I/O -------------------------------------------------------------------------------
    def _io_settle(self, c, sleeping):
        """After a step: the I/O waits c (a _Proc) is registered for become the ones it asked for
        in the step if it sleeps, none if it does not. Sleeping again on the same single file
        object with the same mask (a connection waiting for its next request) keeps the
        registration as it is and costs nothing."""
        f = c._iof
        extra = c._io
        c._iof = None
        c._io = None
        if sleeping and f is not None and extra is None and f is c._regf and c._iom == c._regm:
            if MPY:
                return
            try:
                if f.fileno() >= 0:      # still open (else: re-register below, which reports it)
                    return
            except (OSError, ValueError):
                pass
        want = None
        files = None
        if sleeping and f is not None:
            want = {}
            files = {}
            waits = [(f, c._iom)]
            if extra is not None:
                waits.extend(extra)
            for g, mask in waits:
                try:
                    k = _fd(g)
                except (OSError, ValueError) as ex:      # closed already: wake at once
                    c._c._iofail = ex
                    c._c._wakeup()
                    continue
                want[k] = want.get(k, 0) | mask
                files[k] = g
        old = c._iowaits
        if old is not None:
            for k in old:
                if want is None or k not in want:
                    self._io_drop(c, k)
        c._regf = None
        c._iowaits = want if want else None
        if want:
            io = self._io
            for k in want:
                g = files[k]
                e = io.get(k)
                if e is None:
                    e = io[k] = [g, 0, {}]
                elif e[0] is not g and e[1] and not (g.__class__ is int and e[0] == g):
                    # Another file now has this descriptor number (the registered one was closed,
                    # which the poller forgot by itself): register afresh.
                    try:
                        self._poller.set(k, e[1], 0)
                    except (OSError, ValueError):
                        pass
                    e[0] = g
                    e[1] = 0
                e[2][c] = want[k]
                self._iodirty.append(k)
            if extra is None and (MPY or f.__class__ is not int):
                c._regf = f              # an int fd may be closed and reused unseen: no fast path
                c._regm = c._iom

    def _io_drop(self, c, k):
        e = self._io.get(k)
        if e is None or c not in e[2]:
            return
        del e[2][c]
        if e[2]:
            self._iodirty.append(k)
            return
        # Nobody waits on this file any more: unregister now, before its number can be reused
        # by a new file (epoll forgets a closed file by itself; the entry must go with it).
        del self._io[k]
        if e[1]:
            try:
                self._poller.set(k, e[1], 0)
            except (OSError, ValueError):
                pass

    def _io_sync(self):
        """Bring the poller in line with what is wanted; unchanged masks cost no system call."""
        if self._poller is None:
            self._poller = _choose_poller()
        for k in self._iodirty:
            e = self._io.get(k)
            if e is None:
                continue
            want = 0
            w = e[2]
            for c in w:
                want |= w[c]
            if want != e[1]:
                try:
                    self._poller.set(k, e[1], want)
                except (OSError, ValueError) as ex:      # closed file: wake the waiters to see it
                    for c in list(w):
                        c._c._iofail = ex
                        if c._sleep:
                            c._c._wakeup()
                    want = 0
                e[1] = want
            if want == 0:
                del self._io[k]
        self._iodirty = []

    def _io_poll(self, timeout):
        if self._iodirty:
            self._io_sync()
        if self._poller is None:
            self._poller = _choose_poller()
        try:
            events = self._poller.wait(timeout)
        except OSError as ex:            # EINTR
            if getattr(ex, "errno", 0) == 4:
                return
            raise
        for k, ev in events:
            if k == self._wake_key:
                self._drain_wake()
                continue
            e = self._io.get(k)
            if e is None:
                continue
            w = e[2]
            for c in w:                  # waking changes no registration: no copy needed
                if c._sleep and (w[c] & ev or ev & ~(_IN | _OUT)):   # error/hang-up wakes all
                    if c._sleep == _ASLEEP and c._life == _LIVE and not c._queued:
                        c._queued = True             # _wake(c), inlined (no one is running)
                        self._runq.append(c)
                    c._sleep = _RUN
                    c._spacew = None
                    c._tseq = 0

    # -- threads ---------------------------------------------------------------------------
    _wake_key = None

    def callFromThread(self, fn, *args):
        """Thread-safe: run fn(*args) in the scheduler's thread soon, waking it if it sleeps."""
        self._inbound.append((fn, args))
        w = self._wake_w
        if w is not None:
            try:
                w.send(b"x")
            except OSError:
                pass                     # buffer full: a wake-up is already pending

    def threadStarted(self):
        """A thread that may call callFromThread is alive: keeps run() from declaring deadlock.
        (Any thread may call callFromThread; this only says "wait for me".)"""
        self._ensure_wake()
        self._threads += 1

    def threadFinished(self):
        self.callFromThread(self._thread_gone)

    def _thread_gone(self):
        self._threads -= 1

    def _ensure_wake(self):
        if self._wake_r is not None:
            return
        import socket
        if hasattr(socket, "socketpair"):
            r, w = socket.socketpair()
        else:                            # MicroPython: a loopback UDP pair
            r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            r.bind(socket.getaddrinfo("127.0.0.1", 0)[0][-1])
            w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            w.connect(r.getsockname() if hasattr(r, "getsockname") else r)
        r.setblocking(False)
        w.setblocking(False)
        self._wake_r, self._wake_w = r, w
        self._wake_key = _fd(r)
        if self._poller is None:
            self._poller = _choose_poller()
        self._poller.set(self._wake_key, 0, _IN)

    def _drain_wake(self):
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass

    def _run_inbound(self):
        q = self._inbound
        while q:
            fn, args = q.popleft()
            try:
                fn(*args)
            except Exception as e:
                self._report("callFromThread(%r)" % (fn,), e)

    # -- stepping --------------------------------------------------------------------------
    def run(self):
        """Run until no component remains (or deadlock, or stop()). Ctrl-C closes everything."""
        try:
            self._loop()
        except BaseException:            # KeyboardInterrupt included: close every component
            self.stop()
            raise

    def _loop(self):
        self._stopping = False
        if not MPY:
            self._ensure_wake()          # any thread may callFromThread while we block
        polled = now()                   # when the poller was last asked
        while not self._stopping:
            n = len(self._runq)
            handoffs = 0
            while True:                  # one pass over what is runnable now
                # A component woken by the one that just ran runs next, up to twice in a row
                # (a request, its handler and its answer go out together; no one starves).
                c = self._next
                if c is not None:
                    self._next = None
                    if handoffs < 2:
                        handoffs += 1
                    else:
                        self._runq.append(c)
                        c = None
                if c is None:
                    if not n:
                        break
                    n -= 1
                    c = self._runq.popleft()
                    handoffs = 0
                c._queued = False        # c is a _Proc: see _Proc for why
                if c._life != _LIVE:
                    continue
                g = c._gen
                c._steps += 1
                self._running = c
                try:
                    r = next(g)
                    if r is not None and r.__class__ is newComponent:
                        for x in r.components:
                            x.activate(self)
                except StopIteration:
                    self._running = None
                    self._finish(c._c, None)
                    continue
                except Exception as e:
                    self._running = None
                    self._fail(c._c, e)
                    continue
                self._running = None
                if c._life != _LIVE:     # it stopped itself (or was stopped) during the step
                    self._close(c._c, g)
                    continue
                if c._sleep:             # c sleeps: settle its waits (common cases inline)
                    c._sleep = _ASLEEP
                    f = c._iof
                    if f is not None and f is c._regf and c._iom == c._regm and c._io is None \
                            and (MPY or f.fileno() >= 0):
                        c._iof = None    # the same wait as before: the registration stands
                    elif f is not None or c._iowaits is not None or c._io is not None:
                        self._io_settle(c, True)
                    if c._spacew is not None:
                        self._space_now(c)
                else:
                    c._queued = True
                    self._runq.append(c)
                    if c._iof is not None or c._iowaits is not None or c._io is not None:
                        self._io_settle(c, False)
                    c._spacew = None
            if self._inbound:
                self._run_inbound()
                if self._stopping:
                    return
            if self._iodirty:
                self._io_sync()
            io = self._io
            if self._runq:               # more to run: look at clocks, and at sockets in passing
                if self._timers or io:   # (those at most every 0.2 ms: a request and its answer
                    t = now()            # take a few short passes, and need no system call)
                    if self._timers:
                        self._fire_timers(t)
                    if io and t - polled >= 0.0002:
                        polled = t
                        self._io_poll(0)
                continue
            if self._live == 0:          # nothing runnable and nothing left: done
                return
            h = self._timers             # drop timers that no longer apply (woken early/finished)
            while h and h[0][2]._tseq != h[0][1]:
                heapq.heappop(h)
            if h:                        # nothing runnable: block until something can happen
                timeout = max(0.0, h[0][0] - now())
            elif io or self._threads or self._inbound:
                timeout = None
            else:
                self._deadlock()
                return
            if io or self._wake_r is not None:
                self._io_poll(timeout)
            else:
                _time.sleep(timeout)
            polled = now()
            if self._timers:
                self._fire_timers(polled)

    def _space_now(self, p):
        """p sleeps waiting for room: if the room is there already, do not sleep through it."""
        sw = p._spacew
        if sw is not None:
            if sw.__class__ is list:
                for b in sw:
                    if b.space() > 0:
                        p._c._wakeup()
                        break
            elif sw.space() > 0:
                p._c._wakeup()

    def _close(self, c, g):
        if g is not None:
            try:
                g.close()                # runs the component's finally blocks now
            except Exception as e:
                if c.failure is None:
                    c.failure = e
                    self._report(c.name, e)

    def _finish(self, c, exc):
        """c ended (returned, raised, or was stopped): close it and unhook it from the graph."""
        p = c._p
        if p._life != _LIVE:
            return
        p._life = _DONE
        self._live -= 1
        if c.id in self._all:
            del self._all[c.id]
        p._tseq = 0
        p._spacew = None
        if p._iof is not None or p._iowaits is not None or p._io is not None:
            self._io_settle(p, False)
        g = p._gen
        p._gen = None
        if p is not self._running:       # a running generator is closed by the loop after its step
            self._close(c, g)
        if exc is not None:
            try:
                if c._dest.get("signal", _SINK) is not _SINK:
                    c.send(shutdownMicroprocess(c), "signal")
            except Exception:
                pass                     # a full control box: the link teardown below still tells
            for ch in c._children:
                if ch._p._life == _LIVE:
                    self._finish(ch, None)
        c.unlink(c)
        for k in c._ib:                  # senders waiting for room in a dead box: let them see
            b = c._ib[k]
            if b.spacewait:
                b._freed()
        o = c._parent
        if o is not None and o._p._sleep:
            o._wakeup()
        fn = c._onfinish
        if fn is not None:
            c._onfinish = None
            try:
                fn(c)
            except Exception as e:       # the hook's failure is reported; the run goes on
                self._report("%s (onFinish hook)" % c.name, e)

    def _fail(self, c, e):
        c.failure = e
        self._report(c.name, e)
        c._p._gen = None                 # a generator that raised is already finished
        self._finish(c, e)

    def _report(self, who, e):
        try:
            tb = _format_exc(e)
        except Exception:
            tb = repr(e)
        self.failures.append((who, e, tb))
        if len(self.failures) > 100:
            self.failures.pop(0)
        if self.onFailure is not None:
            try:
                self.onFailure(who, e)
            except Exception:
                pass
        if self.report is not None:
            self.report.write("microaxon: component %s failed: %s: %s\n%s" % (
                who, e.__class__.__name__, e, tb))

    def _deadlock(self):
        names = []
        for k in self._all:
            c = self._all[k]
            if c._p._life == _LIVE:
                names.append(c.name)
        names.sort()
        self.deadlocked = names
        if self.report is not None:
            self.report.write("microaxon: deadlock: every component is paused with nothing that "
                              "could wake it: %s\n" % ", ".join(names))

    def stop(self):
        """Close every component now (finally blocks run, newest first) and make run() return."""
        self._stopping = True
        cs = [self._all[k] for k in self._all]
        cs.sort(key=lambda c: -c.id)
        for c in cs:
            self._finish(c, None)

    # -- introspection ---------------------------------------------------------------------
    def components(self):
        return [self._all[k] for k in self._all]

    def snapshot(self):
        """The live graph: one dict per component. Cheap: no message is touched."""
        out = []
        for k in self._all:
            c = self._all[k]
            p = c._p
            if p._life != _LIVE:
                continue
            if p._sleep != _ASLEEP:
                state = "running"
            elif p._iowaits:
                state = "io"
            elif p._spacew:
                state = "space"
            elif p._tseq:
                state = "timer"
            else:
                state = "paused"
            ib = {}
            for n in c._ib:
                b = c._ib[n]
                ib[n] = [len(b.q), b.size, b.delivered]
            ob = {}
            for n in c._dest:
                d = c._dest[n]
                if d is _SINK:
                    ob[n] = [None, None, (c._drops or {}).get(n, 0)]
                else:
                    ob[n] = [d.owner.id, d.name, (c._drops or {}).get(n, 0)]
            out.append({"id": c.id, "name": c.name,
                        "parent": c._parent.id if c._parent is not None else None,
                        "state": state, "steps": p._steps, "inboxes": ib, "outboxes": ob,
                        "children": [x.id for x in c._children]})
        return out


component._send_plain = component.send


def setDefaultBoxMode(mode, limit=None):
    """Mode of boxes made from now on: 0 (bounded, BoxFull), "grow" (up to limit) or "lossy"."""
    _boxmode[0] = mode
    _boxmode[1] = limit


def countMessages(on=True):
    """Count messages per inbox (snapshot's "delivered") for introspection tools. Off by default:
    it swaps in a send() that counts, so the normal hop pays nothing for it."""
    component.send = component._send_counting if on else component._send_plain


_default = [None]


def defaultScheduler():
    """The process-wide scheduler used when none is given."""
    if _default[0] is None:
        _default[0] = Scheduler()
    return _default[0]
