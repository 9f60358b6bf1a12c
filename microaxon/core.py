# microaxon kernel, part 1: components, ring boxes, links and shutdown messages.
#
# `import microaxon` loads two kernel files, each small enough to compile from its .py source
# inside a 64 KiB heap: this one (read top to bottom: 1. platform, 2. messages, 3. boxes and
# links, 4. components) and scheduler.py (passes, timers, failures, deadlock reports).
# docs/design.md gives the rules and their reasons. Every def, class and name costs heap on a
# device, so what many programs never call lives in modules that add their methods to these
# classes when first asked for (see _more): lifetime.py (children, onFinish, run, stop),
# iowait.py (waits on files and sockets, the poller), threadcalls.py (the cross-thread wake)
# and more.py; the exceptions (errors.py) load when first raised.
# Hot path: a hop (send -> recv) allocates nothing and touches only the destination box and,
# if it sleeps, the receiving component.
import sys
from heapq import heapify, heappush

# -- 1. platform: one module per platform, chosen once, with the same names ---------------------
if sys.implementation.name == "micropython":
    from microaxon import _device as _p
else:
    from microaxon import _desktop as _p
now = _p.now                             # monotonic seconds
const = _p.const                         # MicroPython's compile-time constants (CPython: identity)
DEFAULT_CAPACITY = _p.DEFAULT_CAPACITY   # slots in an inbox unless the component says otherwise
CONTROL_CAPACITY = 8                     # the "control" inbox carries only shutdown signals
# A component's _st: not activated, finished, runnable (queued or running), running and asked
# to pause, asleep. Only an asleep one is out of the run queue; a wake puts it back once.
_NEW = const(0)
_DONE = const(1)
_RUN = const(2)
_PAUSE = const(3)
_SLEEP = const(4)


# -- 2. messages (Axon's Ipc names; its errors are in errors.py) -------------------------
class ipc:
    # Base class of the runtime's control messages.
    pass


class shutdown(ipc):
    # Base of the two shutdown messages.
    pass


class producerFinished(shutdown):
    # Sent on signal by a producer that has sent everything: finish once your inbox is drained.

    def __init__(self, caller=None, message=None):
        self.caller = caller
        self.message = message


class shutdownMicroprocess(shutdown):
    # Stop now.

    def __init__(self, *microprocesses):
        self.microprocesses = microprocesses


class newComponent(ipc):
    # Yield one from main() to activate the given components (Axon idiom).

    def __init__(self, *components):
        self.components = components


def _nobox(c, type, name):              # (type: "inbox" or "outbox")
    from microaxon.errors import BoxNotFound  # (errors load when first raised)
    return BoxNotFound("%s has no %s %r" % (c.name, type, name))


# -- 3. boxes and links ------------------------------------------------------------------------
class Box:
    # An inbox: a bounded ring owned by one component. ``q`` is the ring, made with the first
    # message (read it afresh: a growing box gets a bigger one); ``cap`` the capacity, negative
    # until the ring is made (so send() takes the slow path). mode 0: full -> BoxFull;
    # "lossy": drop the oldest; "grow": double up to ``limit``.

    mode = limit = drops = 0             # rarely set: class defaults until set (the defaults of
                                         # new boxes: more.setDefaultBoxMode)
    q = _p.ring(0)                       # the shared empty ring, until the first message
    spacewait = None                     # who waits for room: a component or a list of them

    def __init__(self, owner, cap):
        self.owner = owner
        self.cap = -cap

    def overflow(self, c, box, msg):
        # send()'s slow path: the ring is full or not made yet, or this is the unlinked sink.
        o = self.owner
        if o is None:                    # the sink: count the drop per (sender c, outbox)
            if c._drops is None:
                c._drops = {}
            c._drops[box] = c._drops.get(box, 0) + 1
            return
        if self.cap < 0:                 # (the ring first: if memory runs out, the box stays
            self.q = _p.ring(-self.cap)  # as it was)
            self.cap = -self.cap
        q = self.q
        if len(q) >= self.cap:
            if self.mode == "lossy":
                try:
                    q.popleft()
                    self.drops += 1
                except IndexError:       # (a thread's recv took them since the look)
                    pass
            elif self.mode == "grow" and self.cap < self.limit:
                n = min(self.cap * 2, self.limit)
                r = _p.ring(n, q)        # (the ring first, as above) CPython: q itself, which
                self.cap = n             # has no bound, so a thread's recv holding it never
                if r is not q:           # finds it empty; a device: a new ring, filled in order
                    self.q = r
                    while q:
                        r.append(q.popleft())
            else:                        # (errors.py: loaded when first needed)
                from microaxon.errors import full
                raise full(self)
        self.q.append(msg)
        _wake(o)

    def space(self):
        if self.owner is None or self.mode == "lossy":
            return 1 << 30
        return (self.limit if self.mode else abs(self.cap)) - len(self.q)


