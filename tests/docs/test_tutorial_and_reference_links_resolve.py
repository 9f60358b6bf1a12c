"""Relative links in the tutorial, the tools guide and the reference pages point at files that
exist (and, for #anchors into reference pages, at headings that exist)."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")


def _pages():
    pages = [os.path.join(DOCS, "tutorial.md"), os.path.join(DOCS, "tools.md")]
    ref = os.path.join(DOCS, "reference")
    pages += [os.path.join(ref, f) for f in sorted(os.listdir(ref)) if f.endswith(".md")]
    return pages


def _anchor(heading):
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_relative_links_resolve():
    checked = 0
    for page in _pages():
        text = open(page, encoding="utf-8").read()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+://", target):
                continue
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            assert os.path.exists(full), "%s links to missing %s" % (os.path.relpath(page, ROOT), target)
            if anchor and full.endswith(".md"):
                headings = re.findall(r"^#+ (.+)$", open(full, encoding="utf-8").read(), re.M)
                assert anchor in {_anchor(h) for h in headings}, "%s: no heading for #%s in %s" % (
                    os.path.relpath(page, ROOT), anchor, path or "itself")
            checked += 1
    assert checked > 30
