"""Bundle an application with exactly the project modules it imports.

``python -m microaxon.tools.bundle APP.py -o OUT/`` (or ``microaxon-bundle``) writes ``OUT/APP.py`` and the
``microaxon``/``kamaelia_lite`` modules it needs, so ``cd OUT && micropython APP.py`` (or
``python APP.py``) runs with nothing else installed.
"""
from .graph import PROJECT_PACKAGES, BundleError, ImportGraph, collect
from .writer import BundleResult, bundle

__all__ = ["PROJECT_PACKAGES", "BundleError", "BundleResult", "ImportGraph", "bundle", "collect"]
