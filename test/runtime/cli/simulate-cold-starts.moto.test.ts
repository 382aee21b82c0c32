import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { outpost } from './outpost-bin';
import { formatTrace, type TraceDispatch } from '../../../runtime/core/pool/simulator/trace';
import { startMoto, type MotoServer } from '../../support/moto-server';
import { pythonTool } from '../../support/python-tools';

const START = Date.parse('2026-03-02T09:00:00Z');
/** Claude and codex each every 5 minutes for an hour, runs of 5 minutes. */
const TRACE: TraceDispatch[] = ['claude', 'codex'].flatMap((agent) =>
  Array.from({ length: 12 }, (_, i) => ({ at: START + i * 300_000, agent, durationSeconds: 300 })));
/** Slow cold starts, far outside the assumed 45–90 s, so that a simulation that used them shows it. */
const CLAUDE_SECONDS = [201, 202, 203, 204, 205];

/**
 * The scaler's ColdStartSeconds as CloudWatch would hold them, put by PutMetricData with boto3 (the AWS SDK for
 * Python, in the project's environment beside moto): five single values an hour apart, two in one minute two days
 * ago, and one 20 days ago, older than the 14 days read by default.
 */
function putColdStarts(moto: MotoServer): void {
  const script = `
import boto3, datetime
now = datetime.datetime.now(datetime.timezone.utc)
metric = lambda at, **value: dict(MetricName='ColdStartSeconds', Dimensions=[dict(Name='agent', Value='claude')], Timestamp=at, Unit='Seconds', **value)
data = [metric(now - datetime.timedelta(hours=i + 1), Value=v) for i, v in enumerate(${JSON.stringify(CLAUDE_SECONDS)})]
data.append(metric(now - datetime.timedelta(days=2), Values=[210, 230]))
data.append(metric(now - datetime.timedelta(days=20), Value=500))
boto3.client('cloudwatch').put_metric_data(Namespace='Outpost', MetricData=data)
`;
  const put = spawnSync(pythonTool('python3'), ['-c', script], {
    env: { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    encoding: 'utf8',
  });
  if (put.status !== 0) {
    throw new Error(`PutMetricData through boto3 failed: ${put.stderr}`);
  }
}

describe('outpost simulate --cold-starts: measured cold starts, from CloudWatch or a file', () => {
  let moto: MotoServer;
  let dir: string;
  let csv: string;
  const awsEnv = () => ({ AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
  const simulate = async (args: string[], env: Record<string, string> = awsEnv()) => outpost(['simulate', '--trace', csv, ...args], env);

  beforeAll(async () => {
    moto = await startMoto();
    putColdStarts(moto);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-cold-starts-'));
    csv = path.join(dir, 'trace.csv');
    fs.writeFileSync(csv, formatTrace(TRACE));
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('cloudwatch: the agent\'s ColdStartSeconds of the last days drive its simulation; an agent with none falls back and says so', async () => {
    const { code, stdout, stderr } = await simulate(['--cold-starts', 'cloudwatch', '--json']);
    expect(code).toBe(0);
    const { coldStartSource, agents } = JSON.parse(stdout);
    expect(coldStartSource).toBe('cloudwatch');
    const [claude, codex] = agents;
    expect(claude.coldStart).toEqual({ measured: true, samples: 7 });
    expect(codex.coldStart).toEqual({ measured: false });
    // With no pool every dispatch waits its own cold start (plus the 0.5 s hand-off): claude's are the measured ones.
    expect(claude.noPool.waitP50Seconds).toBeGreaterThanOrEqual(201.5);
    expect(claude.noPool.waitP95Seconds).toBeLessThanOrEqual(230.5);
    expect(codex.noPool.waitP95Seconds).toBeLessThanOrEqual(90.5);
    expect(stderr).toContain('claude: simulated with 7 measured cold starts from cloudwatch');
    expect(stderr).toContain('codex: no measured cold starts in cloudwatch; simulated with the assumed model (45 to 90 s, most often 60 s)');

    const human = await simulate(['--cold-starts', 'cloudwatch']);
    expect(human.stdout).toMatch(/^claude: 12 dispatches\n {2}cold starts: measured, 7 samples$/m);
    expect(human.stdout).toMatch(/^codex: 12 dispatches\n {2}cold starts: assumed, 45 to 90 s, most often 60 s$/m);
  });

  test('--days bounds what is read: one day leaves out the cold starts of two days ago', async () => {
    const { code, stdout } = await simulate(['--cold-starts', 'cloudwatch', '--days', '1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).agents[0].coldStart).toEqual({ measured: true, samples: 5 });
    expect(await simulate(['--cold-starts', 'cloudwatch', '--days', '16'])).toMatchObject({ code: 2, stderr: expect.stringContaining('expected a whole number from 1 to 15') });
    expect(await simulate(['--days', '3'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--days applies only with --cold-starts cloudwatch') });
  });

  test('a file: the same samples give the same recommendation as CloudWatch\'s; the same seed, the same numbers', async () => {
    const file = path.join(dir, 'cold-starts.json');
    fs.writeFileSync(file, JSON.stringify({ claude: [...CLAUDE_SECONDS, 210, 230] }));
    const fromFile = await simulate(['--cold-starts', file, '--json']);
    expect(fromFile.code).toBe(0);
    const fromCloudWatch = JSON.parse((await simulate(['--cold-starts', 'cloudwatch', '--json'])).stdout);
    expect(JSON.parse(fromFile.stdout).agents).toEqual(fromCloudWatch.agents);
    expect((await simulate(['--cold-starts', file, '--json'])).stdout).toBe(fromFile.stdout);
    expect(fromFile.stderr).toContain(`codex: no measured cold starts in ${file}; simulated with the assumed model`);
  });

  test('errors say what to do next: a file that cannot be read or is not the shape, CloudWatch without a Region', async () => {
    expect(await simulate(['--cold-starts', path.join(dir, 'missing.json')])).toMatchObject({
      code: 2, stderr: expect.stringContaining('cannot read it'),
    });
    const wrong = path.join(dir, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ claude: [60, -1] }));
    expect(await simulate(['--cold-starts', wrong])).toMatchObject({ code: 2, stderr: expect.stringContaining('"claude"[1] is -1, not a positive number of seconds') });
    const noRegion = { ...awsEnv(), AWS_REGION: '', HOME: dir, AWS_CONFIG_FILE: path.join(dir, 'none') };
    expect(await simulate(['--cold-starts', 'cloudwatch'], noRegion)).toMatchObject({
      code: 2, stderr: expect.stringContaining('--cold-starts cloudwatch: no Region to read the metrics in: pass --region REGION'),
    });
  });

  test('CloudWatch refusing the call, or not answering: its error, and the fix or the file form', async () => {
    // A CloudWatch that refuses, as the AWS JSON 1.0 protocol shapes an error (Smithy's awsJson1_0 protocol,
    // "Operation error serialization": the `__type` field and `message`), with the text IAM gives for a denial.
    const refusing = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          message: 'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: cloudwatch:GetMetricStatistics',
        }));
      });
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const refused = await simulate(['--cold-starts', 'cloudwatch'], { ...awsEnv(), AWS_ENDPOINT_URL_CLOUDWATCH: endpoint });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--cold-starts cloudwatch: CloudWatch AccessDeniedException: User: arn:aws:iam::123456789012:user/alice is not authorized');
      expect(refused.stderr).toContain('your AWS identity needs cloudwatch:GetMetricStatistics');
      expect(refused.stderr).toContain('or pass --cold-starts FILE');
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
    const closedPort = await new Promise<number>((resolve) => {
      const server = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await simulate(['--cold-starts', 'cloudwatch'], { ...awsEnv(), AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${closedPort}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('--cold-starts cloudwatch: CloudWatch in us-east-1 did not answer');
    expect(unreachable.stderr).toContain('check the network, --region and AWS_ENDPOINT_URL_CLOUDWATCH');
  });
});
