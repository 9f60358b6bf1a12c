"""microaxon: a tiny component runtime in the style of Kamaelia's Axon.

The kernel is microaxon/core.py; this module re-exports its public names. Threads
(microaxon.threaded), introspection (microaxon.introspect) and Axon idioms (microaxon.compat)
load only when imported (snapshot/countMessages: microaxon.introspect).
"""
import microaxon.lifetime  # noqa: F401,E402  (adds a component's lifetime methods)
from microaxon.core import (  # noqa: F401
    CONTROL_CAPACITY,
    DEFAULT_CAPACITY,
    Box,
    BoxAlreadyLinked,
    BoxFull,
    BoxNotFound,
    ComponentFailed,
    _more,
    _p,
    component,
    ipc,
    linkage,
    newComponent,
    noSpaceInBox,
    now,
    producerFinished,
    shutdown,
    shutdownMicroprocess,
)
from microaxon.scheduler import Scheduler, defaultScheduler  # noqa: F401

if _p.LAZY:          # a device pays heap for I/O waits and rarely used methods on first use
    component.__getattr__ = Scheduler.__getattr__ = _more
else:                # CPython: load them now (a __getattr__ hook slows every attribute read)
    import microaxon.iowait  # noqa: F401
    import microaxon.more  # noqa: F401


def __getattr__(name):
    # threadedcomponent is imported on first use: `import threading` is most of the import
    # time otherwise, and many programs (and devices) never use a thread.
    if name == "threadedcomponent":
        from microaxon.threaded import threadedcomponent
        return threadedcomponent
    raise AttributeError("module 'microaxon' has no attribute %r" % (name,))

__version__ = "0.1.0"
