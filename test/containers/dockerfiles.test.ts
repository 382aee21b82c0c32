import * as fs from 'fs';
import * as path from 'path';
import {
  checkDockerfile, DockerfileRole, installedPackages, keyValues, parseDockerfile, unpinnedImage, Violation,
} from './dockerfile-rules';

const CONTAINERS = path.join(__dirname, '..', '..', 'containers');

/** Each agent image, the one CLI it installs (the pins are the contract: bump them here too), and the switches that keep it quiet. */
const AGENTS: Record<string, { manager: 'npm' | 'pip'; spec: string; env: Record<string, string> }> = {
  claude: {
    manager: 'npm',
    spec: '@anthropic-ai/claude-code@2.1.332',
    env: { DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
  },
  codex: { manager: 'npm', spec: '@openai/codex@0.171.0', env: {} },
  gemini: { manager: 'npm', spec: '@google/gemini-cli@0.61.0', env: { GEMINI_TELEMETRY_ENABLED: 'false' } },
  aider: {
    manager: 'pip',
    spec: 'aider-chat==0.86.2',
    env: { AIDER_ANALYTICS: 'false', AIDER_ANALYTICS_DISABLE: 'true', AIDER_CHECK_UPDATE: 'false', AIDER_SHOW_RELEASE_NOTES: 'false' },
  },
  grok: {
    manager: 'npm',
    spec: 'opencode-ai@1.18.18',
    env: { OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_DISABLE_SHARE: '1' },
  },
};

function read(relative: string): string {
  return fs.readFileSync(path.join(CONTAINERS, relative), 'utf8');
}

function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `line ${v.line}: [${v.rule}] ${v.message}`).join('\n');
}

/** The ENV of a Dockerfile as one map. */
function envOf(text: string): Map<string, string> {
  const env = new Map<string, string>();
  parseDockerfile(text).filter((i) => i.keyword === 'ENV').forEach((i) => keyValues(i).forEach((v, k) => env.set(k, v)));
  return env;
}

/** `COPY src dest` pairs of a Dockerfile, stage copies left out. */
function contextCopies(text: string): Array<{ sources: string[]; dest: string }> {
  return parseDockerfile(text)
    .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !/--from=/.test(i.args))
    .map((i) => i.args.split(/\s+/).filter((w) => !w.startsWith('--')))
    .map((list) => ({ sources: list.slice(0, -1), dest: list[list.length - 1] }));
}

describe('the images there are', () => {
  test('containers/ holds the base and exactly the five agent images', () => {
    const withDockerfile = fs.readdirSync(CONTAINERS, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(CONTAINERS, d.name, 'Dockerfile')))
      .map((d) => d.name)
      .sort();
    expect(withDockerfile).toEqual(['base', ...Object.keys(AGENTS)].sort());
  });

  test('every file a Dockerfile copies from the context is in the context the build stages', () => {
    // build.sh and CodeBuild stage containers/* plus worker/worker.js, which the build copies in.
    const staged = (source: string) => source === 'worker/worker.js' || fs.existsSync(path.join(CONTAINERS, source));
    for (const name of ['base', ...Object.keys(AGENTS)]) {
      for (const { sources } of contextCopies(read(`${name}/Dockerfile`))) {
        expect(sources.filter((s) => !staged(s))).toEqual([]);
      }
    }
  });
});

describe('base image', () => {
  const text = read('base/Dockerfile');

  test('keeps every rule', () => {
    expect(describeViolations(checkDockerfile(text, { kind: 'base' }))).toBe('');
  });

  test('starts from Ubuntu 24.04 pinned by tag and digest, in every stage', () => {
    const images = parseDockerfile(text).filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) {
      expect(image).toMatch(/^ubuntu:24\.04@sha256:[a-f0-9]{64}$/);
    }
  });

  test('pins Python 3.12 from Ubuntu and ships git, ripgrep, tini and the build tools', () => {
    const apt = new Map(installedPackages(parseDockerfile(text))
      .filter((p) => p.manager === 'apt')
      .map((p) => p.spec.split('=') as [string, string]));
    expect(apt.get('python3')).toMatch(/^3\.12\./);
    for (const name of ['git', 'ripgrep', 'tini', 'build-essential', 'curl', 'ca-certificates', 'openssh-client', 'jq', 'unzip', 'python3-venv']) {
      expect(apt.get(name)).toBeDefined();
    }
  });
});

describe.each(Object.entries(AGENTS))('%s image', (agent, expected) => {
  const text = read(`${agent}/Dockerfile`);
  const role: DockerfileRole = { kind: 'agent', agent };

  test('keeps every rule', () => {
    expect(describeViolations(checkDockerfile(text, role))).toBe('');
  });

  test(`installs exactly ${expected.spec}`, () => {
    const cli = installedPackages(parseDockerfile(text)).filter((p) => p.manager !== 'apt');
    expect(cli.map((p) => [p.manager, p.spec])).toEqual([[expected.manager, expected.spec]]);
  });

  test('turns off update checks and telemetry through the environment', () => {
    const env = envOf(text);
    expect(Object.fromEntries([...env].filter(([k]) => k in expected.env))).toEqual(expected.env);
  });
});

