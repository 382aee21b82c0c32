import * as path from 'path';
import { runConformance } from '../support/conformance/run-worker';

const PROBE_AGENT = path.join(__dirname, 'agents', 'probe.sh');

jest.setTimeout(120_000);

test('first', async () => {
  let t = Date.now();
  const run = await runConformance({ agent: 'claude', model: 'test-model', prompt: 'Probe the sandbox', agentCommand: PROBE_AGENT });
  console.log(Date.now() - t);
  t = Date.now();
  const run2 = await runConformance({ agent: 'claude', model: 'test-model', prompt: 'Probe the sandbox', agentCommand: PROBE_AGENT });
  console.log(Date.now() - t);
  console.log(JSON.stringify({ ...run, workerLog: undefined }, null, 2));
  console.log(run.workerLog.split('\n').filter((l) => !l.includes('probe')).join('\n'));
});
