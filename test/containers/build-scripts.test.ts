import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Call, CONTAINERS, FakeTools } from './script-harness';

const ALL_AGENTS = ['claude', 'codex', 'gemini', 'aider', 'grok'];

/** The build machine's architecture as the SOCI tools' archives name it (the test runs on one of the two). */
const machine: 'arm64' | 'amd64' = os.arch() === 'arm64' ? 'arm64' : 'amd64';

/** The pins of containers/soci.sh, read from the script. */
function readSociPins() {
  const text = fs.readFileSync(path.join(CONTAINERS, 'soci.sh'), 'utf8');
  const value = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(text)![1];
  const hashes = (name: string) => {
    const block = new RegExp(`declare -A ${name}=\\(([^)]*)\\)`).exec(text)![1];
    return Object.fromEntries([...block.matchAll(/\[(\w+)\]=([0-9a-f]+)/g)].map((m) => [m[1], m[2]])) as Record<'arm64' | 'amd64', string>;
  };
  return { version: value('OUTPOST_SOCI_VERSION'), craneVersion: value('OUTPOST_CRANE_VERSION'), sha256: hashes('OUTPOST_SOCI_SHA256'), craneSha256: hashes('OUTPOST_CRANE_SHA256') };
}
const BUILD_SH = path.join(CONTAINERS, 'build.sh');

let tools: FakeTools;
let worker: string;

beforeEach(() => {
  tools = new FakeTools();
  worker = path.join(tools.dir, 'worker.js');
  fs.writeFileSync(worker, '// bundled worker\n');
});

afterEach(() => tools.dispose());

const dockerCalls = (calls: Call[]) => calls.filter((c) => c.argv[0] === 'docker').map((c) => c.argv.slice(1));

