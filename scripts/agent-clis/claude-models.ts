import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { CliModels } from './cli-models';
import { embeddedLiteral } from './embedded-literal';
import { findFile } from './find-file';

/** The comment that opens Claude Code's baked-in model catalog (its source's model-catalog.json). */
const CATALOG_MARK = 'baked-in model catalog';

interface BakedCatalog {
  readonly models: ReadonlyArray<{ readonly id: string }>;
  /** Alias to model id: `default`, unless `per_provider` names another for a platform such as Bedrock. */
  readonly aliases: Readonly<Record<string, { readonly default: string }>>;
}

/**
 * Claude Code's own model catalog. The npm package installs a native binary per platform
 * (`@anthropic-ai/claude-code-<platform>/claude`, a Bun executable); its JavaScript embeds the catalog as an
 * object literal beginning `{"//":"Hand-maintained baked-in model catalog …"`, with `models[]` (`id`,
 * `provider_ids`, `pricing`) and `aliases` (`opus`, `sonnet`, `haiku`, `fable` → `{ default, per_provider }`).
 * `--model opus` resolves through `aliases.opus.default` on the Anthropic API.
 */
export function readClaudeModels(prefix: string): CliModels {
  const scope = path.join(prefix, 'node_modules', '@anthropic-ai');
  const binary = findFile(scope, /^claude-code-[^/]+\/claude$/, 1, 'Claude Code');
  const bytes = fs.readFileSync(binary);
  const mark = bytes.indexOf(CATALOG_MARK);
  const start = mark < 0 ? -1 : bytes.lastIndexOf('{"//"', mark);
  if (start < 0) {
    throw new Error(`Claude Code: "${CATALOG_MARK}" not found in ${binary}; the catalog moved, so read its JavaScript (strings ${binary} | grep aliases) and update ${__filename}`);
  }
  // The catalog is some 20 KB; a window of 1 MB holds it whole.
  const literal = embeddedLiteral(bytes.subarray(start, start + 1024 * 1024).toString('utf8'), 0, `Claude Code catalog in ${binary}`);
  // A plain object literal (unquoted keys, no code): evaluated with no globals and a time limit.
  const catalog = vm.runInNewContext(`(${literal})`, Object.create(null), { timeout: 1000 }) as BakedCatalog;
  return {
    aliases: Object.fromEntries(Object.entries(catalog.aliases).map(([alias, target]) => [alias, target.default])),
    models: catalog.models.map((model) => model.id).sort(),
    source: 'node_modules/@anthropic-ai/claude-code-<platform>/claude: the baked-in model catalog (aliases.<alias>.default, models[].id)',
  };
}
