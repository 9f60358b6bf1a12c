"""microaxon: a tiny component runtime in the style of Kamaelia's Axon.

The kernel is microaxon/core.py; this module re-exports its public names. Threads
(microaxon.threaded), introspection (microaxon.introspect) and Axon idioms (microaxon.compat)
load only when imported (snapshot/countMessages: microaxon.introspect).
"""
from microaxon.core import (  # noqa: F401
    CONTROL_CAPACITY,
    DEFAULT_CAPACITY,
    Box,
    _more,
    _p,
    component,
    ipc,
    linkage,
    newComponent,
    now,
    producerFinished,
    shutdown,
    shutdownMicroprocess,
)
from microaxon.scheduler import Scheduler, defaultScheduler  # noqa: F401

if _p.LAZY:          # a device pays heap for lifetime methods, I/O waits and rarely used
    component.__getattr__ = Scheduler.__getattr__ = _more      # methods on first use
else:                # CPython: load them now (a __getattr__ hook slows every attribute read)
    import microaxon.iowait  # noqa: F401
    import microaxon.lifetime  # noqa: F401
    import microaxon.more  # noqa: F401
    import microaxon.threadcalls  # noqa: F401


def __getattr__(name):
    # threadedcomponent is imported on first use: `import threading` is most of the import
    # time otherwise, and many programs (and devices) never use a thread.
    if name == "threadedcomponent":
        from microaxon.threaded import threadedcomponent
        return threadedcomponent
    if name != "errors":              # the exceptions load on first use
        import microaxon.errors
        if hasattr(microaxon.errors, name):
            return getattr(microaxon.errors, name)
    raise AttributeError("module 'microaxon' has no attribute %r" % (name,))

__version__ = "0.1.0"