/** The value after `flag` in an argument list. */
const option = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('containers/build.sh', () => {
  test('with no arguments stages the context and builds the base, then all five agents on it', () => {
    const result = tools.run(BUILD_SH, [], { OUTPOST_WORKER_JS: worker, IMAGE_TAG: '1.2.3' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const builds = dockerCalls(tools.calls());
    expect(builds).toEqual([
      ['build', '-f', 'base/Dockerfile', '-t', 'outpost-base:1.2.3', '-t', 'outpost-base', '.'],
      ...ALL_AGENTS.map((agent) => [
        'build', '-f', `${agent}/Dockerfile`, '--build-arg', 'BASE_IMAGE=outpost-base:1.2.3', '-t', `outpost-${agent}:1.2.3`, '.',
      ]),
    ]);

    const [first] = tools.calls();
    expect(first.context).toEqual(expect.arrayContaining([
      'base/Dockerfile', 'worker/worker.js', ...ALL_AGENTS.map((agent) => `${agent}/Dockerfile`),
      'codex/config.toml', 'gemini/settings.json',
    ]));
    expect(fs.readFileSync(worker, 'utf8')).toBe('// bundled worker\n');
    // The staged context is a temporary copy, removed afterwards.
    expect(first.cwd.startsWith(CONTAINERS)).toBe(false);
    expect(fs.existsSync(first.cwd)).toBe(false);
  });

  test('builds only the agents asked for, in that order, and tags them with the package version by default', () => {
    const version = JSON.parse(fs.readFileSync(path.join(CONTAINERS, '..', 'package.json'), 'utf8')).version;
    const result = tools.run(BUILD_SH, ['grok', 'claude'], { OUTPOST_WORKER_JS: worker, IMAGE_TAG: undefined });
    expect(result.status).toBe(0);
    expect(dockerCalls(tools.calls()).map((argv) => option(argv, '-t'))).toEqual([
      `outpost-base:${version}`, `outpost-grok:${version}`, `outpost-claude:${version}`,
    ]);
  });

  test('refuses an unknown agent before building anything', () => {
    const result = tools.run(BUILD_SH, ['claude', 'copilot'], { OUTPOST_WORKER_JS: worker });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("unknown agent 'copilot'");
    expect(tools.calls()).toEqual([]);
  });

  test('says how to produce the worker bundle when it is missing', () => {
    const result = tools.run(BUILD_SH, [], { OUTPOST_WORKER_JS: path.join(tools.dir, 'absent.js') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('npx projen bundle:runtime');
    expect(tools.calls()).toEqual([]);
  });

  test('stops at the first failed build', () => {
    fs.writeFileSync(path.join(tools.dir, 'docker'), '#!/bin/sh\nexit 3\n');
    const result = tools.run(BUILD_SH, ['claude'], { OUTPOST_WORKER_JS: worker, IMAGE_TAG: 'x' });
    expect(result.status).toBe(3);
    expect(result.stdout).not.toContain('outpost-claude');
  });
});

describe('containers/ci-build.sh (CodeBuild)', () => {
  const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
  /** Repository names as CloudFormation generates them: nothing the build could derive from another. */
  const repo = (image: string) => `test-outpostagentsimages${image}repository-${image.length}x9k2`;
  const uri = (image: string) => `${REGISTRY}/${repo(image)}`;
  let context: string;

  /** The source CodeBuild gets: the staged context, as build.sh lays it out. */
  beforeEach(() => {
    context = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-ci-context-'));
    fs.cpSync(CONTAINERS, context, { recursive: true });
    fs.mkdirSync(path.join(context, 'worker'));
    fs.copyFileSync(worker, path.join(context, 'worker', 'worker.js'));
  });

  afterEach(() => fs.rmSync(context, { recursive: true, force: true }));

  const env = {
    REPOSITORY_URI_base: uri('base'),
    REPOSITORY_URI_claude: uri('claude'),
    REPOSITORY_URI_aider: uri('aider'),
    IMAGE_TAG: 'v7',
    AGENTS: 'claude aider',
    AWS_REGION: 'eu-west-1',
  };
  const describeImages = (image: string, tag = 'v7') => [
    'aws', 'ecr', 'describe-images', '--region', 'eu-west-1', '--repository-name', repo(image),
    '--image-ids', `imageTag=${tag}`, '--query', 'imageDetails[0].imageDigest', '--output', 'text',
  ];

  /** The calls that install the pinned SOCI tools on an arm64 or x86 machine (the one running the test). */
  const soci = readSociPins();
  const installTools = (): string[][] => [
    ['curl', '--silent', '--show-error', '--fail', '--location', '--retry', '3', '-o', expect.stringMatching(/soci\.tar\.gz$/),
      `https://github.com/awslabs/soci-snapshotter/releases/download/v${soci.version}/soci-snapshotter-${soci.version}-linux-${machine}.tar.gz`],
    ['sha256sum', '--check', '--status'],
    ['curl', '--silent', '--show-error', '--fail', '--location', '--retry', '3', '-o', expect.stringMatching(/crane\.tar\.gz$/),
      `https://github.com/google/go-containerregistry/releases/download/v${soci.craneVersion}/go-containerregistry_Linux_${machine === 'amd64' ? 'x86_64' : 'arm64'}.tar.gz`],
    ['sha256sum', '--check', '--status'],
  ] as any;
  /** The calls that index one agent's pushed plain image and push it under the tag the task definitions run. */
  const sociIndex = (image: string): string[][] => [
    ['crane', 'pull', '--format', 'oci', `${uri(image)}:plain-v7`, expect.stringMatching(/\/image$/)],
    ['soci', 'convert', '--standalone', '--format', 'oci-dir', expect.stringMatching(/\/image$/), expect.stringMatching(/\/indexed$/)],
    ['crane', 'push', expect.stringMatching(/\/indexed$/), `${uri(image)}:v7`],
  ] as any;

  test('logs in to ECR, builds and pushes the base, then each agent on the pushed base, with its SOCI index, each to its own repository', () => {
    const result = tools.run(path.join(context, 'ci-build.sh'), [], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const calls = tools.calls();
    expect(calls.map((c) => c.argv)).toEqual([
      ...installTools(),
      ['aws', 'ecr', 'get-login-password', '--region', 'eu-west-1'],
      ['docker', 'login', '--username', 'AWS', '--password-stdin', REGISTRY],
      describeImages('base'),
      ['docker', 'build', '-f', 'base/Dockerfile', '-t', `${uri('base')}:v7`, '.'],
      ['docker', 'push', `${uri('base')}:v7`],
      describeImages('claude'),
      describeImages('claude', 'plain-v7'),
      ['docker', 'build', '-f', 'claude/Dockerfile', '--build-arg', `BASE_IMAGE=${uri('base')}:v7`, '-t', `${uri('claude')}:plain-v7`, '.'],
      ['docker', 'push', `${uri('claude')}:plain-v7`],
      ...sociIndex('claude'),
      describeImages('aider'),
      describeImages('aider', 'plain-v7'),
      ['docker', 'build', '-f', 'aider/Dockerfile', '--build-arg', `BASE_IMAGE=${uri('base')}:v7`, '-t', `${uri('aider')}:plain-v7`, '.'],
      ['docker', 'push', `${uri('aider')}:plain-v7`],
      ...sociIndex('aider'),
    ]);
    const login = calls.find((c) => c.argv[1] === 'login')!;
    expect(login.stdin).toBe('fake-password\n');
    const baseBuild = calls.find((c) => c.argv[1] === 'build')!;
    expect(baseBuild.cwd).toBe(fs.realpathSync(context));
    expect(baseBuild.context).toEqual(expect.arrayContaining(['base/Dockerfile', 'worker/worker.js', 'claude/Dockerfile']));
  });

  test('checks each SOCI tool archive against its pinned SHA-256 before it uses the tool', () => {
    tools.run(path.join(context, 'ci-build.sh'), [], env);
    const checks = tools.calls().filter((c) => c.argv[0] === 'sha256sum').map((c) => c.stdin.split(/\s+/)[0]);
    expect(checks).toEqual([soci.sha256[machine], soci.craneSha256[machine]]);
    for (const hash of checks) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('a SOCI tool archive without the pinned SHA-256 stops the build before any tool of it runs, and the deployment hears of it', () => {
    // The real sha256sum: the fake archive cannot have the pinned hash.
    fs.rmSync(path.join(tools.dir, 'sha256sum'));
    const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, WAIT_HANDLE_URL: 'https://handle.example/x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`does not have the pinned SHA-256 ${soci.sha256[machine]}; not using it`);
    const ran = tools.calls().map((c) => c.argv[0]);
    expect(ran).not.toContain('soci');
    expect(ran).not.toContain('crane');
    expect(ran).not.toContain('docker');
    const signal = tools.calls().filter((c) => c.argv.includes('PUT'));
    expect(JSON.parse(option(signal[0].argv, '--data-binary'))).toMatchObject({ Status: 'FAILURE' });
  });

  test('an agent whose plain image an earlier build pushed is indexed without building it again', () => {
    const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, AGENTS: 'claude', FAKE_ECR_IMAGES: `${repo('base')}:v7 ${repo('claude')}:plain-v7` });
    expect(result.status).toBe(0);
    expect(tools.calls().filter((c) => ['docker', 'crane', 'soci'].includes(c.argv[0]) && c.argv[1] !== 'login').map((c) => c.argv))
      .toEqual(sociIndex('claude'));
  });

  test('a rebuild skips each image whose immutable tag an earlier, partial build already pushed, and pushes the rest', () => {
    const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, FAKE_ECR_IMAGES: `${repo('base')}:v7 ${repo('claude')}:v7` });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const work = tools.calls().filter((c) => ['docker', 'crane', 'soci'].includes(c.argv[0]) && c.argv[1] !== 'login').map((c) => c.argv);
    expect(work).toEqual([
      ['docker', 'build', '-f', 'aider/Dockerfile', '--build-arg', `BASE_IMAGE=${uri('base')}:v7`, '-t', `${uri('aider')}:plain-v7`, '.'],
      ['docker', 'push', `${uri('aider')}:plain-v7`],
      ...sociIndex('aider'),
    ]);
    expect(result.stdout).toContain(`${uri('claude')}:v7 is already in the registry`);
  });

  test('an ECR error other than a missing tag stops the build before it builds anything', () => {
    fs.writeFileSync(path.join(tools.dir, 'aws'), [
      '#!/bin/sh',
      '[ "$2" = get-login-password ] && { echo pw; exit 0; }',
      'echo "An error occurred (AccessDeniedException) when calling the DescribeImages operation: not authorized" >&2',
      'exit 254',
    ].join('\n'));
    const result = tools.run(path.join(context, 'ci-build.sh'), [], env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AccessDeniedException');
    expect(tools.calls().filter((c) => c.argv[1] === 'build' || c.argv[1] === 'push')).toEqual([]);
  });

  test('fails, naming it, when an agent\'s repository URI is missing', () => {
    const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, REPOSITORY_URI_aider: undefined });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('REPOSITORY_URI_aider');
    expect(tools.calls()).toEqual([]);
  });

  test.each(Object.keys(env))('fails, naming it, when %s is unset', (name) => {
    const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, [name]: undefined });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(name);
    expect(tools.calls()).toEqual([]);
  });

  test('refuses an unknown agent and a source without the worker before logging in', () => {
    expect(tools.run(path.join(context, 'ci-build.sh'), [], { ...env, AGENTS: 'claude cursor' }).stderr).toContain("unknown agent 'cursor'");
    fs.rmSync(path.join(context, 'worker'), { recursive: true });
    expect(tools.run(path.join(context, 'ci-build.sh'), [], env).stderr).toContain('worker/worker.js');
    expect(tools.calls()).toEqual([]);
  });

  describe('when a deployment waits for the build (WAIT_HANDLE_URL)', () => {
    const HANDLE = 'https://cloudformation-waitcondition-eu-west-1.s3.amazonaws.com/handle?X-Amz-Signature=abc';
    const signal = (calls: Call[]) => {
      const curl = calls.filter((c) => c.argv[0] === 'curl' && c.argv.includes('PUT'));
      expect(curl).toHaveLength(1);
      expect(curl[0].argv).toEqual(expect.arrayContaining(['-X', 'PUT', HANDLE]));
      return JSON.parse(option(curl[0].argv, '--data-binary'));
    };

    test('signals SUCCESS after every image is pushed', () => {
      const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, WAIT_HANDLE_URL: HANDLE, CODEBUILD_BUILD_ID: 'outpost:42' });
      expect(result.status).toBe(0);
      expect(tools.calls().slice(-1)[0].argv).toContain('PUT');
      expect(signal(tools.calls())).toEqual({ Status: 'SUCCESS', Reason: 'Pushed the images tagged v7', UniqueId: 'outpost:42', Data: 'v7' });
    });

    test('signals FAILURE and keeps the exit code when a build fails', () => {
      fs.writeFileSync(path.join(tools.dir, 'docker'), '#!/bin/sh\n[ "$1" = login ] && cat >/dev/null\n[ "$1" = build ] && exit 4\nexit 0\n');
      const result = tools.run(path.join(context, 'ci-build.sh'), [], { ...env, WAIT_HANDLE_URL: HANDLE });
      expect(result.status).toBe(4);
      expect(signal(tools.calls())).toMatchObject({ Status: 'FAILURE', Reason: expect.stringContaining('exit 4') });
    });
  });

  test('does not push an image whose build failed', () => {
    fs.writeFileSync(path.join(tools.dir, 'docker'), '#!/bin/sh\n[ "$1" = login ] && cat >/dev/null\n[ "$1" = build ] && exit 4\nexit 0\n');
    const result = tools.run(path.join(context, 'ci-build.sh'), [], env);
    expect(result.status).toBe(4);
    expect(tools.calls().filter((c) => c.argv[0] !== 'curl' && c.argv[0] !== 'sha256sum').map((c) => c.argv.slice(0, 3)))
      .toEqual([['aws', 'ecr', 'get-login-password'], ['aws', 'ecr', 'describe-images']]);
  });
});

describe('containers/buildspec.yml', () => {
  const text = fs.readFileSync(path.join(CONTAINERS, 'buildspec.yml'), 'utf8');

  test('is a version 0.2 buildspec that runs ci-build.sh with bash', () => {
    expect(text).toMatch(/^version: 0\.2$/m);
    expect(text).toMatch(/^ {2}shell: bash$/m);
    expect(text).toMatch(/^ {6}- bash ci-build\.sh$/m);
  });

  test('builds every agent image unless the project says otherwise', () => {
    const agents = /^ {4}AGENTS: "([^"]*)"$/m.exec(text)?.[1].split(' ');
    expect(agents).toEqual(ALL_AGENTS);
    for (const agent of agents ?? []) {
      expect(fs.existsSync(path.join(CONTAINERS, agent, 'Dockerfile'))).toBe(true);
    }
  });
});
