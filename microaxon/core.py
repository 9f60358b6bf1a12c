# microaxon kernel: components, ring boxes, links, shutdown messages, timers, I/O waits, a scheduler.
#
# Read top to bottom: 1. platform (the only place platforms differ), 2. messages, 3. boxes and
# links, 4. the component API, 5. the scheduler. docs/design.md gives the rules and their reasons.
# Introspection, message counting, Axon's old hooks, threads and the desktop pollers live in
# modules loaded only when imported: every def, class and name here costs heap on a device.
# Hot path: a hop (send -> recv) allocates nothing and touches only the destination box and,
# if it sleeps, the receiving component.
import sys
from heapq import heappop, heappush

# -- 1. platform: one module per platform, chosen once, with the same names ---------------------
if sys.implementation.name == "micropython":
    from microaxon import _device as _p
else:
    from microaxon import _desktop as _p
now = _p.now                             # monotonic seconds
DEFAULT_CAPACITY = _p.DEFAULT_CAPACITY   # slots in an inbox unless the component says otherwise
_ring, _fd, _tb, _newpoller = _p.ring, _p.fd, _p.format_exc, _p.poller
_LAZY, _EAGER = _p.LAZY, _p.EAGER_WAKE   # rings made with their first message; wake pair at run()
CONTROL_CAPACITY = 8                     # the "control" inbox carries only shutdown signals
_NOQ = _ring(0)                          # the shared empty ring of a box not made yet (_LAZY)
_boxmode = [0, None]                     # mode and limit of new boxes (compat makes them grow)
# A component's _st: not activated, finished, runnable (queued or running), running and asked
# to pause, asleep. Only an asleep one is out of the run queue; a wake puts it back once.
_NEW, _DONE, _RUN, _PAUSE, _SLEEP = 0, 1, 2, 3, 4


# -- 2. messages (Axon's Ipc names) ------------------------------------------------------------
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
    """send() found the destination box (``.box``) full; the message names it and its capacity."""


class BoxNotFound(KeyError):
    """A box name the component does not have."""


class BoxAlreadyLinked(Exception):
    """An outbox links to one destination only: unlink it first."""


class ComponentFailed(Exception):
    """run() stopped: components failed with no onFinish hook watching them. The message names
    each one and its exception; ``failures``: [(name, exception, traceback text)]."""


def _nobox(c, kind, name):
    return BoxNotFound("%s has no %s %r" % (c.name, kind, name))


# -- 3. boxes and links ------------------------------------------------------------------------
class Box:
    """An inbox: a bounded ring owned by one component. ``q`` is the ring (read it afresh: on
    CPython it is made with the first message, and a growing box gets a bigger one); ``size``
    the capacity; ``cap`` the bound send() checks (0 until the ring is made: the slow path).
    mode 0: full -> BoxFull; "lossy": drop the oldest; "grow": double up to ``limit``."""

    mode = limit = drops = 0             # rarely set: class defaults until set
    fwd = back = spacewait = None        # passthrough=1 forward; who links in; who waits for room

    def __init__(self, owner, cap):
        self.owner = owner
        self.size = self.cap = cap
        if _LAZY:
            self.q = _NOQ
            self.cap = 0
            self.spacewait = None        # (CPython reads instance fields faster on the hot path)
        else:
            self.q = _ring(cap)
        if _boxmode[0]:
            self.mode, self.limit = _boxmode

    def overflow(self, sender, box, msg):
        """send()'s slow path: the ring is full or not made yet, or this is the unlinked sink."""
        o = self.owner
        if o is None:                    # the sink: count the drop per (sender, outbox)
            if sender._drops is None:
                sender._drops = {}
            sender._drops[box] = sender._drops.get(box, 0) + 1
            return
        if self.q is _NOQ:
            self.q = _ring(self.size)
            self.cap = self.size
        if len(self.q) >= self.cap:
            if self.mode == "lossy":
                self.q.popleft()
                self.drops += 1
            elif self.mode == "grow" and self.cap < self.limit:
                old = self.q
                self.size = self.cap = min(self.cap * 2, self.limit)
                self.q = _ring(self.cap)
                while old:
                    self.q.append(old.popleft())
            else:
                n = [k for k in o._ib if o._ib[k] is self]
                e = BoxFull("box %s.%s is full (capacity %d)" % (o.name, n[0] if n else "?",
                                                                  self.size))
                e.box = self
                raise e
        self.q.append(msg)
        _wake(o)

    def space(self):
        if self.owner is None or self.mode == "lossy":
            return 1 << 30
        return (self.limit if self.mode else self.size) - len(self.q)


