# microaxon's exceptions, and the kernel's rare paths that raise or report them: a full box's
# BoxFull, failures nobody watched, a deadlock. The kernel meets them only when something is
# misused, full or stuck, so on a device this module loads when the first one is met or named
# (microaxon's __getattr__); CPython imports it with microaxon. (Portable: runs on MicroPython.)


class BoxFull(Exception):
    # send() found the destination box (``.box``) full; the message names it and its capacity.
    pass


noSpaceInBox = BoxFull                   # Axon's name


class BoxNotFound(KeyError):
    # A box name the component does not have.
    pass


class BoxAlreadyLinked(Exception):
    # An outbox links to one destination only: unlink it first.
    pass


class ComponentFailed(Exception):
    # run() stopped: components failed with no onFinish hook watching them. The message names
    # each one and its exception; ``failures``: [(name, exception, traceback text)].
    pass


def full(b):
    # The BoxFull for a message sent to box b, full (Box.overflow; lossy and growing boxes never
    # are): it names the box and its capacity.
    o, n = b.owner, "?"
    for k in o._ib:
        if o._ib[k] is b:
            n = k
    e = BoxFull("box %s.%s is full (capacity %d)" % (o.name, n, b.cap))
    e.box = b
    return e


def failed(s):
    # run() ends with failures nobody watched (every component closed): the exception to raise.
    f, s._bad = s._bad, []
    m = ""
    for x in f:
        m += "; %s failed: %s: %s" % (x[0], x[1].__class__.__name__, x[1])
    e = ComponentFailed(m[2:])
    e.failures = f
    return e


def deadlock(s):
    # run() found every component paused with nothing that could wake it: say who, and stop.
    s.deadlocked = sorted([c.name for c in s._all])
    if s.report is not None:
        s.report.write("microaxon: deadlock: every component is paused with nothing that could "
                       "wake it: %s\n" % ", ".join(s.deadlocked))
