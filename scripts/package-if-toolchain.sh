#!/usr/bin/env bash
# Package the jsii bindings whose toolchain this machine has, after package:js and package:python:
#   Java  (npx projen package:java)    when mvn is on PATH
#   Go    (npx projen package:go)      when go is on PATH
#   .NET  (npx projen package:dotnet)  when dotnet is on PATH: configured only, as the project's machines have no
#         dotnet; nothing tests the .NET package
# Every target it does not build is printed with the reason. A target whose toolchain is present but whose
# packaging fails makes the script fail (after trying the others); to leave a target out on purpose, e.g.
# where its registry cannot serve the dependencies, list it: SKIP_PACKAGE_TARGETS="java go". A target left out
# is not tested either: its example test (test/examples/) fails, naming the task that builds it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

skip=" ${SKIP_PACKAGE_TARGETS:-} "
summary=()
failed=0

# package TARGET TOOL: run `npx projen package:TARGET` if TOOL is on PATH and TARGET is not in SKIP_PACKAGE_TARGETS.
package() {
  local target=$1 tool=$2 start
  if [[ "${skip}" == *" ${target} "* ]]; then
    summary+=("${target}: skipped (in SKIP_PACKAGE_TARGETS)")
  elif ! command -v "${tool}" >/dev/null 2>&1; then
    summary+=("${target}: skipped (no ${tool} on PATH)")
  else
    echo "==> npx projen package:${target} (${tool} is $(command -v "${tool}"))"
    start=${SECONDS}
    if npx projen "package:${target}"; then
      summary+=("${target}: packaged in $((SECONDS - start))s into dist/${target}/")
    else
      summary+=("${target}: FAILED after $((SECONDS - start))s (output above; SKIP_PACKAGE_TARGETS=\"${target}\" leaves it out)")
      failed=1
    fi
  fi
}

package java mvn
package go go
package dotnet dotnet

echo "==> package-if-toolchain:"
printf '    %s\n' "${summary[@]}"
exit "${failed}"
