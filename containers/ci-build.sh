#!/usr/bin/env bash
# CodeBuild: build the Outpost images from a staged context and push them to ECR (see buildspec.yml).
#
# Runs from the context root (base/Dockerfile, <agent>/Dockerfile, worker/worker.js, this script).
# Environment (all required):
#   REPOSITORY_URI_base       ECR repository URI of the base image, e.g.
#                             123456789012.dkr.ecr.eu-west-1.amazonaws.com/outpost-imagesbaserepository-1a2b3c
#   REPOSITORY_URI_<agent>    ECR repository URI of each agent's image, e.g. REPOSITORY_URI_claude
#   IMAGE_TAG                 tag for every image
#   AGENTS                    space-separated agents to build, e.g. "claude codex"
#   AWS_REGION                region of the registry
# Optional:
#   WAIT_HANDLE_URL      a CloudFormation wait condition handle: the deployment that started this build
#                        (AgentImageBuild) waits on it, so the build reports SUCCESS or FAILURE there on exit
# Pushes ${REPOSITORY_URI_base}:${IMAGE_TAG}, then for each agent the built image as plain-${IMAGE_TAG} and
# that image with its SOCI index (soci.sh) as ${IMAGE_TAG}, the tag the task definitions run. An image whose
# tag the repository already holds (an earlier build of the same inputs pushed it; tags are IMMUTABLE and
# name the inputs' hash) is neither built nor pushed again.
# Optional: SOCI_TOOLS_DIR, where the pinned soci and crane go (default: a temporary directory).
set -euo pipefail

context_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/agents.sh
source "${context_dir}/agents.sh"
# shellcheck source=SCRIPTDIR/soci.sh
source "${context_dir}/soci.sh"

main() {
  : "${REPOSITORY_URI_base:?set REPOSITORY_URI_base to the ECR repository URI of the base image}"
  : "${IMAGE_TAG:?set IMAGE_TAG to the tag to push}"
  : "${AGENTS:?set AGENTS to the space-separated agents to build}"
  : "${AWS_REGION:?set AWS_REGION to the registry region}"

  local -a agents
  read -r -a agents <<<"${AGENTS}"
  outpost_check_agents "${context_dir}" "${agents[@]}"
  local agent
  for agent in "${agents[@]}"; do
    repository_uri "${agent}" >/dev/null
  done
  if [[ ! -f "${context_dir}/worker/worker.js" ]]; then
    echo "ci-build.sh: the source has no worker/worker.js" >&2
    return 1
  fi

  cd "${context_dir}"
  outpost_install_soci_tools "${SOCI_TOOLS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/outpost-soci-tools.XXXXXX")}"
  local registry="${REPOSITORY_URI_base%%/*}"
  aws ecr get-login-password --region "${AWS_REGION}" \
    | docker login --username AWS --password-stdin "${registry}"

  local base_uri="${REPOSITORY_URI_base}:${IMAGE_TAG}"
  if ! already_pushed "${REPOSITORY_URI_base}" "${IMAGE_TAG}"; then
    docker build -f base/Dockerfile -t "${base_uri}" .
    docker push "${base_uri}"
  fi

  local uri
  for agent in "${agents[@]}"; do
    uri="$(repository_uri "${agent}")"
    if already_pushed "${uri}" "${IMAGE_TAG}"; then
      continue
    fi
    # The task definitions run IMAGE_TAG: the image with its SOCI index. The plain image is pushed first
    # under its own tag, for soci to index.
    if ! already_pushed "${uri}" "plain-${IMAGE_TAG}"; then
      docker build -f "${agent}/Dockerfile" --build-arg "BASE_IMAGE=${base_uri}" -t "${uri}:plain-${IMAGE_TAG}" .
      docker push "${uri}:plain-${IMAGE_TAG}"
    fi
    outpost_push_soci_indexed "${uri}:plain-${IMAGE_TAG}" "${uri}:${IMAGE_TAG}"
  done
}

# repository_uri <image>: the ECR repository URI the build was given for an image (REPOSITORY_URI_<image>).
repository_uri() {
  local name="REPOSITORY_URI_$1"
  if [[ -z "${!name:-}" ]]; then
    echo "ci-build.sh: set ${name} to the $1 image's ECR repository URI" >&2
    return 1
  fi
  printf '%s\n' "${!name}"
}

# already_pushed <repository uri> <tag>: whether the repository holds the tag. Tags are IMMUTABLE and name the
# inputs' hash, so a rebuild after a partial build skips what that build pushed instead of failing to push it.
# Only "no such image" counts as absent; any other error (no permission, throttling) stops the build.
already_pushed() {
  local repository="${1#*/}" error
  if error="$(aws ecr describe-images --region "${AWS_REGION}" --repository-name "${repository}" \
    --image-ids "imageTag=$2" --query 'imageDetails[0].imageDigest' --output text 2>&1 >/dev/null)"; then
    echo "==> ${1}:$2 is already in the registry; not pushing it again"
    return 0
  fi
  if [[ "${error}" == *ImageNotFoundException* ]]; then
    return 1
  fi
  echo "${error}" >&2
  exit 1
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
