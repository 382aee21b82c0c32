#!/bin/bash
# A script agent for the harness's self-tests: run by the worker in place of the CLI (OUTPOST_AGENT_COMMAND).
# It reports what the agent's process may do (one `probe <name> <outcome>` line each, on stdout, which the
# worker uploads as transcript.log), then makes the change the worker commits and pushes.
set -u

probe() { echo "probe $1 $2"; }
try() { local name=$1; shift; if "$@" >/dev/null 2>&1; then probe "$name" ok; else probe "$name" denied; fi; }

probe uid "$(id -u)"
probe gid "$(id -g)"
probe groups "$(id -G)"
probe cwd "$PWD"
probe home "$HOME"
for field in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs; do
  probe "$field" "$(awk -v f="$field:" '$1 == f { print $2 }' /proc/self/status)"
done

try write-root touch /outpost-probe
try write-usr touch /usr/outpost-probe
try write-etc touch /etc/outpost-probe
try write-workspace touch /workspace/outpost-probe
try write-home touch "$HOME/outpost-probe"
try write-tmp touch /tmp/outpost-probe
try write-tmpdir touch "${TMPDIR:-/nonexistent}/outpost-probe-tmpdir"
probe tmp-mode "$(stat -c %a /tmp)"

# PROBE_PORTS: "name:port ..." to try to connect to on 127.0.0.1.
for entry in ${PROBE_PORTS:-}; do
  try "connect-${entry%%:*}" timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/${entry#*:}"
done

echo "written by the conformance probe agent" > conformance-probe.txt
probe change written
