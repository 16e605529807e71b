#!/usr/bin/env bash
# Pushes the current branch and opens a pull request for it through GitHub's REST API, for the
# workflows that change git themselves (rollback, reconcile). It uses only GITHUB_SERVER_URL and
# GITHUB_API_URL, so it works on github.com, GitHub Enterprise and the local stand-in alike.
#   GH_TOKEN=... bash scripts/open-pull-request.sh <title> <body> [--merge]
# Prints the pull request's address; with --merge, merges it too.
set -euo pipefail
title=$1 body=$2 merge=${3:-}
source "$(dirname "$0")/github-api.sh"
server=${GITHUB_SERVER_URL:-https://github.com}
branch=$(git rev-parse --abbrev-ref HEAD)
base=${BASE_BRANCH:-main}

basic=$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 | tr -d '\n')
git -c "http.extraHeader=Authorization: Basic $basic" push "$server/$GITHUB_REPOSITORY.git" "$branch"

request=$(jq -n --arg title "$title" --arg body "$body" --arg head "$branch" --arg base "$base" '{title: $title, body: $body, head: $head, base: $base}')
pr=$(call POST /pulls "$request")
number=$(jq -r .number <<<"$pr")
jq -r .html_url <<<"$pr"
if [ "$merge" = --merge ]; then
  call PUT "/pulls/$number/merge" '{"merge_method":"merge"}' >/dev/null
  echo "Merged pull request #$number"
fi
