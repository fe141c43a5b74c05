#!/usr/bin/env bash
# Installs what the tests need, then runs lint and the whole test suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Java runs the Nu HTML Checker; Chromium runs the browser tests
# (Playwright drives this one; it never downloads a browser of its own).
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python -m pip install -q --disable-pip-version-check -e '.[test]'
python -m ruff check .
python -m ruff format --check .
python -m pytest "$@"
