import * as fs from 'fs';
import * as path from 'path';
import { AgentKind } from '../src';
import { composeAgentDockerfile, stageImageContext } from '../src/agents/image-context';

describe('composeAgentDockerfile', () => {
  const base = ['ARG NODE_VERSION=22', 'FROM ubuntu:24.04 AS build', 'RUN make', 'FROM ubuntu:24.04 AS runtime', 'USER agent'].join('\n');

  test('names the base\'s final stage and builds the agent on it', () => {
    const agent = ['# Claude Code', 'ARG BASE_IMAGE=outpost-base', 'ARG CLI_VERSION=2.1.331', 'FROM ${BASE_IMAGE}', 'USER root', 'RUN npm i -g x@${CLI_VERSION}', 'USER agent'].join('\n');
    const lines = composeAgentDockerfile(base, agent).split('\n');
    expect(lines.filter((line) => line.startsWith('FROM'))).toEqual(['FROM ubuntu:24.04 AS build', 'FROM ubuntu:24.04 AS outpost-base', 'FROM outpost-base']);
    expect(lines).not.toContain('ARG BASE_IMAGE=outpost-base');
    // A global ARG of the agent file must be declared inside its stage once it follows other stages.
    expect(lines.indexOf('ARG CLI_VERSION=2.1.331')).toBe(lines.indexOf('FROM outpost-base') + 1);
    expect(lines[0]).toBe('ARG NODE_VERSION=22');
  });

  test('rejects files that do not follow the build contract', () => {
    expect(() => composeAgentDockerfile('RUN true', 'FROM ${BASE_IMAGE}')).toThrow(/no FROM/);
    expect(() => composeAgentDockerfile(base, 'FROM ubuntu:24.04')).toThrow(/must build FROM \$\{BASE_IMAGE\}/);
  });
});

describe('stageImageContext', () => {
  test('lays out base, the agents asked for, the build files and the worker', () => {
    const context = stageImageContext([AgentKind.CLAUDE, AgentKind.GROK]);
    const entries = fs.readdirSync(context.directory).sort();
    expect(entries).toEqual(expect.arrayContaining(['base', 'claude', 'grok', 'worker', 'buildspec.yml']));
    expect(entries).not.toContain('codex');
    expect(fs.existsSync(path.join(context.directory, 'worker', 'worker.js'))).toBe(true);
    expect(context.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the fingerprint follows the content', () => {
    const one = stageImageContext([AgentKind.CLAUDE]);
    const again = stageImageContext([AgentKind.CLAUDE]);
    const more = stageImageContext([AgentKind.CLAUDE, AgentKind.CODEX]);
    expect(again.fingerprint).toBe(one.fingerprint);
    expect(more.fingerprint).not.toBe(one.fingerprint);
  });
});
