"""Command-line tools that ship with microaxon (desktop CPython only; never imported by the core,
and never copied into a device bundle unless an app imports them itself):

- ``microaxon.tools.bundle`` (``microaxon-bundle``): copy an app and exactly the project modules
  it imports, optionally compiled to ``.mpy``, for a device or a bare interpreter;
- ``microaxon.tools.top`` (``microaxon-top``): live viewer of a system served by
  ``kamaelia_lite.introspector.Introspector`` (table, graph window, DOT/Mermaid export);
- ``microaxon.tools.loadgen`` (``microaxon-loadgen``): TCP load generator for servers.
"""
