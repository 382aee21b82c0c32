import { aider } from './aider';
import { claude } from './claude';
import { codex } from './codex';
import { gemini } from './gemini';
import { grok } from './grok';
import type { AgentAdapter } from './types';
import type { AgentName } from '../../contracts/agent-names';

const ADAPTERS: Record<AgentName, AgentAdapter> = { claude, codex, gemini, aider, grok };

export function agentAdapter(name: AgentName): AgentAdapter {
  return ADAPTERS[name];
}