_SINK = Box(None, 0)                     # where an unlinked outbox delivers: nowhere, counted
_SINK.q = ()


def _freed(b):
    """Room appeared in box b: wake who waits for it."""
    w = b.spacewait
    b.spacewait = None
    if w.__class__ is list:
        for c in w:
            _wake(c)
    else:
        _wake(w)


class _Outbox:
    """Link bookkeeping of an outbox: where it points (fwd), who forwards into it (back)."""

    fwd = back = None

    def __init__(self, owner, name):
        self.owner = owner
        self.name = name


class linkage:
    """One link, as returned by link(); pass it to unlink()."""

    def __init__(self, maker, src, dst, passthrough):
        self.maker = maker
        self.src = src                   # _Outbox, or Box (passthrough=1)
        self.dst = dst                   # Box, or _Outbox (passthrough=2)
        self.passthrough = passthrough


def _retarget(ep, seen):
    """Recompute the destination of every outbox whose chain of links passes through ep."""
    if id(ep) in seen:
        return
    seen[id(ep)] = 1
    o = ep.owner
    if ep.__class__ is _Outbox and o._ob.get(ep.name) is ep:
        d = ep
        n = 0
        while d.fwd is not None:         # follow forwards to the inbox a message lands in
            d = d.fwd
            n += 1
            if n > 1000:
                raise ValueError("link cycle through %s" % o.name)
        o._dest[ep.name] = d if d.__class__ is Box else _SINK
    b = ep.back
    for x in (b if b.__class__ is list else () if b is None else (b,)):
        _retarget(x, seen)


def _unlink(lk):
    src = lk.src
    dst = lk.dst
    if src.fwd is dst:
        src.fwd = None
        if dst.back is src:
            dst.back = None
        elif dst.back.__class__ is list and src in dst.back:
            dst.back.remove(src)
        _retarget(src, {})
    for c in (lk.maker, src.owner, dst.owner):
        if c._links and lk in c._links:
            del c._links[lk]


# -- 4. components -----------------------------------------------------------------------------
_ids = [0]
_plans = {}                              # class -> (Inboxes, Outboxes, Capacities, [(inbox, cap)])


def _wake(c):
    """The one wake rule: a message arrived (or a wait fired) for c. Asleep, it goes back in the
    run queue (right after the running component, if that woke it); asked to pause in this
    step, it no longer does. (Its waits end with it: a timer counts only for the pause that set
    it, see pause(); room waits are settled after each step.)"""
    st = c._st
    if st < _PAUSE:
        return
    if st == _SLEEP:
        s = c._sched
        if s._running is None:
            s._runq.append(c)
        else:                            # woken by the running component: runs right after it
            if s._next is not None:
                s._runq.append(s._next)
            s._next = c
    c._st = _RUN


