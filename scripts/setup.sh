#!/usr/bin/env bash
# Installs what the project needs, idempotently, so `make serve` and `make test` work from a
# clean clone and are quick the second time (each step is skipped while its lock file is unchanged).
#   scripts/setup.sh site      Python venv with the site tools + node_modules (Pyodide)
#   scripts/setup.sh test      the above + a Chromium for Playwright
#   scripts/setup.sh bench     the above + the Node dev tools (Lighthouse)
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-site}
stamps=.stamps
mkdir -p "$stamps"
PY=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
apt_install() { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null; }
fresh() { # fresh STAMP FILE... : true when every file is older than the stamp
  local stamp="$stamps/$1"; shift
  [ -f "$stamp" ] || return 1
  for f in "$@"; do [ "$f" -nt "$stamp" ] && return 1; done
  return 0
}

# 1. Python: a venv with the locked tools and this project installed editable.
if ! fresh venv requirements.lock pyproject.toml || [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # Debian's own python3 ships venv separately.
    command -v apt-get >/dev/null && apt_install python3-venv
    rm -rf .venv && "$PY" -m venv .venv
  fi
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamps/venv"
fi

# 2. Node: Pyodide from the npm registry, exactly as package-lock.json records it. The
#    benchmark also needs the dev dependencies (Lighthouse); the site and tests do not.
command -v npm >/dev/null || { echo "setup: npm (Node 20) is required" >&2; exit 1; }
if [ "$want" = bench ]; then
  if ! fresh node-dev package-lock.json || [ ! -x node_modules/.bin/lighthouse ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamps/node-dev" "$stamps/node"
  fi
elif ! fresh node package-lock.json || [ ! -f node_modules/pyodide/pyodide.mjs ]; then
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
  rm -f "$stamps/node-dev"
  touch "$stamps/node"
fi

[ "$want" = site ] && exit 0

# 3. A browser for the Playwright tests: Debian's Chromium where it exists or apt can install
#    it; elsewhere (e.g. Ubuntu runners, where "chromium" is a snap stub) Playwright's download.
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then
  exit 0
elif [ -x /usr/bin/chromium ]; then
  exit 0
elif command -v apt-get >/dev/null && grep -qi '^ID=debian' /etc/os-release 2>/dev/null; then
  apt_install chromium fonts-dejavu-core
elif ! fresh playwright-browser requirements.lock; then
  .venv/bin/python -m playwright install --with-deps chromium
  touch "$stamps/playwright-browser"
fi
