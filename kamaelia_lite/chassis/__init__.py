"""Chassis: components that hold and wire other components.

- `Pipeline(a, b, c)`: a.outbox -> b.inbox -> c.inbox, signal -> control likewise; the
  pipeline's inbox/control feed the first child, the last child's outbox/signal leave by the
  pipeline's own. Finishes when every child has finished.
- `Graphline(linkages={...}, **children)`: any wiring; ("self", box) names the graphline's own
  boxes (created if new). Shutdown on an unwired control is passed to every child whose control
  nobody feeds; when all children finish, the graphline says producerFinished (or
  shutdownMicroprocess if it was told to stop) on its signal, unless a child feeds that box.
- `PAR(*children)`: children side by side; their outboxes/signals merge into the PAR's;
  shutdown goes to all; finishes when all have.
- `Carousel(factory, make1stRequest=False)`: one child at a time, made by factory(msg) for each
  message on "next"; when a child finishes, "NEXT" is sent on "requestNext".
- `Backplane(name)`, `PublishTo(name)`, `SubscribeTo(name)`: named publish/subscribe.
- `Supervisor(factory, ...)`: runs factory() and restarts it with back-off when it fails.

Everything here runs on MicroPython too (no typing imports at run time).

Each group lives in its own small module and is loaded on first use, so an app that imports only
`Pipeline` loads only `chassis/pipeline.py` (the bundler follows the same table and carries only
those modules).
"""
from kamaelia_lite import lazy_attribute

# name -> the module in this package that defines it (read by microaxon/tools/bundle too: keep it a literal)
_WHERE = {"Pipeline": "pipeline", "Graphline": "graphline", "PAR": "par", "Carousel": "carousel",
          "Backplane": "backplane", "PublishTo": "backplane", "SubscribeTo": "backplane",
          "Supervisor": "supervisor"}
__all__ = ["Pipeline", "Graphline", "PAR", "Carousel", "Backplane", "PublishTo", "SubscribeTo", "Supervisor"]


def __getattr__(name):
    return lazy_attribute(globals(), _WHERE, name)
