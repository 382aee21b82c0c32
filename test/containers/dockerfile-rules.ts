/**
 * The rules every Outpost Dockerfile keeps, as a checker that returns what a Dockerfile breaks.
 * dockerfiles.test.ts runs it over containers/**, and over deliberately bad Dockerfiles to prove each
 * rule can fail. The reading of a Dockerfile itself is shipped code (runtime/local/kit/dockerfile.ts), which
 * Outpost Local uses to find an image's CLI pin and conditions.
 */
import {
  APT_INSTALL, commands, installedPackages, keyValues, normalized, parseDockerfile, words,
  type InstalledPackage, type Instruction,
} from '../../runtime/local/kit/dockerfile';

export { installedPackages, keyValues, parseDockerfile, type InstalledPackage, type Instruction };

export interface Violation {
  readonly rule: string;
  readonly line: number;
  readonly message: string;
}

export type DockerfileRole = { readonly kind: 'base' } | { readonly kind: 'agent'; readonly agent: string };

export const WORKER_PATH = '/opt/outpost/worker/worker.js';
export const ENTRYPOINT = ['/usr/bin/tini', '--', 'node', WORKER_PATH];
export const WRITABLE_PATHS = ['/workspace', '/home/agent', '/tmp', '/mnt/workspace'];

const EXACT_SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Why a package spec is not pinned to one exact version, or undefined when it is. */
function unpinned(pkg: InstalledPackage): string | undefined {
  switch (pkg.manager) {
    case 'apt':
      return /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?=[A-Za-z0-9.+:~-]+$/.test(pkg.spec)
        ? undefined : `apt package ${pkg.spec} is not pinned as name=version`;
    case 'npm': {
      const match = /^(@[^/@\s]+\/)?[^@\s]+@(.+)$/.exec(pkg.spec);
      return match && EXACT_SEMVER.test(match[2])
        ? undefined : `npm package ${pkg.spec} is not pinned to an exact version`;
    }
    case 'pip':
      return /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+$/.test(pkg.spec)
        ? undefined : `pip package ${pkg.spec} is not pinned with ==`;
  }
}

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const SECRET_VALUE = /(AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{30,})/;

/** Parse FROM's image reference and stage name. */
function fromImage(instruction: Instruction): { image: string; stage?: string } {
  const list = words(instruction.args).filter((w) => !w.startsWith('--'));
  const asIndex = list.findIndex((w) => w.toUpperCase() === 'AS');
  return { image: list[0] ?? '', stage: asIndex >= 0 ? list[asIndex + 1]?.toLowerCase() : undefined };
}

