import { execFileSync } from 'child_process';
import * as path from 'path';
import { CliModels } from './cli-models';

/**
 * Run by the virtualenv's Python: Aider's MODEL_ALIASES (aider/models.py) and the Anthropic chat models of the
 * LiteLLM that aider-chat pins (litellm/model_prices_and_context_window_backup.json, the table LiteLLM falls back
 * to offline; Aider reads context sizes and prices from it), as LiteLLM takes them: by the table's bare name
 * (`claude-opus-4-6`, routed to Anthropic, which Aider's own model settings name) or as `anthropic/<model>`.
 */
const READ_MODELS = `
import importlib.util, json, os
from aider.models import MODEL_ALIASES
litellm = os.path.dirname(importlib.util.find_spec('litellm').origin)
with open(os.path.join(litellm, 'model_prices_and_context_window_backup.json')) as table:
    entries = json.load(table)
bare = {name.split('/')[-1] for name, entry in entries.items()
        if entry.get('litellm_provider') == 'anthropic' and entry.get('mode') == 'chat'}
models = sorted(bare | {'anthropic/' + name for name in bare})
print(json.dumps({'aliases': MODEL_ALIASES, 'models': models}))
`;

/** Aider's aliases and the Anthropic models its LiteLLM knows, from the aider-chat virtualenv at `prefix`. */
export function readAiderModels(prefix: string): CliModels {
  const output = execFileSync(path.join(prefix, 'bin', 'python'), ['-c', READ_MODELS], { encoding: 'utf8', timeout: 60_000 });
  const read = JSON.parse(output) as { aliases: Record<string, string>; models: string[] };
  return {
    aliases: read.aliases,
    models: read.models,
    source: 'aider/models.py MODEL_ALIASES; litellm/model_prices_and_context_window_backup.json (litellm_provider "anthropic", mode "chat")',
  };
}
