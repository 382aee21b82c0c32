import * as fs from 'fs';
import * as path from 'path';
import type { AgentOutput, AgentRequest } from '../../../runtime/worker/agents/types';

/** Output recorded in the shapes the real CLIs print (test/worker/fixtures; each file's source is in its test). */
export function recorded(file: string): string {
  return fs.readFileSync(path.join(__dirname, '..', 'fixtures', file), 'utf8');
}

export const REQUEST: AgentRequest = {
  prompt: '-v add a health check',
  model: 'model-x',
  workdir: '/workspace/01JQ8Z6V3N4R5T7W9Y1B3D5F7H',
  env: { HOME: '/home/agent', OPENAI_API_KEY: 'sk-openai', XAI_API_KEY: 'xai-key', OUTPOST_WORKER_TOKEN_CIPHERTEXT: 'secret', OUTPOST_CLUSTER: 'outpost' },
};

/** What the worker hands the adapter after the CLI exited 0 with `stdout`. */
export function output(stdout: string, overrides: Partial<AgentOutput> = {}): AgentOutput {
  return { requestedModel: REQUEST.model, stdout, stderr: '', exitCode: 0, ...overrides };
}
