/**
 * The coding agents a worker image can run; one image per agent, named by OUTPOST_AGENT. A wire contract: the
 * assignment, the dispatch request, the ledger and the CLI all name an agent by one of these.
 */
export const AGENT_NAMES = ['claude', 'codex', 'gemini', 'aider', 'grok'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];
