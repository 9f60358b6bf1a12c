"""Small everyday components.

Every component here honours shutdown on "control": producerFinished lets it finish what is in
its inbox first, shutdownMicroprocess stops it at once; either way the message is passed on out
of "signal". Components that produce respect a full destination box (they wait for room, they
never drop and never raise BoxFull).

- `DataSource(messages)` sends each item, then producerFinished.
- `Collector()` keeps what arrives in `.collected` (and calls `callback(msg)` if given).
- `ConsoleEchoer(forwarder=False, use_repr=False, tag="")` writes messages to stdout.
- `ConsoleReader(prompt=">>> ", eol="\\n")` emits lines typed on stdin (no busy waiting).
- `PureTransformer(function)` sends function(msg); a result of None is not sent.
- `SimpleDetupler(index)` sends msg[index].
- `MessageRateLimit(messages_per_second, buffer=60)` lets messages through at a steady rate.
- `Chooser(items, loop=False)` a cursor over items: "NEXT", "PREV", "FIRST", "LAST", "SAME".

Each group lives in its own small module and is loaded on first use, so an app that imports only
`DataSource` loads only `util/sources.py` (the bundler follows the same table and carries only
those modules).
"""
from kamaelia_lite import lazy_attribute

# name -> the module in this package that defines it (read by microaxon/tools/bundle too: keep it a literal)
_WHERE = {"Forwarding": "transform", "PureTransformer": "transform", "SimpleDetupler": "transform",
          "DataSource": "sources", "Collector": "sinks", "ConsoleEchoer": "console",
          "ConsoleReader": "console", "MessageRateLimit": "rate", "Chooser": "chooser"}
__all__ = ["Forwarding", "PureTransformer", "SimpleDetupler", "DataSource", "Collector", "ConsoleEchoer",
           "ConsoleReader", "MessageRateLimit", "Chooser"]


def __getattr__(name):
    return lazy_attribute(globals(), _WHERE, name)