/** Why an image reference is not pinned (tag and digest, or a dated tag), or undefined when it is. */
export function unpinnedImage(image: string): string | undefined {
  const match = /^(?<name>[a-z0-9][a-z0-9._/-]*(:\d+\/[a-z0-9._/-]+)?)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?(@sha256:(?<digest>[a-f0-9]+))?$/.exec(image);
  if (!match?.groups) {
    return `image ${image} is not a literal image reference`;
  }
  const { tag, digest } = match.groups;
  if (tag === undefined) {
    return `image ${image} has no tag`;
  }
  if (tag === 'latest') {
    return `image ${image} uses the latest tag`;
  }
  if (digest !== undefined) {
    return digest.length === 64 ? undefined : `image ${image} has a malformed sha256 digest`;
  }
  return /(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(tag)
    ? undefined : `image ${image} has neither a digest nor a dated tag`;
}

function isRoot(user: string): boolean {
  return /^(root|0)(:(root|0))?$/.test(user.trim());
}

/** Rules every image keeps. */
function commonRules(instructions: Instruction[]): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, line: number, message: string) => violations.push({ rule, line, message });

  const users = instructions.filter((i) => i.keyword === 'USER');
  const lastUser = users[users.length - 1];
  if (!lastUser) {
    add('non-root-user', 0, 'no USER instruction: the image would run as root');
  } else if (isRoot(lastUser.args)) {
    add('non-root-user', lastUser.line, `the last USER is ${lastUser.args}`);
  }

  for (const pkg of installedPackages(instructions)) {
    const why = unpinned(pkg);
    if (why) {
      add(`${pkg.manager}-pinned`, pkg.line, why);
    }
  }

  for (const { keyword, args, line } of instructions) {
    if (keyword === 'RUN') {
      const aptInstalls = commands(args).filter((c) => APT_INSTALL.test(normalized(c)));
      for (const install of aptInstalls) {
        if (!/--no-install-recommends\b/.test(install)) {
          add('apt-no-recommends', line, 'apt-get install without --no-install-recommends');
        }
      }
      if (aptInstalls.length > 0 && !/rm -rf [^&;|]*\/var\/lib\/apt\/lists/.test(args)) {
        add('apt-lists-cleaned', line, 'apt-get install without removing /var/lib/apt/lists in the same RUN');
      }
      if (/\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|da|z)?sh\b/.test(args)) {
        add('no-pipe-to-shell', line, 'a downloaded script is piped into a shell');
      }
    }
    if (keyword === 'ADD') {
      const sources = words(args).filter((w) => !w.startsWith('--')).slice(0, -1);
      if (sources.some((s) => /^(https?|ftp):\/\/|^git@|\.git$/.test(s))) {
        add('no-remote-add', line, 'ADD fetches a remote URL; download with a checksum in RUN instead');
      }
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const [key, value] of keyValues({ keyword, args, line })) {
        if ((SECRET_NAME.test(key) && value !== '') || SECRET_VALUE.test(value)) {
          add('no-secret-env', line, `${keyword} ${key} bakes a secret into the image`);
        }
      }
    }
  }
  return violations;
}

/** The base image's contract with the worker, the task definition and the agent images. */
function baseRules(instructions: Instruction[]): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, line: number, message: string) => violations.push({ rule, line, message });
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  const stages = new Set<string>();
  for (const from of froms) {
    const { image, stage } = fromImage(from);
    if (!stages.has(image.toLowerCase())) {
      const why = unpinnedImage(image);
      if (why) {
        add('from-pinned', from.line, why);
      }
    }
    if (stage) {
      stages.add(stage);
    }
  }
  const lastFrom = froms[froms.length - 1];
  const finalStage = lastFrom ? instructions.filter((i) => i.line > lastFrom.line) : [];
  const copiesFromStage = finalStage.some((i) => i.keyword === 'COPY'
    && [...stages].some((s) => new RegExp(`--from=${s}(\\s|$)`, 'i').test(i.args)));
  if (froms.length < 2 || !copiesFromStage) {
    add('multi-stage', lastFrom?.line ?? 0, 'the base must be multi-stage, its final stage copying from a build stage');
  }

  const last = (keyword: string) => finalStage.filter((i) => i.keyword === keyword).pop();
  const healthcheck = last('HEALTHCHECK');
  if (!healthcheck || !/\bCMD\b.*\bnode\b.*\/opt\/outpost\/worker\/worker\.js.*--healthcheck/.test(healthcheck.args)) {
    add('healthcheck', healthcheck?.line ?? 0, `no HEALTHCHECK running node ${WORKER_PATH} --healthcheck`);
  }
  const entrypoint = last('ENTRYPOINT');
  let entrypointArgs: unknown;
  try {
    entrypointArgs = entrypoint ? JSON.parse(entrypoint.args) : undefined;
  } catch {
    entrypointArgs = undefined;
  }
  if (JSON.stringify(entrypointArgs) !== JSON.stringify(ENTRYPOINT)) {
    add('entrypoint', entrypoint?.line ?? 0, `ENTRYPOINT must be ${JSON.stringify(ENTRYPOINT)} in exec form`);
  }
  if (!finalStage.some((i) => i.keyword === 'EXPOSE' && words(i.args).includes('8080'))) {
    add('expose', 0, 'the worker port 8080 is not EXPOSEd');
  }
  if (last('WORKDIR')?.args !== '/workspace') {
    add('workdir', last('WORKDIR')?.line ?? 0, 'the last WORKDIR must be /workspace');
  }
  if (last('USER')?.args !== 'agent') {
    add('agent-user', last('USER')?.line ?? 0, 'the final USER must be agent');
  }
  if (!finalStage.some((i) => i.keyword === 'COPY' && new RegExp(`^worker/worker\\.js\\s+${WORKER_PATH}$`).test(i.args))) {
    add('worker', 0, `worker/worker.js is not copied to ${WORKER_PATH}`);
  }
  const runs = finalStage.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' && ');
  if (!/groupadd --gid 1000 agent\b/.test(runs) || !/useradd --uid 1000 --gid agent\b.*--home-dir \/home\/agent\b.*\bagent$/m.test(commands(runs).join('\n'))) {
    add('agent-user', 0, 'user agent (uid/gid 1000, home /home/agent) is not created');
  }
  const chowned = commands(runs).filter((c) => /^chown agent:agent /.test(c)).flatMap((c) => words(c).slice(2));
  for (const path of WRITABLE_PATHS.filter((p) => !chowned.includes(p))) {
    add('writable-paths', 0, `${path} is not created owned by agent`);
  }
  const nodeVersion = instructions.map((i) => (i.keyword === 'ARG' ? keyValues(i).get('NODE_VERSION') : undefined)).find((v) => v !== undefined);
  if (!nodeVersion || !/^22\.\d+\.\d+$/.test(nodeVersion) || !/sha256sum --check/.test(instructions.map((i) => i.args).join('\n'))) {
    add('node-verified', 0, 'Node.js 22 must be pinned to an exact version and its tarball checked with sha256sum');
  }
  return violations;
}