_SINK = Box(None, 0)                     # where an unlinked outbox delivers: nowhere, counted


def _freed(box):
    # Room appeared in the box: wake who waits for it.
    w = box.spacewait
    box.spacewait = None
    if w.__class__ is list:              # (no tuple for the usual single waiter: a hop
        for c in w:                      # allocates nothing)
            _wake(c)
    else:
        _wake(w)


# A link is a tuple (maker, source component, source box, sink component, sink box, passthrough)
# kept in the _links list of each component it names. passthrough 0: outbox -> inbox,
# 1: inbox -> inbox (a parent's to a child's), 2: outbox -> outbox (a child's to a parent's).
# An outbox's _dest entry is the inbox its chain of links ends in (or _SINK): send() reads it.
def _last(c, box, inbox):
    # The last link of the chain of links leaving `box` of c (inbox: it is an inbox), or None if
    # no link leaves it. A box has at most one link leaving it and link() refuses a loop, so
    # every chain ends. (Allocates nothing: it also runs when a component's links are torn down
    # after memory ran out.)
    lk = None
    while True:
        for x in c._links or ():
            if x[1] is c and x[2] == box and (x[5] == 1) == inbox:   # the link leaving it
                lk = x
                c, box, inbox = x[3], x[4], x[5] != 2
                break
        else:
            return lk


def _retarget(c, n, inbox):
    # Recompute where each outbox delivers whose chain of links passes through box (c, n)
    # (an inbox, or an outbox): forwards along the chain from each, found backwards from here.
    if not inbox and n in c._dest:
        lk = _last(c, n, False)          # (a chain ending in an outbox delivers nowhere)
        d = c._dest[n]
        c._dest[n] = lk[3]._ib.get(lk[4], _SINK) if lk is not None and lk[5] != 2 else _SINK
        if d.spacewait is not None and d is not c._dest[n]:    # who waits for room in the box
            _freed(d)                    # it delivered to looks again: it may have room now
    for lk in c._links or ():
        if lk[3] is c and lk[4] == n and (lk[5] != 2) == inbox:       # a link arriving here
            _retarget(lk[1], lk[2], lk[5] == 1)


def _unlink(link):
    for i in 0, 1, 3:                    # (its maker, source and sink; a constant: no allocation)
        c = link[i]
        if c._links and link in c._links:
            c._links.remove(link)
    _retarget(link[1], link[2], link[5] == 1)


# -- 4. components -----------------------------------------------------------------------------


def _wake(c):
    # The one wake rule: a message arrived (or a wait fired) for c. Asleep, it goes back in the
    # run queue (right after the running component, if that woke it); asked to pause in this
    # step, it no longer does. (Its waits end with it: a timer counts only for the pause that set
    # it, see pause(); room and I/O waits are settled after each step.)
    st = c._st
    if st < _PAUSE:
        return
    c._st = _RUN
    if st == _SLEEP:
        s = c._sched
        if s._running is not None:       # woken by the running component: runs right after it
            c, s._next = s._next, c
            if c is None:
                return
        _push(s, c)


def _push(s, c):
    # The run queue is a list threaded through the components (c._rq: the next one), so it
    # never grows and queueing allocates nothing. A component is in it at most once.
    c._rq = None
    if s._tail is None:
        s._head = c
    else:
        s._tail._rq = c
    s._tail = c


