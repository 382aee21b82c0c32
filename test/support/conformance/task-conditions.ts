import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { Agent, type OutpostPlatformProps } from '../../../src';
import { keyValues, parseDockerfile, type Instruction } from '../../containers/dockerfile-rules';
import { synthPlatform } from '../platform-stack';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..', '..');
const CONTAINERS = path.join(REPOSITORY_ROOT, 'containers');

/** A writable path of the task: a task volume mounted into the container. */
export interface TaskMount {
  readonly volume: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
  /** The volume has a host path (`Host.SourcePath`): only EC2 has those, Fargate refuses them. */
  readonly hostPath?: string;
}

/** What the image holds at a path, as the Dockerfile's RUN steps leave it. */
export interface ImagePath {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** Files the image puts there (`useradd --create-home` copies /etc/skel into the home). */
  readonly skeleton?: string;
}

/** Everything about how Fargate would start the agent's container that the sandbox reproduces. */
export interface TaskConditions {
  readonly agent: AgentName;
  /** The container definition's `User` (uid:gid), or the image's USER when it has none. */
  readonly uid: number;
  readonly gid: number;
  readonly userName: string;
  readonly readonlyRootFilesystem: boolean;
  readonly mounts: readonly TaskMount[];
  /** `LinuxParameters.Capabilities.Drop`. */
  readonly droppedCapabilities: readonly string[];
  /**
   * The capabilities the container's process keeps: the default set less the dropped ones (and plus the added
   * ones). For root they are its bounding, permitted and effective sets; a non-root user gets them only as its
   * bounding set.
   */
  readonly capabilities: readonly string[];
  /** Every user the image creates, for its /etc/passwd. */
  readonly users: ReadonlyArray<{ readonly name: string; readonly uid: number; readonly gid: number; readonly home: string }>;
  /** The container's environment as Docker assembles it: the image's ENV, then the task definition's. */
  readonly environment: Readonly<Record<string, string>>;
  /** Names of the task definition's `Secrets`, which ECS injects as variables (values are the test's). */
  readonly secretNames: readonly string[];
  readonly healthCheck: readonly string[];
  readonly workdir: string;
  /** Container paths the images declare as `VOLUME` (base and agent Dockerfile). */
  readonly volumes: readonly string[];
  /** What the image holds at each path it creates and chowns or chmods. */
  readonly imagePaths: Readonly<Record<string, ImagePath>>;
  /** The container user's home in the image's /etc/passwd. */
  readonly home: string;
  /** The Dockerfiles' `COPY` from the build context: host file → image path. */
  readonly copies: ReadonlyArray<{ readonly source: string; readonly destination: string }>;
}

/**
 * The capabilities a container starts with unless its task definition drops some: Docker's default set, which
 * Fargate uses too ("Fargate ... supports the default Docker capabilities" and lets a task add only
 * SYS_PTRACE: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html).
 * The list is moby's oci/caps/defaults.go (DefaultCapabilities).
 */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP',
  'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/**
 * The platforms whose task definitions a conformance run can take its conditions from: the default one, and one
 * whose Claude Code calls Claude on Amazon Bedrock with the task role (`Agent.claude({ useBedrock: true })`: no API-key
 * secret, CLAUDE_CODE_USE_BEDROCK and ANTHROPIC_MODEL in its environment).
 */
export const PLATFORM_VARIANTS = {
  'default': (): OutpostPlatformProps | undefined => undefined,
  'claude-on-bedrock': (): OutpostPlatformProps => ({ agents: [Agent.claude({ useBedrock: true })] }),
} as const;
export type PlatformVariant = keyof typeof PLATFORM_VARIANTS;

/** The container definition of the agent's task definition in the platform's template. */
export function containerDefinition(agent: AgentName, platform: PlatformVariant = 'default'): any {
  const definitions = taskDefinitions(platform)
    .filter((properties) => (properties.ContainerDefinitions[0].Environment ?? [])
      .some((variable: any) => variable.Name === 'OUTPOST_AGENT' && variable.Value === agent));
  if (definitions.length !== 1) {
    throw new Error(`expected one task definition for ${agent} in the ${platform} platform, found ${definitions.length}`);
  }
  const [properties] = definitions;
  const container = properties.ContainerDefinitions[0];
  return { ...container, Volumes: properties.Volumes ?? [] };
}

