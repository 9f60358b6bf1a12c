"""How a component ends when told to: one helper instead of the same loop in every component.

    if passed_shutdown_on(self):     # at the point in the loop where it checks control
        return
"""
from microaxon import producerFinished, shutdownMicroprocess

__all__ = ["passed_shutdown_on"]


def passed_shutdown_on(c):
    """Take every message waiting in ``c``'s ``control`` inbox. At the first producerFinished or
    shutdownMicroprocess, pass that message on ``signal`` and return True (the caller finishes);
    other control messages are dropped. False if nothing asked it to finish."""
    while c.dataReady("control"):
        msg = c.recv("control")
        if isinstance(msg, (producerFinished, shutdownMicroprocess)):
            c.send(msg, "signal")
            return True
    return False