class component:
    """A component: a main() generator that talks only through named inboxes and outboxes."""

    Inboxes = {"inbox": "messages to process", "control": "shutdown signals"}
    Outboxes = {"outbox": "results", "signal": "shutdown signals"}
    Capacities = {}
    failure = None                       # the exception it failed with, if it failed
    _st = _NEW
    _sched = _gen = _name = _parent = _drops = _onfinish = _links = _ob = None
    _children = ()                       # a list once it has children
    _pidx = _tseq = _iom = _regm = 0     # place among its parent's children; current timer
    _spacew = _iof = _io = _iowaits = _regf = None   # waits (see Scheduler._settle)

    def __init__(self, *args, **argd):
        for k in argd:
            setattr(self, k, argd[k])
        _ids[0] += 1
        self.id = _ids[0]
        self._w = False                  # has waits for the scheduler to settle after its step
        plan = _plans.get(self.__class__)
        if plan is None or plan[0] is not self.Inboxes or plan[1] is not self.Outboxes \
                or plan[2] is not self.Capacities:
            caps = self.Capacities
            plan = _plans[self.__class__] = (self.Inboxes, self.Outboxes, caps, [
                (n, caps.get(n, CONTROL_CAPACITY if n == "control" else DEFAULT_CAPACITY))
                for n in self.Inboxes])
        self._ib = {}                    # inbox name -> Box
        self._dest = {}                  # outbox name -> the Box it delivers to, or _SINK
        for n, cap in plan[3]:
            self._ib[n] = Box(self, cap)
        for n in self.Outboxes:
            self._dest[n] = _SINK

    @property
    def name(self):
        if self._name is None:
            self._name = "%s#%d" % (self.__class__.__name__, self.id)
        return self._name

    @name.setter
    def name(self, value):
        self._name = value

    def __repr__(self):
        return "<%s>" % self.name

    # -- boxes ---------------------------------------------------------------------------------
    def addInbox(self, name, capacity=None):
        """A new inbox (Axon's AdaptiveComms); a suffix makes the name free. Returns it."""
        base, i = name, 0
        while name in self._ib:
            i += 1
            name = "%s%d" % (base, i)
        if capacity is None:
            capacity = self.Capacities.get(name, CONTROL_CAPACITY if name == "control"
                                           else DEFAULT_CAPACITY)
        self._ib[name] = Box(self, capacity)
        return name

    def addOutbox(self, name):
        base, i = name, 0
        while name in self._dest:
            i += 1
            name = "%s%d" % (base, i)
        self._dest[name] = _SINK
        return name

    def deleteInbox(self, name):
        b = self._box(name)
        for lk in list(self._links or ()):
            if lk.src is b or lk.dst is b:
                _unlink(lk)
        del self._ib[name]

    def deleteOutbox(self, name):
        ep = self._outbox(name)
        for lk in list(self._links or ()):
            if lk.src is ep or lk.dst is ep:
                _unlink(lk)
        del self._ob[name]
        del self._dest[name]

    def _box(self, name):
        try:
            return self._ib[name]
        except KeyError:
            raise _nobox(self, "inbox", name) from None

    def _outbox(self, name):
        if name not in self._dest:
            raise _nobox(self, "outbox", name)
        if self._ob is None:
            self._ob = {}
        if name not in self._ob:
            self._ob[name] = _Outbox(self, name)
        return self._ob[name]

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

    def getInbox(self, box="inbox"):
        """The Box behind an inbox: ``len(b.q)`` is ``dataReady(box)`` without a call (read
        ``q`` afresh each time; take messages with recv())."""
        return self._box(box)

    def Inbox(self, box="inbox"):
        """A generator draining the box."""
        b = self._box(box)
        while b.q:
            yield self.recv(box)

    def hasSpace(self, box="outbox"):
        try:
            return self._dest[box].space()
        except KeyError:
            raise _nobox(self, "outbox", box) from None

    def drops(self):
        """{outbox: messages dropped because the outbox was unlinked}."""
        return dict(self._drops or {})

    # -- waiting (one-shot: any wake ends the whole wait) --------------------------------------
    def pause(self, timeout=None):
        """Sleep after the next yield until a message arrives, `timeout` passes, or a wait fires."""
        if self._st == _RUN:
            self._st = _PAUSE
        s = self._sched
        if timeout is None:
            if self._tseq:
                self._tseq = 0           # an earlier pause's timer no longer applies
        elif s is not None:
            s._tseq += 1
            self._tseq = s._tseq
            heappush(s._timers, (now() + timeout, s._tseq, self))

    def waitReadable(self, f, mask=1):
        """The next pause also ends when f (a file, socket or fd) is readable."""
        self._w = True
        if self._iof is None:
            self._iof = f
            self._iom = mask
        elif self._iof is f:
            self._iom |= mask
        else:
            if self._io is None:
                self._io = []
            self._io.append((f, mask))

    def waitWritable(self, f):
        """The next pause also ends when f is writable."""
        self.waitReadable(f, 4)

    def waitSpace(self, box="outbox"):
        """The next pause also ends when the destination of `box` has room."""
        d = self._dest[box]
        if d is _SINK:
            return
        w = d.spacewait                  # one waiter, one box: plain references, no list
        if w is None:
            d.spacewait = self
        elif w is not self:
            if w.__class__ is not list:
                w = d.spacewait = [w]
            if self not in w:
                w.append(self)
        sw = self._spacew
        if sw is None:
            self._spacew = d
        elif sw is not d:
            if sw.__class__ is not list:
                sw = self._spacew = [sw]
            sw.append(d)
        self._w = True

    def unpause(self):
        """Wake this component, as a message would."""
        _wake(self)

    # -- structure -----------------------------------------------------------------------------
    def link(self, source, sink, passthrough=0, mode=None, limit=None, **ignored):
        """Link (component, box) to (component, box); returns a linkage for unlink().
        passthrough=1: my inbox -> a child's inbox; 2: a child's outbox -> my outbox."""
        sc, sb = source
        dc, db = sink
        src = sc._box(sb) if passthrough == 1 else sc._outbox(sb)
        dst = dc._outbox(db) if passthrough == 2 else dc._box(db)
        if src.fwd is not None:
            raise BoxAlreadyLinked("%s.%s is already linked" % (sc.name, sb))
        if mode is not None and dst.__class__ is Box:
            dst.mode = mode
            dst.limit = limit if limit is not None else dst.size * (1000 if mode == "grow" else 1)
        src.fwd = dst
        b = dst.back                     # one sender is the usual case: no list for it
        if b.__class__ is list:
            b.append(src)
        else:
            dst.back = src if b is None else [b, src]
        lk = linkage(self, src, dst, passthrough)
        for c in (self, sc, dc):
            if c._links is None:
                c._links = {}            # used as a set: {linkage: True}
            c._links[lk] = True
        if passthrough == 1:             # messages already waiting in my inbox move on too
            while src.q and dst.space() > 0:
                dst.overflow(None, None, src.q.popleft())
        _retarget(src, {})
        return lk

    def unlink(self, thecomponent=None, thelinkage=None):
        """Remove one linkage, or every linkage touching `thecomponent` (default: me)."""
        if thecomponent.__class__ is linkage:
            thelinkage = thecomponent
        for lk in [thelinkage] if thelinkage else list((thecomponent or self)._links or ()):
            _unlink(lk)

    def addChildren(self, *children):
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
        if child._parent is self:        # O(1): the last child takes the removed one's place
            last = self._children.pop()
            if last is not child:
                self._children[child._pidx] = last
                last._pidx = child._pidx
            child._parent = None
            for lk in list(child._links or ()):   # the child's links to me, or made for it
                if lk.maker is self or lk.src.owner is self or lk.dst.owner is self:
                    _unlink(lk)

    def childComponents(self):
        return list(self._children)

    def childrenDone(self):
        for c in self._children:
            if c._st != _DONE:
                return False
        return True

    def onFinish(self, fn):
        """Call ``fn(self)`` once, in the scheduler, when this component finishes (returns,
        raises or is stopped), after its links are gone; None removes it."""
        self._onfinish = fn

    # -- life ----------------------------------------------------------------------------------
    def main(self):
        """Override with a generator. (microaxon.compat's component runs Axon's old hooks.)"""
        return
        yield

    def activate(self, Scheduler=None, scheduler=None):
        (scheduler or Scheduler or defaultScheduler())._activate(self)
        return self

    def run(self, scheduler=None):
        """Activate (if not yet) and run the scheduler until no component remains."""
        s = scheduler or self._sched or defaultScheduler()
        if self._st == _NEW:
            self.activate(s)
        s.run()

    def stop(self):
        """Stop now: the generator is closed (its finally blocks run), links are torn down."""
        if self._st > _DONE:
            self._sched._finish(self, None)

    def finished(self):
        return self._st == _DONE


