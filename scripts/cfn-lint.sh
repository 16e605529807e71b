#!/usr/bin/env bash
# Lints every CloudFormation template with the pinned cfn-lint; warnings fail too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$VENV/cfn-lint" --version
"$VENV/cfn-lint" --non-zero-exit-code informational cloudformation/*.yaml
echo "cfn-lint: every template clean"
