#!/usr/bin/env bash
# Build the Outpost images locally (needs a Docker engine).
#
#   containers/build.sh [agent...]      agents: claude codex gemini aider grok (default: all five)
#
# Stages the build context the CDK constructs and CodeBuild use (containers/* plus worker/worker.js),
# builds outpost-base, then each agent as outpost-<agent>:<tag> on top of it.
#
# Environment:
#   IMAGE_TAG          tag for every image (default: the version in package.json)
#   OUTPOST_WORKER_JS  the bundled worker (default: assets/worker/worker.js, from `npx projen bundle:runtime`)
set -euo pipefail

containers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "${containers_dir}")"
# shellcheck source=SCRIPTDIR/agents.sh
source "${containers_dir}/agents.sh"

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

main() {
  if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    usage
    return 0
  fi

  local -a agents=("$@")
  if [[ ${#agents[@]} -eq 0 ]]; then
    agents=("${OUTPOST_AGENTS[@]}")
  fi
  outpost_check_agents "${containers_dir}" "${agents[@]}"

  local worker="${OUTPOST_WORKER_JS:-${repo_dir}/assets/worker/worker.js}"
  if [[ ! -f "${worker}" ]]; then
    echo "build.sh: no worker bundle at ${worker}; run 'npx projen bundle:runtime' first" >&2
    return 1
  fi

  local tag="${IMAGE_TAG:-}"
  if [[ -z "${tag}" ]]; then
    tag="$(node -p "require(process.argv[1]).version" "${repo_dir}/package.json")"
  fi

  local context
  context="$(mktemp -d "${TMPDIR:-/tmp}/outpost-images.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
  trap "rm -rf '${context}'" EXIT
  cp -R "${containers_dir}/." "${context}/"
  mkdir -p "${context}/worker"
  cp "${worker}" "${context}/worker/worker.js"

  cd "${context}"
  echo "==> outpost-base:${tag}"
  docker build -f base/Dockerfile -t "outpost-base:${tag}" -t outpost-base .
  local agent
  for agent in "${agents[@]}"; do
    echo "==> outpost-${agent}:${tag}"
    docker build -f "${agent}/Dockerfile" --build-arg "BASE_IMAGE=outpost-base:${tag}" \
      -t "outpost-${agent}:${tag}" .
  done
}

main "$@"
