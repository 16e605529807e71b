#!/usr/bin/env bash
# After the bundles are rebuilt: fails when a chunk was added or removed but not committed (git diff
# sees only the files git already tracks).
set -euo pipefail
if [ -n "$(git status --porcelain -- actions/*/dist)" ]; then
  git status --short -- actions/*/dist
  echo "bundles differ from what is committed: commit actions/*/dist"
  exit 1
fi
