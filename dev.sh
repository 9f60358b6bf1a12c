#!/usr/bin/env bash
# The project's two entry points on a fresh machine:
#   ./dev.sh showcase   set up, then run the showcase
#   ./dev.sh test       set up, then run the whole test suite (pytest + MicroPython suite + ruff)
set -euo pipefail
cd "$(dirname "$0")"

setup() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    pkgs=$(grep -v '^#' .ci/apt-packages.txt | tr '\n' ' ')
    missing=""
    for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    fi
  fi
  python3 -m pip install -q --disable-pip-version-check -e ".[all]" 2>&1 | grep -v "Running pip as the 'root'" || true
  # console scripts installed by pip (micropython, microaxon-top, ...) must be on PATH
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
  python3 -c "import microaxon, kamaelia_lite" || { echo "setup failed: microaxon not importable" >&2; exit 1; }
  command -v micropython >/dev/null || { echo "setup failed: no micropython binary on PATH" >&2; exit 1; }
}

case "${1:-}" in
  showcase) setup; shift; exec python3 -m examples.showcase "$@" ;;
  test)     setup; shift
            python3 -m ruff check .
            exec python3 -m pytest "$@" ;;
  *) echo "usage: ./dev.sh showcase|test [args]" >&2; exit 2 ;;
esac
