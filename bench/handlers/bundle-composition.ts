/**
 * What weighs what in each bundled handler: esbuild's metafile, summed by package (an AWS SDK package with
 * submodules, such as @smithy/core, by submodule), largest first. Builds with the options of the
 * `bundle:runtime` task, in memory; assets/ is left alone.
 *
 *   npx ts-node --project bench/tsconfig.json bench/handlers/bundle-composition.ts [--top 15] [handler...]
 *
 * A package found at two paths is bundled twice, in two versions: the output names it.
 */
import { build, type Metafile } from 'esbuild';
import { handlerBuildOptions } from '../../scripts/bundle-handlers';

/** `node_modules/@smithy/core/dist-es/submodules/serde/x.js` → `@smithy/core/serde`; source files by folder. */
function pieceOf(input: string): { piece: string; installedAt?: string } {
  const match = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)(?:\/dist-[a-z]+\/submodules\/([^/]+))?/.exec(input);
  if (!match) {
    return { piece: input.split('/').slice(0, 2).join('/') };
  }
  const [, installedAt, name, submodule] = match;
  return { piece: submodule ? `${name}/${submodule}` : name, installedAt: `${installedAt}${name}` };
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function report(output: string, bundle: Metafile['outputs'][string], top: number): void {
  const pieces = new Map<string, number>();
  const copies = new Map<string, Set<string>>();
  for (const [input, { bytesInOutput }] of Object.entries(bundle.inputs)) {
    const { piece, installedAt } = pieceOf(input);
    pieces.set(piece, (pieces.get(piece) ?? 0) + bytesInOutput);
    if (installedAt) {
      const name = installedAt.slice(installedAt.lastIndexOf('node_modules/') + 'node_modules/'.length);
      copies.set(name, (copies.get(name) ?? new Set()).add(installedAt));
    }
  }
  const sorted = [...pieces].sort((a, b) => b[1] - a[1]);
  const rest = sorted.slice(top).reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`\n${output}: ${(bundle.bytes / 1024).toFixed(1)} KB`);
  for (const [piece, bytes] of sorted.slice(0, top)) {
    console.log(`${(bytes / 1024).toFixed(1).padStart(8)}  ${piece}`);
  }
  console.log(`${(rest / 1024).toFixed(1).padStart(8)}  (${sorted.length - top} more)`);
  for (const [name, paths] of copies) {
    if (paths.size > 1) {
      console.log(`  twice: ${name} at ${[...paths].join(', ')}`);
    }
  }
}

async function main(): Promise<void> {
  const top = option('top', 15);
  const wanted = process.argv.slice(2).filter((arg, i, args) => !arg.startsWith('--') && args[i - 1] !== '--top');
  const result = await build({ ...handlerBuildOptions(), outdir: 'out', write: false, metafile: true });
  for (const [output, bundle] of Object.entries(result.metafile.outputs).sort()) {
    if (wanted.length === 0 || wanted.some((name) => output.includes(`/${name}/`))) {
      report(output, bundle, top);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
