# microaxon's exceptions. The kernel raises them only when something is misused or full, so on
# a device this module loads when the first one is raised or named (microaxon's __getattr__);
# CPython imports it with microaxon. (Portable: runs on MicroPython.)


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
