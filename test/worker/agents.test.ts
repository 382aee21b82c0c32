import * as fs from 'fs';
import * as path from 'path';
import { agentAdapter } from '../../runtime/worker/agents';
import type { AgentName, AgentRequest } from '../../runtime/worker/agents/types';

/** Output recorded in the shapes the real CLIs print: the fakes print the same files. */
function recorded(file: string): string {
  return fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8');
}

const REQUEST: AgentRequest = {
  prompt: '-v add a health check',
  model: 'model-x',
  workdir: '/workspace/01JQ8Z6V3N4R5T7W9Y1B3D5F7H',
  env: { HOME: '/home/agent', OPENAI_API_KEY: 'sk-openai', XAI_API_KEY: 'xai-key', OUTPOST_WORKER_TOKEN: 'secret' },
};

describe('agent invocations', () => {
  test('claude: print mode, stream-json with --verbose, no permission prompts, the prompt after --', () => {
    expect(agentAdapter('claude').invocation(REQUEST)).toEqual({
      args: ['-p', '--model', 'model-x', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', '-v add a health check'],
      env: { IS_SANDBOX: '1' },
    });
  });

  test('codex: exec --json in the workdir, no approvals or sandbox, the key under CODEX_API_KEY', () => {
    expect(agentAdapter('codex').invocation(REQUEST)).toEqual({
      args: ['exec', '--json', '--model', 'model-x', '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', REQUEST.workdir, '--', '-v add a health check'],
      env: { CODEX_API_KEY: 'sk-openai' },
    });
    expect(agentAdapter('codex').invocation({ ...REQUEST, env: {} }).env).toEqual({});
  });

  test('gemini: headless prompt, yolo, JSON output; values attached so a leading dash stays a value', () => {
    expect(agentAdapter('gemini').invocation(REQUEST)).toEqual({
      args: ['--prompt=-v add a health check', '--model=model-x', '--yolo', '--output-format=json'],
      env: {},
    });
  });

  test('aider: one message, always yes, no commits or .gitignore edits of its own, history kept in HOME', () => {
    const { args, env } = agentAdapter('aider').invocation(REQUEST);
    expect(args.slice(0, 2)).toEqual(['--message=-v add a health check', '--model=model-x']);
    // Acts without asking, and leaves committing (and .gitignore) to the worker.
    expect(args).toEqual(expect.arrayContaining(['--yes-always', '--no-auto-commits', '--no-dirty-commits', '--no-gitignore']));
    // Nothing interactive or chatty: no update check, release notes, model warnings, analytics prompt, colours.
    expect(args).toEqual(expect.arrayContaining(['--no-check-update', '--no-show-release-notes', '--no-show-model-warnings', '--analytics-disable', '--no-pretty']));
    expect(args).toEqual(expect.arrayContaining(['--input-history-file=/home/agent/.aider.input.history', '--chat-history-file=/home/agent/.aider.chat.history.md']));
    expect(args).toHaveLength(13);
    expect(env).toEqual({});
    expect(agentAdapter('aider').scratchPatterns).toEqual(['.aider*']);
  });

  test('grok: headless prompt in the workdir, the key under GROK_API_KEY', () => {
    expect(agentAdapter('grok').invocation(REQUEST)).toEqual({
      args: ['--prompt=-v add a health check', '--model=model-x', `--directory=${REQUEST.workdir}`],
      env: { GROK_API_KEY: 'xai-key' },
    });
  });

  test.each<AgentName>(['claude', 'codex', 'gemini', 'aider', 'grok'])('%s never sees the worker token through its own environment additions', (name) => {
    expect(JSON.stringify(agentAdapter(name).invocation(REQUEST).env)).not.toContain('secret');
  });
});

describe('token usage from recorded output', () => {
  test('claude: the result line, cache reads and writes added to the input', () => {
    expect(agentAdapter('claude').parseUsage(recorded('claude.jsonl'))).toEqual({ input: 12 + 1523 + 29283, output: 241, cached: 29283 });
  });

  test('codex: turn.completed usage, summed over turns', () => {
    const oneTurn = recorded('codex.jsonl');
    expect(agentAdapter('codex').parseUsage(oneTurn)).toEqual({ input: 24763, output: 122, cached: 24448 });
    const twoTurns = `${oneTurn}{"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":0,"output_tokens":10}}\n`;
    expect(agentAdapter('codex').parseUsage(twoTurns)).toEqual({ input: 25763, output: 132, cached: 24448 });
  });

  test('gemini: stats.models tokens, summed over models, thoughts counted as output', () => {
    expect(agentAdapter('gemini').parseUsage(recorded('gemini.json'))).toEqual({ input: 24401 + 803, output: 215 + 103 + 16 + 38, cached: 10656 });
    expect(agentAdapter('gemini').parseUsage(`Loaded cached credentials.\n${recorded('gemini.json')}`)).not.toBeNull();
  });

  test('aider: every "Tokens:" report, k-suffixed counts expanded', () => {
    expect(agentAdapter('aider').parseUsage(recorded('aider.txt'))).toEqual({ input: 2600 + 12000, output: 85 + 1100, cached: 2300 });
  });

  test('grok reports no usage', () => {
    expect(agentAdapter('grok').parseUsage(recorded('grok.jsonl'))).toBeNull();
  });

  test.each<[AgentName, string]>([
    ['claude', recorded('claude.jsonl').split('\n').slice(0, 3).join('\n')],
    ['codex', '{"type":"thread.started","thread_id":"x"}\n{"type":"turn.failed","error":{"message":"stream disconnected"}}\n'],
    ['gemini', '{"error":{"type":"ApiError","message":"quota","code":429}}'],
    ['aider', 'Aider v0.86.2\nlitellm.AuthenticationError: invalid x-api-key\n'],
  ])('%s: no usage when the run ended before the CLI reported it', (name, output) => {
    expect(agentAdapter(name).parseUsage(output)).toBeNull();
  });

  test('malformed lines and counts do not break parsing', () => {
    const output = '{"type":"result","usage":{"input_tokens":"many","output_tokens":5}}\n{not json\n';
    expect(agentAdapter('claude').parseUsage(output)).toEqual({ input: 0, output: 5, cached: 0 });
  });
});
