"""microaxon: a tiny component runtime in the style of Kamaelia's Axon.

The whole runtime is microaxon/core.py; this module re-exports its public names.
"""
from microaxon.core import (  # noqa: F401
    CONTROL_CAPACITY,
    DEFAULT_CAPACITY,
    Box,
    BoxAlreadyLinked,
    BoxFull,
    BoxNotFound,
    Scheduler,
    component,
    countMessages,
    defaultScheduler,
    ipc,
    linkage,
    newComponent,
    noSpaceInBox,
    now,
    producerFinished,
    shutdown,
    shutdownMicroprocess,
)

try:
    from microaxon.threaded import threadedcomponent  # noqa: F401
except ImportError:  # no threads on this platform
    pass

__version__ = "0.1.0"
