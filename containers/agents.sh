#!/usr/bin/env bash
# Sourced by build.sh and ci-build.sh: the agent images there are, and a check of a requested list.

# Every agent image: each has <name>/Dockerfile next to this file.
OUTPOST_AGENTS=(claude codex gemini aider grok)

# outpost_check_agents <context dir> <agent>...: fail, naming the culprit, on an unknown agent or a
# missing Dockerfile, before anything is built.
outpost_check_agents() {
  local dir="$1" agent candidate known
  shift
  if [[ $# -eq 0 ]]; then
    echo "no agent requested (known: ${OUTPOST_AGENTS[*]})" >&2
    return 1
  fi
  for agent in "$@"; do
    known=false
    for candidate in "${OUTPOST_AGENTS[@]}"; do
      [[ "${agent}" == "${candidate}" ]] && known=true
    done
    if [[ "${known}" != true ]]; then
      echo "unknown agent '${agent}' (known: ${OUTPOST_AGENTS[*]})" >&2
      return 1
    fi
    if [[ ! -f "${dir}/${agent}/Dockerfile" ]]; then
      echo "missing ${dir}/${agent}/Dockerfile" >&2
      return 1
    fi
  done
}
