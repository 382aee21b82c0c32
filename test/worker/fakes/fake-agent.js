'use strict';
// The body of the fake agent CLIs: prints the recorded output of the real CLI (test/worker/fixtures),
// writes a file into its working directory so that there is a change to commit, and records how it was
// started. Scenario switches, all optional:
//   FAKE_AGENT_RECORD        file (outside the repository) to write {agent, argv, cwd, env} to, once the
//                            agent is mid-run: its file written, the first half of its output printed
//   FAKE_AGENT_SLEEP_SECONDS sleep this long halfway through the output (timeout and cancel tests)
//   FAKE_AGENT_EXIT_CODE     exit with this code
//   FAKE_AGENT_PRINT_ENV     print the value of this variable (redaction tests)
//   FAKE_AGENT_PLANT_HOOKS   file that planted git hooks and a credential helper would append to
//   FAKE_AGENT_REMOVE_WORKDIR remove its working directory, leaving the worker nothing to measure
//   FAKE_AGENT_MODEL_CALLS   call the Messages API this many times (`until-refused`: until an answer is not 200)
//                            at ANTHROPIC_BASE_URL with the ANTHROPIC_API_KEY it holds, as Claude Code does
//   FAKE_AGENT_PRINT_ENV_BASE64 print this variable's value base64-encoded (what a prompt can ask of an agent)
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const FIXTURES = { claude: 'claude.jsonl', codex: 'codex.jsonl', gemini: 'gemini.json', aider: 'aider.txt', grok: 'grok.jsonl' };
/** The files each real CLI leaves in the working tree for itself. */
const SCRATCH = { aider: '.aider.tags.cache.v4/cache.db' };

exports.run = async function run(agent) {
  const env = process.env;
  const cwd = process.cwd();
  fs.writeFileSync('outpost-fake.txt', `written by the fake ${agent}\n`);
  if (env.FAKE_AGENT_MODEL_CALLS) {
    await callModel(env, argument('--model'));
  }
  if (SCRATCH[agent]) {
    fs.mkdirSync(path.dirname(SCRATCH[agent]), { recursive: true });
    fs.writeFileSync(SCRATCH[agent], '{}\n');
  }
  if (env.FAKE_AGENT_PLANT_HOOKS) {
    plantHooks(env.FAKE_AGENT_PLANT_HOOKS);
  }
  if (env.FAKE_AGENT_REMOVE_WORKDIR) {
    fs.rmSync(process.cwd(), { recursive: true, force: true });
  }
  if (env.FAKE_AGENT_PRINT_ENV) {
    process.stdout.write(`debug: ${env.FAKE_AGENT_PRINT_ENV}=${env[env.FAKE_AGENT_PRINT_ENV]}\n`);
  }
  if (env.FAKE_AGENT_PRINT_ENV_BASE64) {
    process.stdout.write(`debug: ${env.FAKE_AGENT_PRINT_ENV_BASE64} in base64=${Buffer.from(env[env.FAKE_AGENT_PRINT_ENV_BASE64] ?? '').toString('base64')}\n`);
  }

  const output = fs.readFileSync(path.join(__dirname, '..', 'fixtures', FIXTURES[agent]), 'utf8');
  const lines = output.split('\n');
  const half = Math.floor(lines.length / 2);
  process.stdout.write(`${lines.slice(0, half).join('\n')}\n`);
  process.stderr.write(`${agent}: working\n`);
  // Written last, and whole (renamed into place), since a test that waits for it takes the agent to be
  // mid-run: a record written first let a SIGTERM arrive before the file and the output it waits for.
  // Writes to a pipe are synchronous on Linux, so the first half is the worker's to read by now.
  if (env.FAKE_AGENT_RECORD) {
    const visible = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('npm_')));
    fs.writeFileSync(`${env.FAKE_AGENT_RECORD}.partial`, JSON.stringify({ agent, argv: process.argv.slice(2), cwd, env: visible }));
    fs.renameSync(`${env.FAKE_AGENT_RECORD}.partial`, env.FAKE_AGENT_RECORD);
  }
  setTimeout(() => {
    process.stdout.write(lines.slice(half).join('\n'));
    process.exitCode = Number(env.FAKE_AGENT_EXIT_CODE || 0);
  }, Number(env.FAKE_AGENT_SLEEP_SECONDS || 0) * 1000);
};

/** What a hostile agent might do to get code run, with the worker's git credential, after it exits. */
function plantHooks(marker) {
  const hooks = path.resolve('.git', 'planted-hooks');
  fs.mkdirSync(hooks, { recursive: true });
  for (const directory of [hooks, path.resolve('.git', 'hooks')]) {
    fs.mkdirSync(directory, { recursive: true });
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'pre-push', 'reference-transaction']) {
      fs.writeFileSync(path.join(directory, hook), `#!/bin/sh\necho "${hook} ran" >> '${marker}'\n`, { mode: 0o755 });
    }
  }
  execFileSync('git', ['config', 'core.hooksPath', hooks]);
  execFileSync('git', ['config', 'credential.helper', `!f() { cat >> '${marker}'; }; f`]);
}

function argument(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

/** Messages API calls, as Claude Code makes them through ANTHROPIC_BASE_URL; each answer's status is printed. */
async function callModel(env, model) {
  const limit = env.FAKE_AGENT_MODEL_CALLS === 'until-refused' ? Infinity : Number(env.FAKE_AGENT_MODEL_CALLS);
  for (let call = 0; call < limit; call++) {
    const response = await fetch(`${env.ANTHROPIC_BASE_URL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': env.ANTHROPIC_API_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 1024, stream: call % 2 === 1, messages: [{ role: 'user', content: 'Add outpost-fake.txt' }] }),
    });
    const text = await response.text();
    process.stdout.write(`model call ${call + 1}: HTTP ${response.status}${response.ok ? '' : ` ${text}`}\n`);
    if (!response.ok) {
      return;
    }
  }
}
