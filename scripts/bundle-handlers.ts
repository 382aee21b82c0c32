/**
 * Each runtime/handlers/<name>/index.ts becomes assets/handlers/<name>/index.js: one self-contained, minified
 * file per Lambda function, shipped in the npm package so consumers need neither esbuild nor Docker. Run by
 * the `bundle:runtime` task; a script rather than esbuild's command line because one step is a plugin.
 *
 *   npx ts-node --project scripts/tsconfig.json scripts/bundle-handlers.ts
 *
 * What weighs what in each bundle: bench/handlers/bundle-composition.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, type BuildOptions } from 'esbuild';
import { lazyEventStreamsPlugin } from './lazy-event-streams';
import { literalTraitKeysPlugin } from './literal-trait-keys';

const ROOT = path.join(__dirname, '..');
const HANDLERS = path.join(ROOT, 'runtime', 'handlers');

/** esbuild's options for the handlers; the caller adds where the output goes. */
export function handlerBuildOptions(): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: fs.readdirSync(HANDLERS).sort().map((name) => path.join('runtime', 'handlers', name, 'index.ts')),
    outbase: 'runtime/handlers',
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // ES module builds of the AWS SDK tree-shake far better than its CommonJS builds.
    mainFields: ['module', 'main'],
    alias: {
      // Lambda passes credentials in the environment: drop the default chain's other providers.
      '@aws-sdk/credential-provider-node': './runtime/lambda/credentials.ts',
    },
    plugins: [literalTraitKeysPlugin, lazyEventStreamsPlugin],
    legalComments: 'none',
    logLevel: 'warning',
  };
}

if (require.main === module) {
  build({ ...handlerBuildOptions(), outdir: path.join(ROOT, 'assets', 'handlers') }).catch(() => {
    // esbuild has reported the errors.
    process.exitCode = 1;
  });
}
