import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import {
  CDK_VERSION, childEnv, CONSTRUCTS_VERSION, expectPlatformResources, PACKAGE_JSON, readTemplate, removeScratch,
  REPO_ROOT, requireArtifact, resourcesOfType, run, scratchDir,
} from './support';

/**
 * The npm package as a consumer gets it: installed from the packed tarball into a project of its own (no
 * link to this checkout), then synthesized by plain `node` on a PATH without esbuild or Docker, which
 * proves the Lambda handlers ship prebuilt.
 */

const TARBALL = path.join(REPO_ROOT, 'dist', 'js', `outpost-cdk@${PACKAGE_JSON.version}.jsii.tgz`);
const QUICKSTART = path.join(REPO_ROOT, 'examples', 'typescript', 'quickstart', 'app.ts');
const STACK = 'OutpostQuickstart';
const BUNDLING_TOOLS = ['esbuild', 'docker'];
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** A consumer's use of the API client: every call typed, no `any` on the way. */
const CLIENT_USE = `import { DispatchStatus, OutpostApiError, OutpostClient, type DispatchView, type ModelUsage } from 'outpost-cdk/client';

export async function run(): Promise<DispatchView> {
  const outpost = new OutpostClient({ endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' });
  const started = await outpost.dispatch({ agent: 'claude', prompt: 'fix the failing test', repository: { url: 'https://github.com/org/repo.git' } });
  for await (const line of outpost.followLogs(started.id)) {
    const message: string = line.message;
    console.log(message);
  }
  try {
    const done = await outpost.getDispatch(started.id);
    const usage: ModelUsage[] = done.result?.modelUsage ?? [];
    const priced: Array<{ model: string; usd: number }> = [...done.cost?.models ?? []];
    console.log(usage.map((model) => model.model + model.cacheWrite), priced);
    return done.status === DispatchStatus.COMPLETED ? done : started;
  } catch (error) {
    const field: string | undefined = error instanceof OutpostApiError ? error.field : undefined;
    throw new Error(field);
  }
}
`;
/** The same calls, wrong: a typed client refuses them. */
const CLIENT_MISUSE = `import { OutpostClient } from 'outpost-cdk/client';

export async function misuse(): Promise<string> {
  const outpost = new OutpostClient({ endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' });
  await outpost.dispatch({ agent: 'no-such-agent', prompt: 42 });
  const status: 'DONE' = (await outpost.getDispatch('01JD')).status;
  return status;
}
`;

/** PATH without every directory that holds an executable named like a bundling tool. */
function pathWithoutBundlers(): string {
  const isExecutable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  return (process.env.PATH ?? '').split(path.delimiter)
    .filter((dir) => dir !== '' && !BUNDLING_TOOLS.some((tool) => isExecutable(path.resolve(dir, tool))))
    .join(path.delimiter);
}

/** `which`, found on the normal PATH, so that it still runs under one without its directory. */
async function whichCommand(): Promise<string> {
  return (await run('sh', ['-c', 'command -v which'], { timeoutMs: 10_000 })).stdout.trim();
}

