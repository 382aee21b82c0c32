import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { OutpostClient } from '../../client/outpost-client';
import { AGENT_NAMES } from '../../contracts/agent-names';
import { MAX_COST_USD, MODEL_TIERS } from '../../core/dispatch/request';
import { dispatchInput } from '../dispatch-fields';
import { describeError } from '../exit';

const ID = z.string().min(1).describe('The dispatch id that `dispatch` returned (26 characters, e.g. 01JD3V4N6Q8W2X5Y7Z9A1B3C4D).');

/** A tool's answer: the API's JSON as text, which every MCP client shows to its model. */
function answer(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/** The API client, or why there is none (no endpoint configured): asked for at each call. */
export type ClientSource = () => Promise<OutpostClient>;

/**
 * Errors are answers too (isError), so that the assistant reads what to change: code, message and field; or,
 * when the server has no endpoint, how to configure one.
 */
function caller(client: ClientSource) {
  return async (body: (client: OutpostClient) => Promise<unknown>): Promise<CallToolResult> => {
    try {
      return answer(await body(await client()));
    } catch (error) {
      return { isError: true, content: [{ type: 'text', text: describeError(error).message }] };
    }
  };
}

/**
 * The Outpost tools, written for an assistant that delegates a coding task: start it, check on it, read its
 * logs, collect its result, or stop it.
 */
export function registerTools(server: McpServer, client: ClientSource): void {
  const call = caller(client);
  server.registerTool('dispatch', {
    title: 'Dispatch a coding task',
    description: [
      'Start a coding agent (Claude Code, Codex CLI, Gemini CLI, Aider or Grok) on a task in an isolated, single-use cloud container.',
      'Use it to delegate self-contained work on a repository: fixing a failing test, a refactor, a small feature, a review.',
      'The agent clones the repository, works on the prompt, and pushes its commits to the branch `outpost/<id>`; it does not open a pull request.',
      'Returns at once with the dispatch (its `id` and `status`: RUNNING on a warm worker, QUEUED while a worker is started for it, about a minute).',
      'Then poll `get_status` until the status is COMPLETED, FAILED, CANCELLED or TIMED_OUT, and read the outcome with `get_artifacts`.',
    ].join(' '),
    inputSchema: {
      agent: z.enum(AGENT_NAMES).describe('The agent to run; the platform may deploy only some of them (an undeployed one is refused).'),
      prompt: z.string().min(1).max(100_000).describe('The task, as you would write it to an engineer: what to change, where, and how to check it.'),
      repositoryUrl: z.string().optional()
        .describe('The repository to work on: an https URL without credentials, or git@host:org/repo.git. Without one the agent starts in an empty directory.'),
      baseBranch: z.string().optional().describe('The branch to start from. Default: main.'),
      model: z.string().optional().describe('A model id of the agent\'s provider. Leave out for the platform\'s default.'),
      modelTier: z.enum(MODEL_TIERS).optional().describe('A model class instead of an id: flagship (strongest), balanced, or fast.'),
      workspace: z.string().optional().describe('Name of a persistent workspace whose files are kept between runs (one run at a time). Leave out for a fresh one.'),
      timeoutSeconds: z.number().int().min(60).max(86_400).optional().describe('Stop the run after this many seconds. Default: 3600.'),
      idempotencyKey: z.string().optional().describe('Calling again with the same key returns the dispatch it first created instead of starting another: use one when you may retry.'),
      maxCostUsd: z.number().positive().max(MAX_COST_USD).optional()
        .describe('A spending limit on the run\'s model use, in US dollars (e.g. 2.5). When it is reached the run stops, pushes what it has, and ends FAILED with statusReason BudgetExceeded. Leave out for the platform\'s default, if any.'),
    },
  }, (input) => call((api) => api.dispatch(dispatchInput(input))));

  server.registerTool('get_status', {
    title: 'Get a dispatch\'s status',
    description: 'Read one dispatch: its status (QUEUED, STARTING, RUNNING, then COMPLETED, FAILED, CANCELLED or TIMED_OUT), model, times, exit code, error, and once finished the branch and commit it pushed and its token usage. Poll it every 30 seconds or so while a run is under way.',
    inputSchema: { id: ID },
    annotations: { readOnlyHint: true },
  }, ({ id }) => call((api) => api.getDispatch(id)));

  server.registerTool('get_logs', {
    title: 'Read a run\'s logs',
    description: 'Read a run\'s log lines (the agent\'s output and the worker\'s steps), oldest first. Returns `lines`, the dispatch `status`, and a `cursor`: pass the cursor back to get only newer lines. Use it to see what the agent is doing or why a run failed.',
    inputSchema: {
      id: ID,
      cursor: z.string().optional().describe('The `cursor` of the previous call, for the lines after it.'),
      limit: z.number().int().min(1).max(1000).optional().describe('Lines per call. Default: 200.'),
    },
    annotations: { readOnlyHint: true },
  }, ({ id, cursor, limit }) => call((api) => api.getLogs(id, { cursor, limit })));

  server.registerTool('cancel', {
    title: 'Cancel a dispatch',
    description: 'Stop a dispatch that is queued, starting or running; its container is stopped and nothing more is pushed. A dispatch already ended is returned as it is. Returns the dispatch.',
    inputSchema: { id: ID },
    annotations: { destructiveHint: true, idempotentHint: true },
  }, ({ id }) => call((api) => api.cancel(id)));

  server.registerTool('list_dispatches', {
    title: 'List dispatches',
    description: 'List your dispatches, newest first: id, status, agent, prompt preview and times. Returns `items` and a `cursor` for the next page (null on the last). Use it to find a dispatch whose id you no longer have.',
    inputSchema: {
      limit: z.number().int().min(1).max(100).optional().describe('Dispatches per page. Default: 25.'),
      cursor: z.string().optional().describe('The `cursor` of the previous page.'),
    },
    annotations: { readOnlyHint: true },
  }, ({ limit, cursor }) => call((api) => api.listDispatches({ limit, cursor })));

  server.registerTool('get_artifacts', {
    title: 'Collect a run\'s result',
    description: 'Collect what a run produced: `result` (the worker\'s result.json: status, exit code, branch and commit pushed, token usage, error; null until the run has finished) and `artifacts`, links to its files (the transcript, diffs) that can be fetched without credentials for an hour.',
    inputSchema: { id: ID },
    annotations: { readOnlyHint: true },
  }, ({ id }) => call((api) => api.getArtifacts(id)));

  server.registerTool('fleet_status', {
    title: 'Show the fleet',
    description: 'Show each deployed agent\'s workers (idle, starting, busy, draining) and queue. An agent with idle workers starts a dispatch in about a second; otherwise a worker takes about a minute to start. Also tells which agents this platform runs.',
    inputSchema: {},
    annotations: { readOnlyHint: true },
  }, () => call((api) => api.fleetHealth()));
}
