#!/usr/bin/env bash
# Lints every CloudFormation template with the cfn-lint pinned in requirements-dev.txt.
# Installs it into .venv on first use, so `npm test` works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/cfn-lint ] || ! .venv/bin/pip freeze 2>/dev/null | grep -qxF "$(grep '^cfn-lint==' requirements-dev.txt)"; then
  echo "Installing the pinned Python tools into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
fi
# Warnings fail too: a clean template has neither errors nor warnings.
.venv/bin/cfn-lint --version
.venv/bin/cfn-lint --non-zero-exit-code informational cloudformation/*.yaml
echo "cfn-lint: every template clean"
