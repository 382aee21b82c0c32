/**
 * Cold start of every bundled handler: its size, and the time a fresh Node.js process takes to load it,
 * against a bare Node.js process in the same run (the median of N alternating runs each).
 *
 *   npx ts-node --project bench/tsconfig.json bench/handlers/cold-start.ts [--runs 15] [--markdown] [--handlers DIR]
 *
 * `--handlers` measures another build's handlers (DIR/<name>/index.js), such as an earlier commit's, in the
 * same conditions as this one's.
 *
 * Targets (docs/control-plane.md): at most 300 KB per handler, at most 60 ms of load time over bare Node.js.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const SIZE_TARGET_KB = 300;
const LOAD_TARGET_MS = 60;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A deployed platform's OUTPOST_CONFIG, every option on, which some handlers read as they load (runtime/core/config.ts). */
const SAMPLE_CONFIG = JSON.stringify({
  tables: {
    dispatches: 'outpost-dispatches',
    pool: 'outpost-pool',
    audit: 'outpost-audit',
    indexes: { byRequester: 'byRequester', byAgentStatus: 'byAgentStatus', byAgentState: 'byAgentState' },
  },
  cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/outpost',
  workerTokenKey: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
  subnets: ['subnet-0a', 'subnet-0b'],
  securityGroups: ['sg-0a'],
  workerPort: 8080,
  spotEnabled: true,
  artifactsBucket: 'outpost-artifacts',
  artifactsBucketUrl: 'https://outpost-artifacts.s3.us-east-1.amazonaws.com',
  eventBus: 'outpost',
  workspaces: {
    table: 'outpost-workspaces',
    fileSystemId: 'fs-0123456789abcdef0',
    familyPrefix: 'outpost-ws',
    containerName: 'agent',
    mountPath: '/mnt/workspace',
  },
  gitCredentials: { secret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:outpost/github-app-AbCdEf', hosts: ['github.com'], githubApp: { appId: 1, apiUrl: 'https://api.github.com' } },
  agents: {
    claude: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/outpost-claude:1',
      logGroupName: 'outpost-claude',
      defaultModel: 'claude-sonnet-4-5',
      models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
    },
  },
});

const SAMPLE_LEDGER = JSON.stringify({ table: 'outpost-ledger', agents: { claude: { cpu: 1024, memoryMiB: 4096, ephemeralStorageGiB: 40 } } });

/** What functions are deployed with besides the configuration: the workspace cleaner's mount, the ledger's own settings. */
export const HANDLER_ENV = {
  ...process.env, AWS_REGION: 'us-east-1', OUTPOST_CONFIG: SAMPLE_CONFIG, OUTPOST_WORKSPACES_MOUNT: '/mnt/workspaces', OUTPOST_LEDGER: SAMPLE_LEDGER,
};

/** Wall time of one fresh process that evaluates `script`, in milliseconds. */
export function timeProcess(script: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', env: HANDLER_ENV });
  if (result.status !== 0) {
    throw new Error(`node -e ${script} exited with ${result.status}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const folder = path.resolve(option('handlers') ?? path.join(ROOT, 'assets', 'handlers'));
  if (!fs.existsSync(folder)) {
    throw new Error(`${folder} is missing: run \`npx projen bundle:runtime\` first`);
  }
  const runs = Number(option('runs') ?? 15);
  const handlers = fs.readdirSync(folder).sort();
  const rows: string[][] = [];
  for (const name of handlers) {
    const file = path.join(folder, name, 'index.js');
    const bare: number[] = [];
    const loaded: number[] = [];
    // Alternate, so that machine noise falls on both alike.
    for (let run = 0; run < runs; run++) {
      bare.push(timeProcess('0'));
      loaded.push(timeProcess(`require(${JSON.stringify(file)})`));
    }
    const sizeKb = fs.statSync(file).size / 1024;
    const overMs = median(loaded) - median(bare);
    const verdict = sizeKb <= SIZE_TARGET_KB && overMs <= LOAD_TARGET_MS ? 'ok' : 'over target';
    rows.push([name, sizeKb.toFixed(1), median(bare).toFixed(1), median(loaded).toFixed(1), overMs.toFixed(1), verdict]);
  }
  const header = ['handler', 'size KB', 'bare node ms', 'with handler ms', 'load over bare ms', `targets ≤${SIZE_TARGET_KB} KB, ≤${LOAD_TARGET_MS} ms`];
  if (process.argv.includes('--markdown')) {
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
    rows.forEach((row) => console.log(`| ${row.join(' | ')} |`));
  } else {
    console.log([header, ...rows].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(24) : cell.padStart(14))).join(' ')).join('\n'));
  }
  console.log(`\n${runs} runs each, median; node ${process.version}, ${process.arch}`);
}

if (require.main === module) {
  main();
}
