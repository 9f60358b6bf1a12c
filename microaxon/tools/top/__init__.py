"""Viewers for a running microaxon system served by kamaelia_lite.introspector.Introspector.

``microaxon-top`` (microaxon.tools.top) shows a refreshing table in the terminal, a live graph
window (pygame; headless: PNG files), or exports the graph as Graphviz DOT / Mermaid.
"""