describe('the packed npm package in a consumer project', () => {
  let consumer: string;
  let assembly: string;

  beforeAll(async () => {
    requireArtifact(TARBALL, 'package:js');
    consumer = scratchDir('consumer');
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({
      name: 'outpost-consumer',
      version: '1.0.0',
      private: true,
      dependencies: { 'aws-cdk-lib': CDK_VERSION, 'constructs': CONSTRUCTS_VERSION, 'outpost-cdk': `file:${TARBALL}` },
    }, undefined, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: consumer, timeoutMs: 300_000 });

    // The quickstart as a consumer writing plain JavaScript would have it: no TypeScript toolchain involved.
    const javascript = ts.transpileModule(fs.readFileSync(QUICKSTART, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(path.join(consumer, 'app.js'), javascript);
  }, 330_000);

  afterAll(() => removeScratch(consumer));

  test('the tarball ships the bundled handlers (and the pool policy\'s checks, which synth runs) and none of the sources', async () => {
    const entries = (await run('tar', ['-tzf', TARBALL], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
    expect(entries).toContain('package/assets/handlers/health/index.js');
    expect(entries).toContain('package/assets/pool-config/index.js');
    // Outpost Local's sandbox init (bundled, run with plain node) and the Dockerfiles it reads a task's conditions from.
    expect(entries).toEqual(expect.arrayContaining(['package/assets/local/sandbox-init.js', 'package/containers/base/Dockerfile', 'package/containers/claude/Dockerfile']));
    expect(entries).toEqual(expect.arrayContaining(['package/schemas/dispatch-cost.schema.json', 'package/schemas/ledger-pricing.schema.json']));
    expect(entries).toContain('package/lib/index.js');
    const unwanted = ['src/', 'runtime/', 'examples/', 'test/', 'scripts/', 'docs/', '.ci/'];
    expect(entries.filter((entry) => unwanted.some((dir) => entry.startsWith(`package/${dir}`)))).toEqual([]);
  });

  test('ships the API client bundled, with its declarations', async () => {
    const entries = (await run('tar', ['-tzf', TARBALL], { timeoutMs: 30_000 })).stdout.split('\n');
    expect(entries).toEqual(expect.arrayContaining(['package/client/index.js', 'package/client/index.d.ts']));
  });

  test('`require(\'outpost-cdk/client\')` gives the client, which needs no package the consumer lacks', async () => {
    const script = [
      "const { OutpostClient, OutpostApiError } = require('outpost-cdk/client');",
      "const client = new OutpostClient({ endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });",
      "console.log(JSON.stringify([typeof OutpostClient, typeof client.dispatch, typeof client.followLogs, new OutpostApiError(404, 'NotFound', 'gone') instanceof Error]));",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: consumer, timeoutMs: 30_000 });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function', true]);
  });

  test.each([['node', 'commonjs'], ['node16', 'node16'], ['nodenext', 'nodenext']])(
    '`import … from \'outpost-cdk/client\'` is typed under moduleResolution %s', async (moduleResolution, module) => {
      const project = fs.mkdtempSync(path.join(consumer, 'typed-'));
      const typeCheck = async (source: string) => {
        fs.writeFileSync(path.join(project, 'use.ts'), source);
        fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution,
            target: 'ES2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            // TypeScript 6 deprecates moduleResolution node (node10); consumers on TypeScript 5 use it as it is.
            ignoreDeprecations: '6.0',
            types: ['node'],
            typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
          },
          files: ['use.ts'],
        }));
        return run(process.execPath, [TSC, '-p', project], { cwd: project, timeoutMs: 120_000, allowFailure: true });
      };
      const used = await typeCheck(CLIENT_USE);
      expect({ status: used.status, errors: used.stdout }).toEqual({ status: 0, errors: '' });
      const misused = await typeCheck(CLIENT_MISUSE);
      expect(misused.status).not.toBe(0);
      expect(misused.stdout).toMatch(/'"no-such-agent"' is not assignable/);
      expect(misused.stdout).toMatch(/'number' is not assignable to type 'string'/);
      expect(misused.stdout).toMatch(/Type 'DispatchStatus' is not assignable to type '"DONE"'/);
    }, 240_000);

  test('`npx outpost` runs the bundled command line from the installed package', async () => {
    const entries = (await run('tar', ['-tzf', TARBALL], { timeoutMs: 30_000 })).stdout.split('\n');
    expect(entries).toContain('package/cli/outpost.js');
    const help = await run('npx', ['--no-install', 'outpost', '--help'], { cwd: consumer, timeoutMs: 60_000 });
    expect(help.stdout).toMatch(/^Usage: outpost \[options\] \[command\]$/m);
    expect(help.stdout).toMatch(/^ {2}dispatch \[options\] <prompt> /m);
    expect(help.stdout).toMatch(/^ {2}mcp /m);
    const version = await run('npx', ['--no-install', 'outpost', '--version'], { cwd: consumer, timeoutMs: 60_000 });
    expect(version.stdout.trim()).toBe(PACKAGE_JSON.version);
  });

  test('the consumer resolves outpost-cdk from its own node_modules, not this checkout', () => {
    const installed = fs.realpathSync(path.join(consumer, 'node_modules', 'outpost-cdk'));
    expect(installed.startsWith(fs.realpathSync(consumer))).toBe(true);
  });

  test('synthesizes with node alone: no esbuild, no Docker', async () => {
    const PATH = pathWithoutBundlers();
    const which = await whichCommand();
    for (const tool of BUNDLING_TOOLS) {
      const found = await run(which, [tool], { env: childEnv({ PATH }), timeoutMs: 10_000, allowFailure: true });
      expect({ tool, found: found.status === 0 ? found.stdout.trim() : null }).toEqual({ tool, found: null });
    }

    assembly = path.join(consumer, 'cdk.out');
    await run(process.execPath, ['app.js'], { cwd: consumer, env: childEnv({ PATH, CDK_OUTDIR: assembly }), timeoutMs: 120_000 });

    const template = readTemplate(assembly, STACK);
    expectPlatformResources(template);
  }, 150_000);

  test('every Lambda function points to an asset in the assembly; the health handler is the shipped bundle', () => {
    const template = readTemplate(assembly, STACK);
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly, `${STACK}.assets.json`), 'utf8'));
    const sourceByObjectKey = new Map<string, string>();
    for (const asset of Object.values<any>(manifest.files ?? {})) {
      for (const destination of Object.values<any>(asset.destinations)) {
        sourceByObjectKey.set(destination.objectKey, asset.source.path);
      }
    }

    const assetDirs = resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const source = sourceByObjectKey.get(fn.Properties.Code.S3Key);
      expect({ id, source }).toEqual({ id, source: expect.any(String) });
      const dir = path.join(assembly, source!);
      expect({ id, indexJs: fs.existsSync(path.join(dir, 'index.js')) }).toEqual({ id, indexJs: true });
      return dir;
    });

    const shipped = fs.readFileSync(path.join(consumer, 'node_modules', 'outpost-cdk', 'assets', 'handlers', 'health', 'index.js'));
    expect(assetDirs.filter((dir) => fs.readFileSync(path.join(dir, 'index.js')).equals(shipped))).toHaveLength(1);
  });
});
