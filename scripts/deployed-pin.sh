#!/usr/bin/env bash
# What each environment really runs, kept in git: the tag deployed/<environment> points at the
# commit whose environment file a successful deploy applied.
#   GH_TOKEN=... bash scripts/deployed-pin.sh record <environment>    (after a deploy succeeded)
#   GH_TOKEN=... bash scripts/deployed-pin.sh restore <environment>   (writes environments/<environment>.yaml as deployed)
# restore exits 3 when the environment was never deployed through the tag (the caller decides).
set -euo pipefail
action=$1 environment=$2
if ! [[ "$environment" =~ ^[a-z][a-z0-9-]{0,31}$ ]]; then echo "::error::not an environment name: $environment" >&2; exit 2; fi
source "$(dirname "$0")/github-api.sh"
tag="deployed/$environment"

case "$action" in
  record)
    : "${GITHUB_SHA:?GITHUB_SHA must be the deployed commit}"
    body=$(jq -n --arg sha "$GITHUB_SHA" '{sha: $sha, force: true}')
    if [ "$(call PATCH "/git/refs/tags/$tag" "$body" --status)" != 200 ]; then
      call POST /git/refs "$(jq -n --arg ref "refs/tags/$tag" --arg sha "$GITHUB_SHA" '{ref: $ref, sha: $sha}')" >/dev/null
    fi
    echo "$tag -> $GITHUB_SHA"
    ;;
  restore)
    file="environments/$environment.yaml"
    if [ "$(call GET "/git/ref/tags/$tag" "" --status)" != 200 ]; then
      echo "$environment has no $tag yet"
      exit 3
    fi
    call GET "/contents/$file?ref=$tag" | jq -r .content | base64 -d > "$file"
    echo "$file restored as $tag deployed it"
    ;;
  *)
    echo "::error::usage: deployed-pin.sh record|restore <environment>" >&2
    exit 2
    ;;
esac
