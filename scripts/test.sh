#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11, then run them all:
# Debian's Chromium and CJK fonts (browser tests and screenshots), PostgreSQL (the workspace
# tests start a throwaway server), a virtualenv with the pinned packages, ruff, and pytest
# (unit, property, doctest, AppTest and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 poppler-utils; do  # the report's PDF (WeasyPrint), read back as PNG
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
for pkg in libgl1 libglib2.0-0; do  # OpenCV, under the screenshot reader (requirements-ocr.txt: RapidOCR)
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)  # the workspace tests' throwaway server
[ -x /usr/sbin/haproxy ] || need+=(haproxy)  # the load balancer in front of two replicas (tests/browser/test_replicas_browser.py)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

.venv/bin/python -m ruff check .
.venv/bin/python -m pytest "$@"
