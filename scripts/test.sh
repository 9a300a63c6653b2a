#!/usr/bin/env bash
# Install everything the tests need from this repository's own files, then run every test.
# Usage: ./scripts/test.sh [pytest args...]
#
# Works on a fresh machine: it uses the active virtual environment, or makes .venv/ here
# (a system Python may refuse `pip install`), and installs Chromium for the browser tests
# only where it can (Debian/Ubuntu's apt, as root or with sudo). Anywhere else it says what
# to install and runs every other test.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test.sh: $*" >&2; }

as_root() {  # run a command as root: directly, with sudo when it is there, or not at all
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1; then sudo "$@";
  else return 1; fi
}

if [ -n "${VIRTUAL_ENV:-}" ]; then
  PY="$VIRTUAL_ENV/bin/python"
else
  PY=".venv/bin/python"
  if [ ! -x "$PY" ]; then
    say "making a virtual environment in .venv/"
    if ! python3 -m venv .venv 2>/dev/null; then
      rm -rf .venv
      if command -v apt-get >/dev/null 2>&1 && as_root apt-get install -y -qq python3-venv \
          >/dev/null 2>&1; then
        python3 -m venv .venv
      else
        say "python3 cannot make a virtual environment; install its venv module"
        say "(Debian/Ubuntu: apt-get install python3-venv) or activate one, then run me again"
        exit 2
      fi
    fi
  fi
fi
"$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'

CHROMIUM=/usr/bin/chromium  # where tests/test_browser_viz.py looks for it
markers=()
if [ ! -x "$CHROMIUM" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests..."
    as_root apt-get update -qq >/dev/null 2>&1 || true
    as_root apt-get install -y -qq chromium >/dev/null 2>&1 || true
  fi
  if [ ! -x "$CHROMIUM" ]; then
    say "SKIPPING the browser tests: they drive Chromium at $CHROMIUM, which is not there"
    say "and could not be installed here (it needs apt-get, and root or sudo)."
    say "To run them: install Chromium as $CHROMIUM (Debian/Ubuntu: apt-get install chromium)."
    markers=(-m "not browser")
  fi
fi
exec "$PY" -m pytest "${markers[@]}" "$@"
