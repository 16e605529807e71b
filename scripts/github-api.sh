#!/usr/bin/env bash
# Sourced by the scripts that workflows run against GitHub's REST API: `call METHOD PATH [DATA]`
# prints the answer, and fails naming the call and GitHub's status. Only GITHUB_API_URL is used,
# so the same scripts work on github.com, GitHub Enterprise and the local stand-in.
: "${GH_TOKEN:?GH_TOKEN must hold the workflow token}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY must be owner/name}"
api=${GITHUB_API_URL:-https://api.github.com}

# call METHOD PATH [DATA] [--status]: with --status, prints the HTTP status instead of failing.
call() {
  local method=$1 path=$2 data=${3:-} mode=${4:-} out status
  local body=()
  if [ -n "$data" ]; then body=(--data "$data"); fi
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$api/repos/$GITHUB_REPOSITORY$path" \
    -H "Authorization: Bearer $GH_TOKEN" -H 'Accept: application/vnd.github+json' \
    -H 'X-GitHub-Api-Version: 2022-11-28' -H 'Content-Type: application/json' "${body[@]}")
  if [ "$mode" = --status ]; then
    echo "$status"
    return
  fi
  if [ "${status:0:1}" != 2 ]; then
    echo "::error::GitHub $method $path answered $status: $(head -c 300 "$out")" >&2
    exit 1
  fi
  cat "$out"
}