def _more(self, name):
    # On MicroPython, __getattr__ of components and schedulers (microaxon/__init__.py sets it),
    # so called only for names not found: a component's "name" until one is set, and the
    # methods kept in microaxon.iowait, microaxon.threadcalls, microaxon.lifetime and microaxon.more,
    # which add themselves to these classes when imported. (CPython imports them at once: there
    # a __getattr__ hook would slow down every attribute read.)
    k = name
    if k == "name":
        return "%s#%d" % (self.__class__.__name__, self.id)
    if k[0] != "_":
        if k in ("waitReadable", "waitWritable"):
            import microaxon.iowait  # noqa: F401
        elif k in ("callFromThread", "threadStarted", "threadFinished"):
            import microaxon.threadcalls  # noqa: F401
        else:
            import microaxon.lifetime  # noqa: F401
            if not hasattr(self.__class__, k):
                import microaxon.more  # noqa: F401
        if hasattr(self.__class__, k):
            return getattr(self, k)
    raise AttributeError("%r object has no attribute %r" % (self.__class__.__name__, k))


class component:
    # A component: a main() generator that talks only through named inboxes and outboxes.

    Inboxes = {"inbox": "messages to process", "control": "shutdown signals"}
    Outboxes = {"outbox": "results out", "signal": "shutdown signals"}
    Capacities = {}
    failure = None                       # the exception it failed with, if it failed
    _st = _NEW
    _sched = _gen = _parent = _drops = _fin = _links = _rq = _iof = _iow = None
    _children = ()                       # a list once it has children
    id = 0

    def __init__(self, *args, **argd):
        c = self.__class__               # an option must be a class attribute (its default)
        for k in argd:
            if not (hasattr(c, k) or k == "name" or getattr(c, "anyKeywords", 0)):
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (c.__name__, k))
            setattr(self, k, argd[k])
        component.id += 1                # (the class's id: the last one given)
        self.id = component.id
        self._st = _NEW                  # what activation sets, made now: a running system
        self._steps = 0                  # grows no instance record (see docs/design.md)
        self._sched = self._gen = self._rq = self._w = None   # (_w: waits to settle after a step)
        self._ib = {}                    # inbox name -> Box
        self._dest = {}                  # outbox name -> the Box it delivers to, or _SINK
        for n in self.Inboxes:
            self._ib[n] = Box(self, self.Capacities.get(n, CONTROL_CAPACITY if n == "control"
                                                        else DEFAULT_CAPACITY))
        for n in self.Outboxes:
            self._dest[n] = _SINK

    def __repr__(self):
        return "<%s>" % self.name

    # -- the per-message API (the hot path: keep these short) ----------------------------------
    def dataReady(self, box="inbox"):
        try:
            return len(self._ib[box].q)
        except KeyError:
            raise _nobox(self, "inbox", box) from None

    def recv(self, box="inbox"):
        try:
            b = self._ib[box]
        except KeyError:
            raise _nobox(self, "inbox", box) from None
        m = b.q.popleft()
        if b.spacewait is not None:
            _freed(b)
        return m

    def send(self, msg, box="outbox"):
        try:
            d = self._dest[box]
        except KeyError:
            raise _nobox(self, "outbox", box) from None
        q = d.q
        if len(q) < d.cap:
            q.append(msg)
            if d.owner._st > _RUN:
                _wake(d.owner)
        else:
            d.overflow(self, box, msg)

    def anyReady(self):
        for k in self._ib:
            if self._ib[k].q:
                return True
        return False

    def hasSpace(self, box="outbox"):
        try:
            return self._dest[box].space()
        except KeyError:
            raise _nobox(self, "outbox", box) from None

    # -- waiting (one-shot: any wake ends the whole wait) --------------------------------------
    def pause(self, timeout=None):
        # Sleep after the next yield until a message arrives, `timeout` passes, or a wait fires.
        if self._st == _RUN:
            self._st = _PAUSE
        # A timer entry (deadline, seq, component, its step count) applies while the component
        # has taken no further step: it ends with the sleep it was set for, and the component
        # carries no field for it.
        s = self._sched
        if timeout is not None and s is not None:
            s._tseq += 1                 # (seq: a unique tie-break, so entries never compare
            h = s._timers                # components)
            if len(h) > 2 * len(s._all) + 16:   # entries of sleeps that ended early stay in
                h[:] = [x for x in h if x[2]._steps == x[3] and x[2]._st > _DONE]   # the heap
                heapify(h)               # until due: swept when they outnumber the components
            heappush(h, (now() + timeout, s._tseq, self, self._steps))

    def waitSpace(self, box="outbox", taken=False):
        # The next pause also ends when the destination of `box` has room (at once if it has
        # some now); taken=True: when its owner next takes a message, room or not (a sender
        # holding back for its own reasons, e.g. a byte budget, sleeps until then).
        try:
            d = self._dest[box]
        except KeyError:
            raise _nobox(self, "outbox", box) from None
        if d is not _SINK:               # (the sink of unlinked outboxes keeps no waiters:
            w = d.spacewait              # nothing is taken from it, it always has room)
            if w is None:                # one waiter, one box: plain references, no list
                d.spacewait = self
            elif w is not self:
                if w.__class__ is not list:
                    w = d.spacewait = [w]
                if self not in w:
                    w.append(self)
        if taken:
            return                       # (the box keeps the wait until a take: _freed)
        w = self._w                      # what the next settle looks at: None, True (files
        if w is None or w is True:       # only), a box or a list of boxes
            self._w = d
        elif w is not d:
            if w.__class__ is not list:
                w = self._w = [w]
            w.append(d)

    # -- structure -----------------------------------------------------------------------------
    def link(self, source, sink, passthrough=0, mode=None, limit=None):
        # Link (component, box) to (component, box); returns a linkage for unlink().
        # passthrough=1: my inbox -> a child's inbox; 2: a child's outbox -> my outbox.
        sc, sb = source
        dc, db = sink
        if sb not in (sc._ib if passthrough == 1 else sc._dest):
            raise _nobox(sc, "inbox" if passthrough == 1 else "outbox", sb)
        if db not in (dc._dest if passthrough == 2 else dc._ib):
            raise _nobox(dc, "outbox" if passthrough == 2 else "inbox", db)
        i = passthrough == 1             # (a refused link changes nothing)
        if _last(sc, sb, i) is not None:            # a link already leaves the source box
            from microaxon.errors import BoxAlreadyLinked
            raise BoxAlreadyLinked("%s.%s is already linked" % (sc.name, sb))
        e, m, k = dc, db, passthrough != 2          # where the chain from its sink ends: back
        lk = _last(e, m, k)                         # at its source would close a loop
        if lk is not None:
            e, m, k = lk[3], lk[4], lk[5] != 2
        if e is sc and m == sb and k == i:
            raise ValueError("link cycle through %s.%s" % (sc.name, sb))
        if passthrough != 2:
            d = dc._ib[db]
            if mode is not None:
                d.mode = mode
                d.limit = limit or abs(d.cap) * (1000 if mode == "grow" else 1)
        lk = (self, sc, sb, dc, db, passthrough)
        for c in self, sc, dc:
            if c._links is None:
                c._links = []
            if lk not in c._links:
                c._links.append(lk)
        if i:                            # messages already waiting in my inbox move on too
            q = sc._ib[sb].q
            while q and d.space() > 0:
                d.overflow(None, None, q.popleft())
        _retarget(sc, sb, i)
        return lk

    # -- life ----------------------------------------------------------------------------------
    def main(self):
        # Override with a generator. (microaxon.compat's component runs Axon's old hooks.)
        return
        yield

    def activate(self, Scheduler=None, scheduler=None):
        # Hand me to a scheduler (default: the process-wide one); I run from its next pass.
        s = scheduler or Scheduler
        if s is None:
            from microaxon.scheduler import defaultScheduler
            s = defaultScheduler()
        if self._st == _NEW:
            self._sched = s
            self._st = _RUN
            self._steps = 0              # steps taken (introspection; tests prove no busy-waits)
            s._all.append(self)
            try:
                self._gen = self.main()
                if not hasattr(self._gen, "send"):
                    raise TypeError("%s.main() must be a generator (it has no yield)" % self.name)
            except Exception as e:
                self._gen = None
                s._finish(self, e)
                return self
            _push(s, self)
        return self


linkage = tuple                          # what link() returns (a link is a tuple, see above)
