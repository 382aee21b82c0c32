import { REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';
import type { AgentName } from '../../../runtime/worker/agents/types';

test.each<AgentName>(['claude', 'codex', 'gemini', 'aider', 'grok'])('%s never sees the worker token through its own environment additions', (name) => {
  expect(JSON.stringify(agentAdapter(name).invocation(REQUEST).env)).not.toContain('secret');
});
