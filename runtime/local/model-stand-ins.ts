import type { AgentName } from '../contracts/agent-names';
import { startAnthropicStandIn } from './kit/providers/anthropic';
import { startGeminiStandIn } from './kit/providers/gemini';
import { startOpenAiResponsesStandIn } from './kit/providers/openai-responses';
import type { ProviderStandIn } from './kit/providers/stand-in';
import { startXaiResponsesStandIn } from './kit/providers/xai-responses';
import type { ProviderName } from '../worker/gateway/providers';

/** What the stand-in model makes the agent do: write one file, through the agent's own file-writing tool. */
export interface StandInEdit {
  readonly file: string;
  readonly content: string;
}

/** Each agent's provider, and its stand-in (the one the conformance suites run the real CLI against). */
const STAND_INS: Readonly<Record<AgentName, { provider: ProviderName; start: (apiKey: string, edit: StandInEdit) => Promise<ProviderStandIn> }>> = {
  claude: { provider: 'anthropic', start: (apiKey, edit) => startAnthropicStandIn({ apiKey, edit }) },
  aider: { provider: 'anthropic', start: (apiKey, edit) => startAnthropicStandIn({ apiKey, edit }) },
  codex: { provider: 'openai', start: (apiKey, edit) => startOpenAiResponsesStandIn({ apiKey, edit }) },
  gemini: { provider: 'gemini', start: (apiKey, edit) => startGeminiStandIn({ apiKey, edit }) },
  grok: { provider: 'xai', start: (apiKey, edit) => startXaiResponsesStandIn({ apiKey, edit }) },
};

/** The provider an agent's CLI talks to through the worker's gateway. */
export function providerOf(agent: AgentName): ProviderName {
  return STAND_INS[agent].provider;
}

/** A stand-in of `agent`'s provider that accepts `apiKey` (the task's secret) and scripts `edit`. */
export function startModelStandIn(agent: AgentName, apiKey: string, edit: StandInEdit): Promise<ProviderStandIn> {
  return STAND_INS[agent].start(apiKey, edit);
}