# -- 5. the scheduler --------------------------------------------------------------------------
class Scheduler:
    """Runs runnable components in passes; blocks in the poller when none is runnable."""

    _wr = _ww = _wkey = _poller = onFailure = deadlocked = None

    def __init__(self):
        self._cap = 16
        self._runq = _ring(16)
        self._live = 0                   # components activated and not finished
        self._all = {}                   # id -> live component
        self._timers = []                # heap of (deadline, seq, component)
        self._tseq = 0
        self._io = {}                    # poll key -> [file, registered mask, {component: mask}]
        self._dirty = []                 # keys whose wanted mask may have changed
        self._threads = 0                # threads that said they may wake us
        self._inbound = _ring(16)        # callFromThread: (fn, args) (CPython: unbounded)
        self._running = self._next = None   # the component being stepped; the one it woke
        self._stopping = False
        self.failures = []               # [(name, exception, traceback text)], the last 100
        self._bad = []                   # failures nobody watched: run() stops and raises them
        self.report = sys.stderr

    def _activate(self, c):
        if c._st != _NEW:
            return
        if 2 * self._live + 2 > self._cap:   # room for every live one and some finished ones
            self._cap *= 2                     # still queued (a MicroPython ring cannot grow)
            old = self._runq
            self._runq = _ring(self._cap)
            while old:
                self._runq.append(old.popleft())
        c._sched = self
        c._st = _RUN
        c._steps = 0
        self._live += 1
        self._all[c.id] = c
        try:
            c._gen = c.main()
            if not hasattr(c._gen, "send"):
                raise TypeError("%s.main() must be a generator (it has no yield)" % c.name)
        except Exception as e:
            c._gen = None
            self._finish(c, e)
            return
        self._runq.append(c)

    def components(self):
        """The live components (the reader microaxon.introspect builds snapshots from)."""
        return [self._all[k] for k in self._all]

    # -- waits ---------------------------------------------------------------------------------
    def _settle(self, c, sleeping):
        """After c's step: its registered I/O waits become those it asked for in the step if it
        sleeps, none otherwise. Sleeping again on the same single file object with the same mask
        keeps the registration (no system call). A closed file wakes its waiter at once, who sees
        the error when it uses the file. Room it waits for that is there already wakes it."""
        sw = c._spacew
        if sw is not None:               # (the boxes keep the wait: see waitSpace/_freed)
            c._spacew = None
            if not sleeping:
                pass
            elif sw.__class__ is not list:
                if sw.space() > 0:
                    _wake(c)
            else:
                for b in sw:
                    if b.space() > 0:
                        _wake(c)
                        break
        f, extra = c._iof, c._io
        if f is None and extra is None and c._iowaits is None:
            c._w = False
            return                       # no I/O waits (nothing allocated: see mp_core_heap_locked)
        c._iof = c._io = None
        if sleeping and f is not None and extra is None and f is c._regf and c._iom == c._regm:
            try:
                _fd(f)
                return                   # the registration stands
            except (OSError, ValueError):
                pass
        want = {}
        for g, m in ([(f, c._iom)] + (extra or [])) if sleeping and f is not None else ():
            try:
                k = _fd(g)
            except (OSError, ValueError):
                _wake(c)                 # closed already: wake now
                continue
            want[k] = (g, want[k][1] | m) if k in want else (g, m)
        for k in c._iowaits or ():
            e = self._io.get(k)
            if k not in want and e is not None and c in e[2]:
                del e[2][c]
                self._dirty.append(k)    # unregistered at the sync if nobody waits any more
        c._iowaits = want or None
        c._regf = f if want and extra is None and f.__class__ is not int else None
        c._regm = c._iom                 # (an int fd may be closed and reused unseen: no fast path)
        c._w = c._iowaits is not None
        for k in want:
            g, m = want[k]
            e = self._io.get(k)
            if e is None:
                e = self._io[k] = [g, 0, {}]
            elif e[0] is not g and e[1] and not (g.__class__ is int and e[0] == g):
                # Another file has this descriptor number now (the registered one was closed,
                # which the poller forgot by itself): register afresh.
                self._reg(k, 0)
                e[0] = g
                e[1] = 0
            e[2][c] = m
            self._dirty.append(k)

    def _reg(self, k, m):
        if self._poller is None:
            self._poller = _newpoller()
        try:
            if m:
                self._poller.register(k, m)
            else:
                self._poller.unregister(k)
            return True
        except (OSError, ValueError, KeyError):
            return False

    def _poll(self, timeout):
        for k in self._dirty:            # the poller in line with what is wanted: unchanged
            e = self._io.get(k)          # masks cost no system call
            if e is None:
                continue
            w = e[2]
            m = 0
            for c in w:
                m |= w[c]
            if m != e[1] and not self._reg(k, m) and m:
                for c in w:              # a closed file: wake its waiters to see it
                    _wake(c)
                m = 0
            e[1] = m
            if not m:                    # nobody waits: forget it before its number is reused
                del self._io[k]
        self._dirty = []
        ms = -1 if timeout is None else int(timeout * 1000)   # whole ms, rounded down: a timer
        if ms == 0:                                           # is never slept past, and the
            if timeout > 0:                                   # last fraction is slept (not
                _p.sleep(timeout)                             # spun) without looking at I/O
            if not self._io:
                return
        if self._poller is None:
            self._poller = _newpoller()
        try:
            evs = self._poller.poll(ms)
        except OSError as ex:
            if ex.args and ex.args[0] == 4:  # EINTR
                return
            raise
        for x in evs:
            if x[0] == self._wkey:
                try:
                    while self._wr.recv(64):
                        pass
                except OSError:
                    pass
            elif x[0] in self._io:
                w = self._io[x[0]][2]
                for c in w:              # error/hang-up (not IN or OUT) wakes every waiter
                    if w[c] & x[1] or x[1] & ~5:
                        _wake(c)

    # -- threads -------------------------------------------------------------------------------
    def callFromThread(self, fn, *args):
        """Thread-safe: run fn(*args) in the scheduler's thread soon, waking it if it sleeps."""
        self._inbound.append((fn, args))
        if self._ww is not None:
            try:
                self._ww.send(b"x")
            except OSError:
                pass                     # buffer full: a wake-up is pending already

    def threadStarted(self):
        """A thread that may call callFromThread is alive: no deadlock is declared meanwhile."""
        self._threads += 1
        if self._wr is None:             # the wake-up pair: a thread writes, the poller wakes
            import socket
            if hasattr(socket, "socketpair"):
                r, w = socket.socketpair()
            else:                        # MicroPython: a loopback UDP pair
                r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                r.bind(socket.getaddrinfo("127.0.0.1", 0)[0][-1])
                w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                w.connect(r.getsockname() if hasattr(r, "getsockname") else r)
            r.setblocking(False)
            w.setblocking(False)
            self._wr, self._ww = r, w
            self._wkey = _fd(r)
            self._reg(self._wkey, 1)

    def threadFinished(self):
        self.callFromThread(None)        # the loop counts it off, in the scheduler's thread

    # -- stepping ------------------------------------------------------------------------------
    def run(self):
        """Run until no component remains (or deadlock, or stop()). Ctrl-C closes everything.
        A failure no onFinish hook watches closes everything and raises ComponentFailed."""
        try:
            self._loop()
        except BaseException:            # KeyboardInterrupt included: close every component
            self.stop()
            raise
        if self._bad:                    # a failure nobody watched: close everything, raise it
            self.stop()
            f, self._bad = self._bad, []
            m = ""
            for x in f:
                m += "; %s failed: %s: %s" % (x[0], x[1].__class__.__name__, x[1])
            e = ComponentFailed(m[2:])
            e.failures = f
            raise e

    def _loop(self):
        self._stopping = len(self._bad) > 0   # (a failure before run(): stop at once)
        if _EAGER and self._wr is None:  # any thread may callFromThread while we block
            self.threadStarted()
            self._threads -= 1
        polled = now()                   # when the poller was last asked
        while not self._stopping:
            runq = self._runq
            n = len(runq)
            hand = 0
            while True:                  # one pass over what is runnable now
                # One woken by the component that just ran runs next, up to twice in a row (a
                # request, its handler and its answer go through together; nothing starves).
                c = self._next
                if c is not None:
                    self._next = None
                    if hand < 2:
                        hand += 1
                    else:
                        runq.append(c)
                        c = None
                if c is None:
                    if not n:
                        break
                    n -= 1
                    c = runq.popleft()
                    hand = 0
                if c._st < _RUN:         # finished while queued
                    continue
                g = c._gen
                c._steps += 1
                self._running = c
                try:
                    r = next(g)
                    if r is not None and r.__class__ is newComponent:
                        for x in r.components:
                            x.activate(self)
                except Exception as e:
                    self._running = None
                    self._finish(c, None if e.__class__ is StopIteration else e)
                    if self._stopping:
                        return
                    continue
                self._running = None
                runq = self._runq        # (activating a component may have grown it)
                if c._st == _PAUSE:
                    c._st = _SLEEP
                    if c._w:
                        self._settle(c, True)
                elif c._st == _RUN:
                    runq.append(c)
                    if c._w:
                        self._settle(c, False)
                else:                    # it stopped itself (or was stopped) in its step
                    self._close(c, g)
            while self._inbound:
                fn, args = self._inbound.popleft()
                if fn is None:           # threadFinished()
                    self._threads -= 1
                    continue
                try:
                    fn(*args)
                except Exception as e:
                    self._report("callFromThread(%r)" % (fn,), e, 1)
            if self._stopping:
                return
            h = self._timers
            if runq:                     # more to run: look at clocks, and at sockets in passing
                if h or self._io:        # (those at most every 0.2 ms: a request and its answer
                    t = now()            # take a few short passes, and need no system call)
                    if self._io and t - polled >= 0.0002:
                        polled = t
                        self._poll(0)
                    while h and h[0][0] <= t:
                        x = heappop(h)
                        if x[2]._tseq == x[1]:
                            _wake(x[2])
                elif self._dirty:
                    self._poll(0)
                continue
            if self._live == 0:
                return
            if self._dirty:              # waits dropped this pass: forget them before judging
                self._poll(0)            # whether anything could still wake us
                if self._runq:
                    continue
            while h and h[0][2]._tseq != h[0][1]:
                heappop(h)               # timers that no longer apply
            if h:
                self._poll(max(0.0, h[0][0] - now()))
            elif self._io or self._threads or self._inbound:
                self._poll(None)
            else:
                self.deadlocked = sorted([c.name for c in self.components()])
                if self.report is not None:
                    self.report.write("microaxon: deadlock: every component is paused with "
                                      "nothing that could wake it: %s\n" % ", ".join(self.deadlocked))
                return
            polled = t = now()
            while h and h[0][0] <= t:
                x = heappop(h)
                if x[2]._tseq == x[1]:
                    _wake(x[2])

    def _close(self, c, g):
        try:
            g.close()                    # runs the component's finally blocks now
        except Exception as e:
            if c.failure is None:
                c.failure = e
                self._report(c.name, e, c._onfinish is None)

    def _finish(self, c, exc):
        """c ended (returned, raised (exc), or was stopped): report, close, unhook from the graph."""
        if c._st < _RUN:
            return
        if exc is not None:
            c.failure = exc
            self._report(c.name, exc, c._onfinish is None)
            c._gen = None                # a generator that raised is finished already
        c._st = _DONE
        self._live -= 1
        del self._all[c.id]
        c._tseq = 0
        if c._w:
            self._settle(c, False)
        g = c._gen
        c._gen = None
        if g is not None and c is not self._running:   # a running one is closed after its step
            self._close(c, g)
        if exc is not None:
            try:
                if c._dest.get("signal", _SINK) is not _SINK:
                    c.send(shutdownMicroprocess(c), "signal")
            except Exception:
                pass                     # a full control box: the link teardown still tells
            for ch in c._children:
                self._finish(ch, None)
        c.unlink(c)
        for k in c._ib:                  # senders waiting for room in a dead box: let them see
            if c._ib[k].spacewait is not None:
                _freed(c._ib[k])
        if c._parent is not None:
            _wake(c._parent)
        fn = c._onfinish
        if fn is not None:
            c._onfinish = None
            try:
                fn(c)
            except Exception as e:       # nobody watches a hook: the run stops
                self._report("%s (onFinish hook)" % c.name, e, 1)

    def _report(self, who, e, lost=0):
        """Report a failure; a lost one (nobody watches it) also stops the run (see run())."""
        try:
            tb = _tb(e)
        except Exception:
            tb = repr(e)
        if lost:
            self._bad.append((who, e, tb))
            self._stopping = True
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

    def stop(self):
        """Close every component now (finally blocks run, newest first) and make run() return."""
        self._stopping = True
        cs = self.components()
        cs.sort(key=lambda c: -c.id)
        for c in cs:
            self._finish(c, None)


def setDefaultBoxMode(mode, limit=None):
    """Mode of boxes made from now on: 0 (bounded, BoxFull), "grow" (up to limit) or "lossy"."""
    _boxmode[0] = mode
    _boxmode[1] = limit


_default = [None]


def defaultScheduler():
    """The process-wide scheduler used when none is given."""
    if _default[0] is None:
        _default[0] = Scheduler()
    return _default[0]
