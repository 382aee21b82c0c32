import { providerKeyAs } from './provider-key';
import type { AgentAdapter, AgentReport } from './types';

/**
 * Grok CLI (`@vibe-kit/grok-cli@0.0.34`), headless mode.
 *
 * Flags from the 0.0.34 `dist/index.js` (commander): `--prompt/-p` ("process a single prompt and exit
 * (headless mode)", which auto-approves every file and bash operation), `--model/-m`,
 * `--directory/-d`. It reads its key from `GROK_API_KEY` (or `--api-key`, which would show in the
 * process list and be saved to ~/.grok), so the injected XAI_API_KEY is passed on under that name.
 *
 * Usage: headless mode prints only the conversation as OpenAI-style chat messages, one JSON object per
 * line (`processPromptHeadless`), with no token counts: usage is null. It creates `.grok/settings.json`
 * in the working directory, hence the scratch pattern.
 */
export const grok: AgentAdapter = {
  name: 'grok',
  executable: 'grok',
  scratchPatterns: ['.grok/'],
  invocation: ({ prompt, model, workdir, env }) => ({
    args: [`--prompt=${prompt}`, `--model=${model}`, `--directory=${workdir}`],
    env: providerKeyAs(env, 'XAI_API_KEY', 'GROK_API_KEY'),
  }),
  report: (): AgentReport => ({ usage: null, failure: null }),
};
