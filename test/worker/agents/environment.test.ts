import { REQUEST } from './support';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { agentAdapter } from '../../../runtime/worker/agents';

test.each<AgentName>(['claude', 'codex', 'gemini', 'aider', 'grok'])('%s never sees the worker token through its own environment additions', (name) => {
  expect(JSON.stringify(agentAdapter(name).invocation(REQUEST).env)).not.toContain('secret');
});
