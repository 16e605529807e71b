#!/usr/bin/env bash
# Runs the drift benchmark in its own venv: the monitoring image's requirements plus the peers it
# is compared with (Evidently, pandas), which never enter the image or .venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.bench/drift-venv
want=$(cat containers/monitoring/requirements.txt scripts/bench-drift/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "Installing the benchmark's pinned peers (Evidently, pandas) into $venv (about a minute, once)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r containers/monitoring/requirements.txt -r scripts/bench-drift/requirements.txt
  echo "$want" > "$venv/.requirements.sha256"
fi
export PYTHONPATH="$PWD/containers/monitoring:$PWD/containers/data"
exec "$venv/bin/python" scripts/bench-drift/bench.py "$@"
