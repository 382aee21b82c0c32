import { readAiderModels } from './aider-models';
import { readClaudeModels } from './claude-models';
import { CliModels } from './cli-models';
import { readCodexModels } from './codex-models';
import { readGeminiModels } from './gemini-models';
import { PackageManager } from './install';
import { AGENT_CATALOG } from '../../src/agents/agent-catalog';
import { AgentKind } from '../../src/agents/agent-kind';

/** One agent's CLI as the catalog pins it, and how to read its models from an install of it. */
export interface AgentCli {
  readonly agent: AgentKind;
  readonly package: string;
  readonly version: string;
  readonly manager: PackageManager;
  /** The image that installs it. */
  readonly dockerfile: string;
  /** Its models, from its own package; none for a CLI that ships no catalog (Grok: xAI's API decides). */
  readonly readModels?: (prefix: string) => CliModels;
}

const READERS: Partial<Record<AgentKind, (prefix: string) => CliModels>> = {
  [AgentKind.CLAUDE]: readClaudeModels,
  [AgentKind.CODEX]: readCodexModels,
  [AgentKind.GEMINI]: readGeminiModels,
  [AgentKind.AIDER]: readAiderModels,
};

/** The pinned CLI of `agent` (src/agents/agent-catalog.ts). */
export function agentCli(agent: AgentKind): AgentCli {
  const { cli, cliVersion } = AGENT_CATALOG[agent];
  return {
    agent,
    package: cli,
    version: cliVersion,
    manager: agent === AgentKind.AIDER ? 'pip' : 'npm',
    dockerfile: `containers/${agent}/Dockerfile`,
    readModels: READERS[agent],
  };
}

export const AGENT_KINDS: readonly AgentKind[] = Object.values(AgentKind);
