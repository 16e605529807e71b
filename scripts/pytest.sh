#!/usr/bin/env bash
# The containers' Python: ruff (lint) and each container's own pytest suite, in the pinned .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$VENV/ruff" check containers local scripts
# The SageMaker Python SDK v2 is the one users' scripts are written against; its v3 notice is noise here.
export SAGEMAKER_SUPPRESS_V2_WARNING=1
"$VENV/python" -m pytest containers local/tests "$@"
