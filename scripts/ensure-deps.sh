#!/usr/bin/env bash
# Installs the Node dependencies when they are missing or older than package-lock.json, so the
# README's `npm start` and `npm test` work on a fresh clone. A no-op once installed.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "Installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