describe('agent settings files', () => {
  test('gemini: the system settings file turns off auto-update, its notice, usage statistics and telemetry', () => {
    expect(contextCopies(read('gemini/Dockerfile'))).toContainEqual({ sources: ['gemini/settings.json'], dest: '/etc/gemini-cli/settings.json' });
    const settings = JSON.parse(read('gemini/settings.json'));
    expect(settings).toMatchObject({
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    });
  });

  test('codex: the system config layer turns off the update check, analytics and feedback', () => {
    expect(contextCopies(read('codex/Dockerfile'))).toContainEqual({ sources: ['codex/config.toml'], dest: '/etc/codex/config.toml' });
    const lines = read('codex/config.toml').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    // Top-level keys must come before the first table, or TOML files them under that table.
    expect(lines[0]).toBe('check_for_update_on_startup = false');
    expect(lines.join('\n')).toContain('[analytics]\nenabled = false');
    expect(lines.join('\n')).toContain('[feedback]\nenabled = false');
  });
});

describe('the rule checker', () => {
  const BAD_BASE = [
    'FROM node',
    'FROM ubuntu:latest',
    'ADD https://example.com/install.sh /tmp/install.sh',
    'RUN apt-get update && apt-get install -y curl git=1:2.43.0-1ubuntu7.3',
    'RUN curl -fsSL https://example.com/setup | bash',
    'ENV OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwx',
    'ARG GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123',
    'ENTRYPOINT node /opt/outpost/worker/worker.js',
    'USER root',
  ].join('\n');

  test('a deliberately bad base Dockerfile breaks every rule it should', () => {
    const rules = new Set(checkDockerfile(BAD_BASE, { kind: 'base' }).map((v) => v.rule));
    expect([...rules].sort()).toEqual([
      'agent-user', 'apt-lists-cleaned', 'apt-no-recommends', 'apt-pinned', 'entrypoint', 'expose', 'from-pinned',
      'healthcheck', 'multi-stage', 'no-pipe-to-shell', 'no-remote-add', 'no-secret-env', 'node-verified', 'non-root-user',
      'worker', 'workdir', 'writable-paths',
    ].sort());
  });

  test('names each unpinned package and each leaked secret', () => {
    const messages = checkDockerfile(BAD_BASE, { kind: 'base' }).map((v) => v.message);
    expect(messages).toContain('apt package curl is not pinned as name=version');
    expect(messages).not.toContain('apt package git=1:2.43.0-1ubuntu7.3 is not pinned as name=version');
    expect(messages).toContain('ENV OPENAI_API_KEY bakes a secret into the image');
    expect(messages).toContain('ARG GITHUB_TOKEN bakes a secret into the image');
    expect(messages).toContain('image node has no tag');
    expect(messages).toContain('image ubuntu:latest uses the latest tag');
  });

  test('a deliberately bad agent Dockerfile breaks every rule it should', () => {
    const bad = [
      'FROM ${BASE_IMAGE}',
      'ARG BASE_IMAGE=outpost-base',
      'RUN npm install -g @anthropic-ai/claude-code@latest && npm i --global left-pad@^1.3.0',
      'RUN pip install aider-chat && DEBIAN_FRONTEND=noninteractive apt-get -y install jq',
      'ENV OUTPOST_AGENT=claud',
    ].join('\n');
    const violations = checkDockerfile(bad, { kind: 'agent', agent: 'claude' });
    expect([...new Set(violations.map((v) => v.rule))].sort()).toEqual([
      'agent-cli', 'agent-env', 'agent-from-base', 'agent-user', 'apt-lists-cleaned', 'apt-no-recommends', 'apt-pinned',
      'non-root-user', 'npm-pinned', 'pip-pinned',
    ]);
    expect(violations.filter((v) => v.rule.endsWith('-pinned')).map((v) => v.message)).toEqual([
      'npm package @anthropic-ai/claude-code@latest is not pinned to an exact version',
      'npm package left-pad@^1.3.0 is not pinned to an exact version',
      'pip package aider-chat is not pinned with ==',
      'apt package jq is not pinned as name=version',
    ]);
  });

  test('a minimal agent Dockerfile that keeps the rules passes', () => {
    const good = [
      '# comment',
      'ARG BASE_IMAGE=outpost-base',
      'FROM ${BASE_IMAGE}',
      'ENV OUTPOST_AGENT=claude',
      'USER root',
      'RUN npm install --global --no-audit \\',
      '      @anthropic-ai/claude-code@2.1.332 \\',
      ' && rm -rf /root/.npm',
      'USER agent',
    ].join('\n');
    expect(checkDockerfile(good, { kind: 'agent', agent: 'claude' })).toEqual([]);
  });

  test.each([
    ['ubuntu:24.04@sha256:' + 'a'.repeat(64), undefined],
    ['ubuntu:noble-20260911', undefined],
    ['ubuntu:24.04', 'image ubuntu:24.04 has neither a digest nor a dated tag'],
    ['ubuntu@sha256:' + 'a'.repeat(64), 'image ubuntu@sha256:' + 'a'.repeat(64) + ' has no tag'],
    ['ubuntu:latest@sha256:' + 'a'.repeat(64), 'image ubuntu:latest@sha256:' + 'a'.repeat(64) + ' uses the latest tag'],
    ['ubuntu:24.04@sha256:abc', 'image ubuntu:24.04@sha256:abc has a malformed sha256 digest'],
    ['${BASE}', 'image ${BASE} is not a literal image reference'],
  ])('image pin %s', (image, why) => {
    expect(unpinnedImage(image)).toBe(why);
  });
});
