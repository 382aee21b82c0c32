#!/usr/bin/env bash
# CodeBuild: build the Outpost images from a staged context and push them to ECR (see buildspec.yml).
#
# Runs from the context root (base/Dockerfile, <agent>/Dockerfile, worker/worker.js, this script).
# Environment (all required):
#   REPOSITORY_URI_BASE  ECR repository URI prefix, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/outpost
#   IMAGE_TAG            tag for every image
#   AGENTS               space-separated agents to build, e.g. "claude codex"
#   AWS_REGION           region of the registry
# Optional:
#   WAIT_HANDLE_URL      a CloudFormation wait condition handle: the deployment that started this build
#                        (AgentImageBuild) waits on it, so the build reports SUCCESS or FAILURE there on exit
# Pushes ${REPOSITORY_URI_BASE}-base:${IMAGE_TAG}, then ${REPOSITORY_URI_BASE}-<agent>:${IMAGE_TAG} each.
set -euo pipefail

context_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/agents.sh
source "${context_dir}/agents.sh"

main() {
  : "${REPOSITORY_URI_BASE:?set REPOSITORY_URI_BASE to the ECR repository URI prefix}"
  : "${IMAGE_TAG:?set IMAGE_TAG to the tag to push}"
  : "${AGENTS:?set AGENTS to the space-separated agents to build}"
  : "${AWS_REGION:?set AWS_REGION to the registry region}"

  local -a agents
  read -r -a agents <<<"${AGENTS}"
  outpost_check_agents "${context_dir}" "${agents[@]}"
  if [[ ! -f "${context_dir}/worker/worker.js" ]]; then
    echo "ci-build.sh: the source has no worker/worker.js" >&2
    return 1
  fi

  cd "${context_dir}"
  local registry="${REPOSITORY_URI_BASE%%/*}"
  aws ecr get-login-password --region "${AWS_REGION}" \
    | docker login --username AWS --password-stdin "${registry}"

  local base_uri="${REPOSITORY_URI_BASE}-base:${IMAGE_TAG}"
  docker build -f base/Dockerfile -t "${base_uri}" .
  docker push "${base_uri}"

  local agent uri
  for agent in "${agents[@]}"; do
    uri="${REPOSITORY_URI_BASE}-${agent}:${IMAGE_TAG}"
    docker build -f "${agent}/Dockerfile" --build-arg "BASE_IMAGE=${base_uri}" -t "${uri}" .
    docker push "${uri}"
  done
}

# signal_deployment <SUCCESS|FAILURE> <reason>: answer the deployment waiting for this build, if any.
signal_deployment() {
  [[ -n "${WAIT_HANDLE_URL:-}" ]] || return 0
  local body
  body="$(printf '{"Status":"%s","Reason":"%s","UniqueId":"%s","Data":"%s"}' \
    "$1" "$2" "${CODEBUILD_BUILD_ID:-outpost-image-build}" "${IMAGE_TAG:-}")"
  # The presigned handle URL expects a PUT with an empty content type.
  curl --silent --show-error --fail --retry 3 -X PUT -H 'Content-Type:' --data-binary "${body}" "${WAIT_HANDLE_URL}"
}

on_exit() {
  local status=$?
  if [[ ${status} -eq 0 ]]; then
    signal_deployment SUCCESS "Pushed the images tagged ${IMAGE_TAG}"
  else
    signal_deployment FAILURE "The image build failed (exit ${status}); see the CodeBuild logs" || true
  fi
  return "${status}"
}
trap on_exit EXIT

main "$@"