/** An agent image: built FROM ${BASE_IMAGE}, installing its CLI as root and ending as agent. */
function agentRules(instructions: Instruction[], agent: string): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, line: number, message: string) => violations.push({ rule, line, message });
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  const argIndex = instructions.findIndex((i) => i.keyword === 'ARG' && keyValues(i).has('BASE_IMAGE'));
  const fromIndex = instructions.findIndex((i) => i.keyword === 'FROM');
  if (froms.length !== 1 || !/^\$\{?BASE_IMAGE\}?$/.test(froms[0].args.trim())) {
    add('agent-from-base', froms[0]?.line ?? 0, 'an agent image has exactly one FROM ${BASE_IMAGE}');
  } else if (argIndex < 0 || argIndex > fromIndex) {
    add('agent-from-base', froms[0].line, 'ARG BASE_IMAGE must come before FROM ${BASE_IMAGE}');
  }
  const users = instructions.filter((i) => i.keyword === 'USER');
  if (users[users.length - 1]?.args !== 'agent') {
    add('agent-user', users[users.length - 1]?.line ?? 0, 'an agent image ends as USER agent');
  }
  const installs = installedPackages(instructions).filter((p) => p.manager !== 'apt');
  if (installs.length === 0) {
    add('agent-cli', 0, 'the agent image installs no CLI');
  }
  for (const pkg of installs) {
    const userThen = users.filter((u) => u.line < pkg.line).pop();
    if (!userThen || !isRoot(userThen.args)) {
      add('agent-cli', pkg.line, `${pkg.spec} is not installed as root`);
    }
  }
  const agentEnv = instructions.filter((i) => i.keyword === 'ENV').map((i) => keyValues(i).get('OUTPOST_AGENT')).find((v) => v !== undefined);
  if (agentEnv !== agent) {
    add('agent-env', 0, `ENV OUTPOST_AGENT must be ${agent}`);
  }
  return violations;
}

/** Every rule the Dockerfile breaks; [] when it keeps them all. */
export function checkDockerfile(text: string, role: DockerfileRole): Violation[] {
  const instructions = parseDockerfile(text);
  const specific = role.kind === 'base' ? baseRules(instructions) : agentRules(instructions, role.agent);
  return [...commonRules(instructions), ...specific];
}
