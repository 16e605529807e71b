#!/usr/bin/env bash
# Runs the inference benchmark in its own venv (the inference image's requirements plus the
# reference stack's). Needs nginx and wrk: apt-get install -y nginx wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.bench/venv
want=$(cat containers/inference/requirements.txt containers/processing/requirements.txt scripts/bench-inference/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r containers/inference/requirements.txt \
    -r containers/processing/requirements.txt -r scripts/bench-inference/requirements.txt
  echo "$want" > "$venv/.requirements.sha256"
fi
exec "$venv/bin/python" scripts/bench-inference/bench.py "$@"
