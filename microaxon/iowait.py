"""Waits on files and sockets, and the poller: loaded on first use.

microaxon.core asks for this module the first time a component calls ``waitReadable`` or
``waitWritable`` (a program that never touches a file never pays heap for it; the cross-thread
wake, which registers its wake-up socket here, is microaxon.threadcalls). Importing it adds those
methods, and the scheduler's ``_ioset``/``_reg``/``_poll``, to ``core.component`` and
``scheduler.Scheduler``.

The rules (docs/design.md):
- A wait is one-shot: it ends with the component's next wake, whatever woke it.
- After each step, a component's registered waits become those it asked for in that step if it
  sleeps, none otherwise. Sleeping again on the same single file object with the same mask keeps
  the registration: no system call (a server reading one socket waits on it for every message).
- A closed file wakes its waiter at once, who sees the error when it uses the file.
- The poller is told only about changed masks, once per pass, and forgets a file nobody waits on
  before its descriptor number can be reused.
(Portable: runs on MicroPython, where the poll key is the stream object itself.)
"""
from microaxon import core, scheduler
from microaxon.core import _p, _wake


def _key(f):
    """The poll key of a file where the platform has no rule of its own (MicroPython: the
    stream object itself). ValueError if it is closed: MicroPython's unix poller skips a closed
    socket (its descriptor is -1) and would never wake its waiter. (A device's own sockets have
    no fileno(): its poller reports them closed.)"""
    if hasattr(f, "fileno") and f.fileno() < 0:
        raise ValueError("closed file")
    return f


_fd = getattr(_p, "fd", None) or _key     # CPython: the descriptor (microaxon._desktop)
# The kept-wait check: >= 0 while the file is open, else < 0 or an error. CPython: a C-level look
# at the file (no Python call); a device: the poll key, which raises once the file is closed.
_open = getattr(_p, "still_open", None) or (lambda f: _fd(f) and 0)


def reserve(c):
    """Give component c, now, the fields its file waits use (and its count of messages sent to
    unlinked outboxes). A component that will wait on files calls this when it is made: on a
    device its record then never grows while it runs, when a fragmented heap may have no room
    for the larger copy."""
    c._iof = c._iox = c._regf = c._iow = c._drops = None
    c._iom = c._regm = 0


def waitReadable(self, f, mask=1):
    """The next pause also ends when f (a file, socket or fd) is readable."""
    if self._w is None:
        self._w = True
    if self._iof is None:
        self._iof = f
        self._iom = mask
    elif self._iof is f:
        self._iom |= mask
    else:
        if self._iox is None:
            self._iox = []
        self._iox.append((f, mask))


def waitWritable(self, f):
    """The next pause also ends when f is writable."""
    self.waitReadable(f, 4)


def _ioset(self, c, sleeping):
    """After c's step (see the module's rules): settle its registrations with the poller."""
    f = c._iof
    c._iof = None
    if f is c._regf and sleeping and f is not None and c._iox is None and c._iom == c._regm:
        try:
            if _open(f) >= 0:
                c._w = True              # settle again after its next step
                return                   # the registration stands
        except (OSError, ValueError):
            pass
    extra = c._iox
    c._iox = None
    if self._io == ():
        self._io = {}                    # poll key -> [file, registered mask, {component: mask}]
        self._dirty = []                 # keys whose wanted mask may have changed
    want = {}
    if sleeping and f is not None:
        for g, m in [(f, c._iom)] + (extra or []):
            try:
                k = _fd(g)
            except (OSError, ValueError):
                _wake(c)                 # closed already: wake now
                continue
            except Exception as e:       # not a file at all: the waiter's failure
                self._finish(c, TypeError("%s waits on %r, which is not a file (%s)" % (c.name, g, e)))
                return
            want[k] = (g, want[k][1] | m) if k in want else (g, m)
    for k in c._iow or ():
        e = self._io.get(k)
        if k not in want and e is not None and c in e[2]:
            del e[2][c]
            self._dirty.append(k)        # unregistered at the next poll if nobody waits any more
    c._iow = want or None
    c._regf = f if want and extra is None and f.__class__ is not int else None
    c._regm = c._iom                     # (an int fd may be closed and reused unseen: no fast path)
    c._w = True if want else None      # settle again after its next step (none: nothing to drop)
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
        self._poller = _p.poller()
    try:
        if m:
            _fd(k)                       # (a file closed since its waiter asked: never registered;
            self._poller.register(k, m)  # MicroPython's unix poll crashes on a closed socket)
        else:
            self._poller.unregister(k)
        return True
    except (OSError, ValueError, KeyError):
        return False


def _poll(self, timeout):
    """Bring the poller in line with what is wanted (unchanged masks cost no system call), then
    wait up to `timeout` seconds (None: for ever) and wake the waiters of what is ready."""
    for k in self._dirty:
        e = self._io.get(k)
        if e is None:
            continue
        w = e[2]
        m = 0
        for c in w:
            m |= w[c]
        if m != e[1] and not self._reg(k, m) and m:
            for c in w:                  # a closed file: wake its waiters to see it
                _wake(c)
            m = 0
        e[1] = m
        if not m:                        # nobody waits: forget it before its number is reused
            del self._io[k]
    if self._dirty:
        self._dirty = []
    ms = -1 if timeout is None else int(max(timeout, 0) * 1000)   # whole ms, rounded down: a
    if ms == 0:                                                   # timer is never slept past;
        if timeout > 0:                                           # the last fraction is slept
            _p.sleep(timeout)                                     # (not spun) without looking
        if not self._io:                                          # at I/O
            return
    if self._poller is None:
        self._poller = _p.poller()
    try:
        evs = self._poller.poll(ms)
    except OSError as ex:
        if ex.args and ex.args[0] == 4:  # EINTR
            return
        raise
    io = self._io
    for x in evs:
        k = x[0]
        if k in io:                      # (the wake-up pair is never there)
            w = io[k][2]
            k = x[1]
            for c in w:                  # error/hang-up (not IN or OUT) wakes every waiter
                if w[c] & k or k & ~5:
                    _wake(c)
        elif k == self._wkey:
            try:
                while self._wr.recv(64):
                    pass
            except OSError:
                pass


C = core.component
C._iox = C._regf = None
C._iom = C._regm = 0
C.waitReadable = waitReadable
C.waitWritable = waitWritable
S = scheduler.Scheduler
S._poller = None                     # made at the first registration or poll
S._ww = S._wkey = None
S._ioset = _ioset
S._reg = _reg
S._poll = _poll