/**
 * The platform's task definitions. Synthesizing takes seconds, and every jest worker would pay it, so they are
 * kept on disk under the variant's name and a hash of everything that decides them: the constructs (src/), the
 * package (its version goes into the template), the locked dependencies (aws-cdk-lib) and the variant's props.
 */
function taskDefinitions(platform: PlatformVariant): any[] {
  const file = path.join(os.tmpdir(), 'outpost-conformance', `task-definitions-${platform}-${sourceHash(platform)}.json`);
  if (fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  const resources = synthPlatform(PLATFORM_VARIANTS[platform]()).template.findResources('AWS::ECS::TaskDefinition');
  const definitions = Object.values(resources).map((resource) => resource.Properties);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(definitions));
  fs.renameSync(partial, file);
  return definitions;
}

function sourceHash(platform: PlatformVariant): string {
  const hash = createHash('sha256').update(PLATFORM_VARIANTS[platform].toString()).update('\0');
  const add = (file: string) => hash.update(path.relative(REPOSITORY_ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        add(full);
      }
    }
  };
  walk(path.join(REPOSITORY_ROOT, 'src'));
  add(path.join(REPOSITORY_ROOT, 'package.json'));
  add(path.join(REPOSITORY_ROOT, 'package-lock.json'));
  return hash.digest('hex').slice(0, 16);
}

/** The conditions of the agent's task: its task definition in `platform` (synthesized) and its image (the Dockerfiles). */
export function taskConditions(agent: AgentName, platform: PlatformVariant = 'default'): TaskConditions {
  const container = containerDefinition(agent, platform);
  const image = imageOf(agent);
  const [uid, gid] = String(container.User ?? image.user).split(':').map((id) => resolveId(id, image));
  const volumesByName = new Map<string, any>(container.Volumes.map((volume: any) => [volume.Name, volume]));
  const mounts = (container.MountPoints ?? []).map((mount: any): TaskMount => {
    const volume = volumesByName.get(mount.SourceVolume);
    if (!volume) {
      throw new Error(`mount point ${mount.ContainerPath} names volume ${mount.SourceVolume}, which the task definition lacks`);
    }
    return { volume: mount.SourceVolume, containerPath: mount.ContainerPath, readOnly: mount.ReadOnly === true, hostPath: volume.Host?.SourcePath };
  });
  const taskEnvironment = Object.fromEntries((container.Environment ?? []).map((variable: any) => [variable.Name, String(variable.Value)]));
  const dropped: string[] = container.LinuxParameters?.Capabilities?.Drop ?? [];
  const added: string[] = container.LinuxParameters?.Capabilities?.Add ?? [];
  const capabilities = [...DEFAULT_CAPABILITIES.filter((capability) => !dropped.includes('ALL') && !dropped.includes(capability)), ...added];
  return {
    agent,
    uid,
    gid: gid ?? image.groups.get(image.user) ?? uid,
    userName: [...image.users].find(([, id]) => id === uid)?.[0] ?? String(uid),
    readonlyRootFilesystem: container.ReadonlyRootFilesystem === true,
    mounts,
    droppedCapabilities: dropped,
    capabilities: [...new Set(capabilities)].sort(),
    users: [...image.users].map(([name, id]) => ({ name, uid: id, gid: image.groups.get(name) ?? id, home: image.homes.get(name) ?? (id === 0 ? '/root' : '/') })),
    environment: { ...image.env, ...taskEnvironment },
    secretNames: (container.Secrets ?? []).map((secret: any) => secret.Name),
    healthCheck: container.HealthCheck?.Command ?? [],
    workdir: image.workdir,
    volumes: image.volumes,
    imagePaths: Object.fromEntries(image.paths),
    home: [...image.homes].find(([name]) => image.users.get(name) === uid)?.[1] ?? '/',
    copies: image.copies,
  };
}

interface ImageFacts {
  user: string;
  workdir: string;
  env: Record<string, string>;
  volumes: string[];
  users: Map<string, number>;
  groups: Map<string, number>;
  homes: Map<string, string>;
  paths: Map<string, ImagePath>;
  copies: Array<{ source: string; destination: string }>;
}

