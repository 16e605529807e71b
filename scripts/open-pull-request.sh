#!/usr/bin/env bash
# Pushes the current branch and opens a pull request for it through GitHub's REST API, for the
# workflows that change git themselves (rollback, reconcile). It uses only GITHUB_SERVER_URL and
# GITHUB_API_URL, so it works on github.com, GitHub Enterprise and the local stand-in alike.
#   GH_TOKEN=... bash scripts/open-pull-request.sh <title> <body> [--merge]
# Prints the pull request's address; with --merge, merges it too.
set -euo pipefail
title=$1 body=$2 merge=${3:-}
: "${GH_TOKEN:?GH_TOKEN must hold a token with contents and pull-requests write}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY must be owner/name}"
api=${GITHUB_API_URL:-https://api.github.com}
server=${GITHUB_SERVER_URL:-https://github.com}
branch=$(git rev-parse --abbrev-ref HEAD)
base=${BASE_BRANCH:-main}

basic=$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 | tr -d '\n')
git -c "http.extraHeader=Authorization: Basic $basic" push "$server/$GITHUB_REPOSITORY.git" "$branch"

call() {
  local method=$1 path=$2 data=$3 out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$api/repos/$GITHUB_REPOSITORY$path" \
    -H "Authorization: Bearer $GH_TOKEN" -H 'Accept: application/vnd.github+json' \
    -H 'X-GitHub-Api-Version: 2022-11-28' -H 'Content-Type: application/json' --data "$data")
  if [ "${status:0:1}" != 2 ]; then
    echo "::error::GitHub $method $path answered $status: $(head -c 300 "$out")" >&2
    exit 1
  fi
  cat "$out"
}

request=$(jq -n --arg title "$title" --arg body "$body" --arg head "$branch" --arg base "$base" '{title: $title, body: $body, head: $head, base: $base}')
pr=$(call POST /pulls "$request")
number=$(jq -r .number <<<"$pr")
jq -r .html_url <<<"$pr"
if [ "$merge" = --merge ]; then
  call PUT "/pulls/$number/merge" '{"merge_method":"merge"}' >/dev/null
  echo "Merged pull request #$number"
fi
