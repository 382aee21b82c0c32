import * as fs from 'fs';
import * as path from 'path';
import { CliModels } from './cli-models';
import { embeddedLiteral } from './embedded-literal';
import { findFile } from './find-file';

interface ModelsJson {
  readonly models: ReadonlyArray<{ readonly slug: string }>;
}

/**
 * Codex's own model presets: the npm package installs a native binary per platform
 * (`@openai/codex-<platform>/vendor/<target>/bin/codex`) that embeds its `models.json` (`{ "models": [ { "slug",
 * "display_name", "upgrade", … } ] }`), the list it looks model metadata up in. Codex has no aliases.
 */
export function readCodexModels(prefix: string): CliModels {
  const scope = path.join(prefix, 'node_modules', '@openai');
  const binary = findFile(scope, /^codex-[^/]+\/vendor\/[^/]+\/bin\/codex$/, 4, 'Codex');
  const text = fs.readFileSync(binary).toString('latin1');
  for (let at = text.indexOf('"models": ['); at >= 0; at = text.indexOf('"models": [', at + 1)) {
    const catalog = parseCatalog(text, text.lastIndexOf('{', at), binary);
    if (catalog) {
      return {
        aliases: {},
        models: catalog.models.map((model) => model.slug).sort(),
        source: 'node_modules/@openai/codex-<platform>/vendor/<target>/bin/codex: the embedded models.json (models[].slug)',
      };
    }
  }
  throw new Error(`Codex: no embedded models.json ({ "models": [ { "slug": … } ] }) in ${binary}; update ${__filename}`);
}

function parseCatalog(text: string, start: number, binary: string): ModelsJson | undefined {
  try {
    const json = JSON.parse(embeddedLiteral(text, start, `Codex models.json in ${binary}`)) as Partial<ModelsJson>;
    return Array.isArray(json.models) && json.models.length > 0 && json.models.every((model) => typeof model.slug === 'string') ? json as ModelsJson : undefined;
  } catch {
    // Another "models" key in the binary's strings, not the catalog: look at the next one.
    return undefined;
  }
}
