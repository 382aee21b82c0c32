import * as path from 'path';
import { runConformance, type ConformanceRun } from '../support/conformance/run-worker';

/** Plants every route it knows for configuring the worker's git, then writes its change (agents/hostile-git.sh). */
const HOSTILE_AGENT = path.join(__dirname, 'agents', 'hostile-git.sh');
/** The claude task definition's secret, which ECS would inject: a test value. */
const SECRETS = { ANTHROPIC_API_KEY: 'sk-ant-conformance-not-a-key' };

jest.setTimeout(180_000);

/** Where each planted command reports itself (`loot <route>`, then its environment): the task's /tmp volume. */
const LOOT = '/tmp/hostile-git/loot';

/** The routes whose planted command reported itself. */
function loot(run: ConformanceRun): string[] {
  return (run.files[LOOT] ?? '').split('\n').map((line) => /^loot (\S+)$/.exec(line)?.[1]).filter((route): route is string => route !== undefined);
}

describe('a hostile agent cannot configure the worker\'s git (issue 15)', () => {
  let run: ConformanceRun;
  /** The harness's git server accepts only the dispatch's token, which it derives from the dispatch id. */
  let gitToken: string;

  beforeAll(async () => {
    run = await runConformance({
      agent: 'claude', model: 'conformance-model', prompt: 'Publish\n\nWrite hello.txt.', agentCommand: HOSTILE_AGENT, env: SECRETS, collectFiles: [LOOT],
    });
    gitToken = `ghs_conformance${run.dispatchId}`;
  });

  test('the run succeeds and pushes once, to the dispatch\'s repository', () => {
    expect({ status: run.status, exitCode: run.exitCode, error: run.result?.error }).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect(run.pushes).toEqual([{ repository: '/outpost/conformance.git', status: 200 }]);
  });

  test('the commit on outpost/<id> holds the agent\'s files as it wrote them (its own commit folded in), and no .git internals', () => {
    expect(run.commit).toMatchObject({ branch: `outpost/${run.dispatchId}`, sha: run.result?.commit, subject: 'Publish' });
    expect(run.commit?.files).toEqual({
      'README.md': '# Conformance fixture\n',
      '.gitattributes': '* filter=x diff=x merge=x\nhello.txt filter=y\nnotes.txt filter=z\n',
      'committed.txt': 'committed by the hostile agent\n',
      'hello.txt': 'hello from a hostile agent\n',
      'notes.txt': 'notes of a hostile agent\n',
    });
  });

  test('no planted command ran: the only loot is the agent\'s own control line', () => {
    expect(run.transcript).toContain('hostile agent: committed locally');
    expect(run.transcript).toContain('hostile agent: planted');
    expect(loot(run)).toEqual(['canary']);
  });

  test('the git token appears nowhere the agent or the caller can read', () => {
    expect(gitToken).toMatch(/^ghs_conformance/);
    const readable = {
      transcript: run.transcript ?? '',
      stderr: run.stderr ?? '',
      result: JSON.stringify(run.result),
      pushedTree: JSON.stringify(run.commit?.files),
      workerLog: run.workerLog,
      loot: run.files[LOOT] ?? '',
    };
    const carrying = Object.entries(readable).filter(([, text]) => text.includes(gitToken)).map(([name]) => name);
    expect(carrying).toEqual([]);
  });
});
