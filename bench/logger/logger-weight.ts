/**
 * What Powertools' Logger would cost every handler, against the project's JsonLogger (runtime/lambda/json-log.ts):
 * each handler is bundled twice with the options of the `bundle:runtime` task, once as it is and once with
 * json-log.ts replaced by Powertools' Logger (bench/logger/powertools-logger.ts), then each bundle's size and
 * the time a fresh Node.js process takes to load it, over bare Node.js, are measured as
 * bench/handlers/cold-start.ts measures them (the median of N alternating runs).
 *
 *   npx ts-node --project bench/tsconfig.json bench/logger/logger-weight.ts [--runs 11] [--markdown]
 *
 * Budgets (docs/control-plane.md, test/runtime/bundle/handler-sizes.test.ts): 300 KB, 60 ms over bare Node.js.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { build, type Plugin } from 'esbuild';
import { handlerBuildOptions } from '../../scripts/bundle-handlers';
import { HANDLER_ENV, median, timeProcess } from '../handlers/cold-start';

const SIZE_TARGET_KB = 300;
const LOAD_TARGET_MS = 60;

/** Every import of runtime/lambda/json-log resolves to the Powertools stand-in. */
const powertoolsLogger: Plugin = {
  name: 'powertools-logger',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/json-log$/ }, () => ({ path: path.join(__dirname, 'powertools-logger.ts') }));
  },
};

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function bundle(outdir: string, plugins: Plugin[]): Promise<void> {
  const options = handlerBuildOptions();
  await build({ ...options, outdir, plugins: [...options.plugins ?? [], ...plugins] });
}

interface Measure {
  readonly kb: number;
  /** Wall time of a process that loads the bundle, over bare Node.js (bench/handlers/cold-start.ts's measure). */
  readonly overMs: number;
  /** CPU time (user + system) of the `require` alone, measured inside the process: far less swayed by a busy machine. */
  readonly requireCpuMs: number;
}

/** CPU milliseconds a fresh process spends in `require(file)`. */
function requireCpuMs(file: string): number {
  const script = `const before = process.cpuUsage(); require(${JSON.stringify(file)}); const used = process.cpuUsage(before); `
    + 'process.stdout.write(String((used.user + used.system) / 1000))';
  const result = spawnSync(process.execPath, ['-e', script], { env: HANDLER_ENV, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`loading ${file} exited with ${result.status}: ${result.stderr}`);
  }
  return Number(result.stdout.trim().split('\n').pop());
}

function measure(file: string, runs: number): Measure {
  const bare: number[] = [];
  const loaded: number[] = [];
  const cpu: number[] = [];
  // Alternate, so that machine noise falls on both alike.
  for (let run = 0; run < runs; run++) {
    bare.push(timeProcess('0'));
    loaded.push(timeProcess(`require(${JSON.stringify(file)})`));
    cpu.push(requireCpuMs(file));
  }
  return { kb: fs.statSync(file).size / 1024, overMs: median(loaded) - median(bare), requireCpuMs: median(cpu) };
}

const fits = (m: Measure): boolean => m.kb <= SIZE_TARGET_KB && m.overMs <= LOAD_TARGET_MS;

function verdict(m: Measure): string {
  const over = [m.kb > SIZE_TARGET_KB && 'size', m.overMs > LOAD_TARGET_MS && 'load'].filter(Boolean);
  return over.length === 0 ? 'ok' : `over: ${over.join(', ')}`;
}

async function main(): Promise<void> {
  const runs = option('runs', 11);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-logger-weight-'));
  const own = path.join(root, 'json-logger');
  const powertools = path.join(root, 'powertools');
  await bundle(own, []);
  await bundle(powertools, [powertoolsLogger]);
  const header = [
    'handler', 'JsonLogger KB', 'Powertools KB', 'Δ KB',
    'JsonLogger load ms', 'Powertools load ms', 'JsonLogger require CPU ms', 'Powertools require CPU ms', 'Δ CPU ms',
    `Powertools within ≤${SIZE_TARGET_KB} KB, ≤${LOAD_TARGET_MS} ms`,
  ];
  const rows: string[][] = [];
  let over = 0;
  const oversize = { json: 0, powertools: 0 };
  for (const name of fs.readdirSync(own).sort()) {
    const a = measure(path.join(own, name, 'index.js'), runs);
    const b = measure(path.join(powertools, name, 'index.js'), runs);
    over += fits(b) ? 0 : 1;
    oversize.json += a.kb > SIZE_TARGET_KB ? 1 : 0;
    oversize.powertools += b.kb > SIZE_TARGET_KB ? 1 : 0;
    rows.push([
      name, a.kb.toFixed(1), b.kb.toFixed(1), (b.kb - a.kb).toFixed(1),
      a.overMs.toFixed(1), b.overMs.toFixed(1), a.requireCpuMs.toFixed(1), b.requireCpuMs.toFixed(1), (b.requireCpuMs - a.requireCpuMs).toFixed(1),
      verdict(b),
    ]);
  }
  if (process.argv.includes('--markdown')) {
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
    rows.forEach((row) => console.log(`| ${row.join(' | ')} |`));
  } else {
    console.log([header, ...rows].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(24) : cell.padStart(14))).join(' ')).join('\n'));
  }
  console.log(`\nload ms: wall time over bare Node.js; require CPU ms: user + system time of the require; median of ${runs} runs each;`
    + ` node ${process.version}, ${process.arch}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  console.log(`${over} of ${rows.length} handlers over budget with Powertools' Logger; over ${SIZE_TARGET_KB} KB: `
    + `${oversize.powertools} with Powertools' Logger, ${oversize.json} with JsonLogger`);
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
