#!/usr/bin/env bash
# The containers' Python: ruff (lint) and each container's own pytest suite, in the pinned .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$VENV/ruff" check containers local scripts
"$VENV/python" -m pytest containers local/tests "$@"
