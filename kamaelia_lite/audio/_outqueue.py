from kamaelia_lite.flow import PendingSends  # noqa: F401  (moved: kamaelia_lite.flow; this re-export goes at the merge)
