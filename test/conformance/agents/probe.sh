#!/bin/bash
# A script agent for the harness's self-tests: run by the worker in place of the CLI (OUTPOST_AGENT_COMMAND).
# It reports what the agent's process may do (one `probe <name> <outcome>` line each, on stdout, which the
# worker uploads as transcript.log), then makes the change the worker commits and pushes.
set -u

probe() { echo "probe $1 $2"; }
try() { local name=$1; shift; if "$@" >/dev/null 2>&1; then probe "$name" ok; else probe "$name" denied; fi; }
# A write's outcome, with the reason it was refused: a read-only mount (EROFS) or the directory's owner and mode (EACCES).
write() {
  local name=$1 target=$2 error
  if error=$(touch "$target" 2>&1); then probe "$name" ok
  elif [[ $error == *"Read-only file system"* ]]; then probe "$name" read-only
  elif [[ $error == *"Permission denied"* ]]; then probe "$name" permission-denied
  else probe "$name" "failed: $error"
  fi
}

probe uid "$(id -u)"
probe gid "$(id -g)"
probe groups "$(id -G)"
probe cwd "$PWD"
probe home "$HOME"
for field in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs; do
  probe "$field" "$(awk -v f="$field:" '$1 == f { print $2 }' /proc/self/status)"
done

write write-root /outpost-probe
write write-usr /usr/outpost-probe
write write-etc /etc/outpost-probe
write write-workspace /workspace/outpost-probe
write write-workdir "$PWD/outpost-probe" && rm -f "$PWD/outpost-probe"
write write-home "$HOME/outpost-probe"
write write-tmp /tmp/outpost-probe
write write-tmpdir "${TMPDIR:-/nonexistent}/outpost-probe-tmpdir"
probe tmp-mode "$(stat -c %a /tmp)"

# PROBE_PORTS: "name:port ..." to try to connect to on 127.0.0.1.
for entry in ${PROBE_PORTS:-}; do
  try "connect-${entry%%:*}" timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/${entry#*:}"
done

echo "written by the conformance probe agent" > conformance-probe.txt
probe change written
# PROBE_SLEEP_SECONDS: keep running after the change, to be stopped.
sleep "${PROBE_SLEEP_SECONDS:-0}"
