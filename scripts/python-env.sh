#!/usr/bin/env bash
# Makes .venv hold exactly the pinned Python tools and container requirements. Reinstalls when
# any requirements file changed since the last install, so `npm test` works on a fresh clone.
# Source it: it leaves VENV set to the environment's bin directory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$root/.venv/bin"
stamp="$root/.venv/.requirements.sha256"
want=$(cat "$root/requirements-dev.txt" "$root"/containers/*/requirements.txt "$root/local/tests/requirements.txt" | sha256sum | cut -d' ' -f1)
if [ -L "$root/.venv" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # Another checkout's environment linked in (the offline runner does that): this checkout's
  # requirements differ, so it gets an environment of its own rather than changing that one.
  rm "$root/.venv"
fi
if [ ! -x "$VENV/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing the pinned Python tools, botocore's service models and the containers' requirements into .venv (about a minute, once)"
  python3 -m venv "$root/.venv"
  "$VENV/pip" install --quiet --disable-pip-version-check -r "$root/requirements-dev.txt"
  echo "$want" > "$stamp"
fi
export VENV