/** The final stage of the base image, then the agent image on top of it. */
function imageOf(agent: AgentName): ImageFacts {
  const facts: ImageFacts = {
    user: 'root', workdir: '/', env: {}, volumes: [], users: new Map([['root', 0]]), groups: new Map([['root', 0]]), homes: new Map(), paths: new Map(), copies: [],
  };
  for (const file of [path.join(CONTAINERS, 'base', 'Dockerfile'), path.join(CONTAINERS, agent, 'Dockerfile')]) {
    const instructions = parseDockerfile(fs.readFileSync(file, 'utf8'));
    const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
    instructions.slice(lastFrom + 1).forEach((instruction) => apply(facts, instruction));
  }
  return facts;
}

function apply(facts: ImageFacts, { keyword, args }: Instruction): void {
  switch (keyword) {
    case 'USER':
      facts.user = args.trim();
      break;
    case 'WORKDIR':
      facts.workdir = path.posix.resolve(facts.workdir, args.trim());
      break;
    case 'ENV':
      keyValues({ keyword, args, line: 0 }).forEach((value, name) => { facts.env[name] = value; });
      break;
    case 'COPY':
      if (!/--from=/.test(args)) {
        const [source, destination] = args.split(/\s+/).filter((word) => !word.startsWith('--'));
        facts.copies.push({ source: contextFile(source), destination });
      }
      break;
    case 'VOLUME':
      facts.volumes.push(...volumePaths(args));
      break;
    case 'RUN':
      args.split(/&&|;/).map((command) => command.trim().split(/\s+/)).forEach((words) => runCommand(facts, words));
      break;
  }
}

/**
 * A file of the image build's context: containers/* as staged, and the bundled worker, which the build
 * copies in from assets/ (containers/README.md).
 */
function contextFile(source: string): string {
  return source === 'worker/worker.js' ? path.join(CONTAINERS, '..', 'assets', 'worker', 'worker.js') : path.join(CONTAINERS, source);
}

/** `VOLUME ["/a", "/b"]` or `VOLUME /a /b`. */
function volumePaths(args: string): string[] {
  const text = args.trim();
  return text.startsWith('[') ? JSON.parse(text) as string[] : text.split(/\s+/);
}

/** The user and path bookkeeping of the commands the base image runs: groupadd, useradd, mkdir, chown, chmod. */
function runCommand(facts: ImageFacts, [command, ...words]: string[]): void {
  const option = (name: string) => {
    const index = words.indexOf(name);
    return index >= 0 ? words[index + 1] : undefined;
  };
  const operands = words.filter((word, index) => !word.startsWith('-') && !words[index - 1]?.match(/^--(uid|gid|home-dir|shell)$/));
  switch (command) {
    case 'groupadd':
      facts.groups.set(operands[operands.length - 1], Number(option('--gid')));
      break;
    case 'useradd': {
      const name = operands[operands.length - 1];
      facts.users.set(name, Number(option('--uid')));
      const group = option('--gid');
      facts.groups.set(name, group === undefined ? Number(option('--uid')) : resolveGroup(group, facts));
      const home = option('--home-dir') ?? `/home/${name}`;
      facts.homes.set(name, home);
      if (words.includes('--create-home')) {
        const uid = facts.users.get(name)!;
        facts.paths.set(home, { uid, gid: facts.groups.get(name)!, mode: 0o755, skeleton: '/etc/skel' });
      }
      break;
    }
    case 'mkdir':
      operands.forEach((target) => facts.paths.set(target, facts.paths.get(target) ?? { uid: 0, gid: 0, mode: 0o755 }));
      break;
    case 'chown': {
      const [owner, ...targets] = operands;
      const [user, group] = owner.split(':');
      for (const target of targets) {
        const before = facts.paths.get(target) ?? { uid: 0, gid: 0, mode: 0o755 };
        facts.paths.set(target, { ...before, uid: facts.users.get(user) ?? Number(user), gid: group ? resolveGroup(group, facts) : before.gid });
      }
      break;
    }
    case 'chmod': {
      const [mode, ...targets] = operands;
      for (const target of targets) {
        facts.paths.set(target, { ...(facts.paths.get(target) ?? { uid: 0, gid: 0, mode: 0 }), mode: parseInt(mode, 8) });
      }
      break;
    }
  }
}

function resolveGroup(group: string, facts: ImageFacts): number {
  return /^\d+$/.test(group) ? Number(group) : facts.groups.get(group) ?? NaN;
}

function resolveId(id: string, image: ImageFacts): number {
  const value = /^\d+$/.test(id) ? Number(id) : image.users.get(id);
  if (value === undefined || Number.isNaN(value)) {
    throw new Error(`the container's user ${id} is not one the image creates`);
  }
  return value;
}
