import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CliModels } from './cli-models';

/**
 * Run in a Node.js child: imports the bundle chunk holding Gemini CLI's core (packages/core config/models.ts) and
 * resolves each alias as the CLI does for a Gemini API key. With that key Config.initialize grants preview access,
 * and isGemini31LaunchedForAuthType('gemini-api-key') makes hasLatestFlashGAAccess and hasLatestFlashLiteGAAccess
 * true, so resolveModel(alias, useGemini3_1 = true, useCustomToolModel = false, hasAccessToPreview = true, config,
 * useLatestFlash = true, useLatestFlashLite = true). `auto` is left out: the CLI's router picks Pro or Flash per
 * request, so it names no one model.
 */
const RESOLVE_ALIASES = `
const core = await import(process.env.OUTPOST_GEMINI_CORE);
const apiKeyConfig = { hasLatestFlashGAAccess: () => true, hasLatestFlashLiteGAAccess: () => true };
const aliases = [core.GEMINI_MODEL_ALIAS_PRO, core.GEMINI_MODEL_ALIAS_FLASH, core.GEMINI_MODEL_ALIAS_FLASH_LITE];
const resolved = Object.fromEntries(aliases.map((alias) => [alias, core.resolveModel(alias, true, false, true, apiKeyConfig, true, true)]));
process.stdout.write(JSON.stringify({ aliases: resolved, models: [...core.VALID_GEMINI_MODELS] }));
process.exit(0);
`;

/** The placeholder VALID_GEMINI_MODELS holds for "no preview Flash-Lite" (PREVIEW_GEMINI_FLASH_LITE_MODEL). */
const NO_MODEL = 'none';

/**
 * Gemini CLI's aliases (`pro`, `flash`, `flash-lite`) and its VALID_GEMINI_MODELS, from its npm bundle
 * (`bundle/chunk-*.js`, the chunk defining `VALID_GEMINI_MODELS`), by running its own `resolveModel`.
 */
export function readGeminiModels(prefix: string): CliModels {
  const bundle = path.join(prefix, 'node_modules', '@google', 'gemini-cli', 'bundle');
  const chunk = fs.readdirSync(bundle).sort().find((name) => name.endsWith('.js') && fs.readFileSync(path.join(bundle, name), 'utf8').includes('var VALID_GEMINI_MODELS'));
  if (!chunk) {
    throw new Error(`Gemini CLI: no chunk in ${bundle} defines VALID_GEMINI_MODELS; find its models config (grep -l resolveModel ${bundle}/*.js) and update ${__filename}`);
  }
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', RESOLVE_ALIASES], {
    env: { PATH: process.env.PATH, OUTPOST_GEMINI_CORE: pathToFileURL(path.join(bundle, chunk)).href },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const read = JSON.parse(output) as { aliases: Record<string, string>; models: string[] };
  return {
    aliases: read.aliases,
    models: read.models.filter((model) => model !== NO_MODEL).sort(),
    source: `node_modules/@google/gemini-cli/bundle/${chunk}: resolveModel(alias) for a Gemini API key, VALID_GEMINI_MODELS`,
  };
}
