/**
 * The warm path of `POST /dispatch`: from the bundled handler's start to the worker accepting its assignment,
 * with an idle worker waiting in the pool. Counts the AWS round trips (every HTTP request that reaches the
 * AWS endpoint, retries included) and times them against moto on loopback.
 *
 *   npx projen bundle:runtime
 *   npx ts-node --project bench/tsconfig.json bench/handlers/warm-path.ts [--runs 50] [--markdown]
 *
 * Targets (docs/control-plane.md): at most 3 AWS calls, at most 50 ms of handler work. Handler work is the
 * wall time to the worker's acceptance minus the time spent waiting on AWS: moto is a Python server whose
 * latency says nothing about DynamoDB's, so it is reported apart.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PoolRepository } from '../../runtime/adapters/pool-repository';
import type { PlatformConfig } from '../../runtime/core/config';
import { createPlatformTables, INDEXES } from '../../test/runtime/dispatch/support/platform-tables';
import { startMoto } from '../../test/support/moto-server';

const HANDLER = path.join(__dirname, '..', '..', 'assets', 'handlers', 'dispatch-create', 'index.js');
const CALLS_TARGET = 3;
const WORK_TARGET_MS = 50;
const CALLER = 'arn:aws:iam::123456789012:user/bench';
const TOKEN = 'bench-worker-token';

interface Run {
  /** Every AWS request the handler made, to its return. */
  readonly calls: number;
  /** Of those, the ones made before the worker accepted. */
  readonly callsToAcceptance: number;
  readonly acceptedMs: number;
  /** Time waiting on AWS before the acceptance. */
  readonly awsMs: number;
  readonly warm: boolean;
}

interface Call {
  readonly start: bigint;
  readonly end: bigint;
}

/** A loopback proxy in front of moto that records when each request started and ended. */
async function countingProxy(target: string) {
  const calls: Call[] = [];
  const server = http.createServer((request, response) => {
    const started = process.hrtime.bigint();
    const body: Buffer[] = [];
    request.on('data', (chunk: Buffer) => body.push(chunk));
    request.on('end', () => {
      const upstream = http.request(new URL(request.url ?? '/', target), { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', () => calls.push({ start: started, end: process.hrtime.bigint() }));
      });
      upstream.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => server.close() };
}

/** Plays a worker's `POST /assignment`: accepts, and notes when. */
async function fakeWorker() {
  const accepted: bigint[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const authorized = request.headers.authorization === `Bearer ${TOKEN}`;
      accepted.push(process.hrtime.bigint());
      response.writeHead(authorized ? 202 : 401, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, accepted, close: () => server.close() };
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function main(): Promise<void> {
  const runs = option('runs', 50);
  const moto = await startMoto();
  const proxy = await countingProxy(moto.endpoint);
  const worker = await fakeWorker();
  try {
    const tables = await createPlatformTables(new DynamoDBClient({}));
    await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'outpost-artifacts' }));
    const pool = new PoolRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), tables.pool);
    const config: PlatformConfig = {
      tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
      cluster: 'outpost',
      subnets: ['subnet-0a'],
      securityGroups: ['sg-0a'],
      workerPort: worker.port,
      spotEnabled: true,
      artifactsBucket: 'outpost-artifacts',
      artifactsBucketUrl: `${proxy.endpoint}/outpost-artifacts`,
      eventBus: 'outpost',
      agents: {
        claude: {
          taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/outpost-claude:1',
          logGroupName: 'outpost-claude',
          defaultModel: 'claude-sonnet-4-5',
          models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
        },
      },
    };
    // The handler's clients are created on its first call, from these: every AWS request goes through the proxy.
    process.env.OUTPOST_CONFIG = JSON.stringify(config);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    const { handler } = await import(HANDLER) as { handler: (event: unknown) => Promise<{ statusCode: number; body: string }> };

    const results: Run[] = [];
    for (let run = 0; run <= runs; run++) {
      const taskId = `bench-${run}`;
      await pool.register({ taskId, taskArn: `arn:aws:ecs:us-east-1:123456789012:task/outpost/${taskId}`, agent: 'claude', token: TOKEN });
      await pool.markIdle(taskId, '127.0.0.1');
      proxy.calls.length = 0;
      worker.accepted.length = 0;
      const started = process.hrtime.bigint();
      const response = await handler({
        routeKey: 'POST /dispatch',
        rawPath: '/dispatch',
        body: JSON.stringify({ agent: 'claude', prompt: `bench run ${run}: fix the failing test in parser.ts` }),
        isBase64Encoded: false,
        requestContext: { authorizer: { iam: { userArn: CALLER } } },
      });
      const body = JSON.parse(response.body);
      const acceptedAt = worker.accepted[0];
      if (response.statusCode !== 202 || acceptedAt === undefined) {
        throw new Error(`run ${run}: ${response.statusCode} ${response.body}`);
      }
      // The first call creates the clients: a Lambda's cold start, not the warm path. Left out.
      if (run > 0) {
        const beforeAcceptance = proxy.calls.filter((call) => call.end <= acceptedAt);
        results.push({
          calls: proxy.calls.length,
          callsToAcceptance: beforeAcceptance.length,
          acceptedMs: Number(acceptedAt - started) / 1e6,
          awsMs: beforeAcceptance.reduce((sum, call) => sum + Number(call.end - call.start) / 1e6, 0),
          warm: body.warm === true,
        });
      }
    }
    report(results);
  } finally {
    proxy.close();
    worker.close();
    await moto.stop();
  }
}

function report(results: Run[]): void {
  const calls = results.map((run) => run.calls);
  const callsToAcceptance = results.map((run) => run.callsToAcceptance);
  const accepted = results.map((run) => run.acceptedMs);
  const aws = results.map((run) => run.awsMs);
  const work = results.map((run) => run.acceptedMs - run.awsMs);
  const rows = [
    ['AWS calls, whole handler', String(Math.min(...calls)), String(percentile(calls, 0.5)), String(Math.max(...calls)), `≤ ${CALLS_TARGET}`],
    ['AWS calls before the worker accepted', String(Math.min(...callsToAcceptance)), String(percentile(callsToAcceptance, 0.5)), String(Math.max(...callsToAcceptance)), ''],
    ['handler work ms (to acceptance, without AWS waits)', percentile(work, 0).toFixed(1), percentile(work, 0.5).toFixed(1), percentile(work, 0.95).toFixed(1), `≤ ${WORK_TARGET_MS}`],
    ['waiting on AWS (moto) ms', percentile(aws, 0).toFixed(1), percentile(aws, 0.5).toFixed(1), percentile(aws, 0.95).toFixed(1), ''],
    ['wall to acceptance ms', percentile(accepted, 0).toFixed(1), percentile(accepted, 0.5).toFixed(1), percentile(accepted, 0.95).toFixed(1), ''],
  ];
  const header = ['measure', 'min', 'median', 'p95 / max', 'target'];
  if (process.argv.includes('--markdown')) {
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
    rows.forEach((row) => console.log(`| ${row.join(' | ')} |`));
  } else {
    console.log([header, ...rows].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(52) : cell.padStart(10))).join(' ')).join('\n'));
  }
  const warm = results.filter((run) => run.warm).length;
  console.log(`\n${results.length} warm dispatches (${warm} answered warm), after one uncounted first call; node ${process.version}, ${process.arch}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
