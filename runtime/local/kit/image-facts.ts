/**
 * An agent image as its Dockerfiles build it, read without building it: the user, the environment, the volumes,
 * the users and directories the RUN steps make, and the files COPY brings in. The sandbox recreates these.
 */
import * as fs from 'fs';
import * as path from 'path';
import { keyValues, parseDockerfile, type Instruction } from './dockerfile';
import type { AgentName } from '../../contracts/agent-names';

/** What the image holds at a path, as the Dockerfile's RUN steps leave it. */
export interface ImagePath {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** Files the image puts there (`useradd --create-home` copies /etc/skel into the home). */
  readonly skeleton?: string;
}

/** What the base image's final stage and the agent image on top of it leave, as task-conditions.ts needs it. */
export interface ImageFacts {
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

/** The final stage of the base image (`<containers>/base/Dockerfile`), then the agent image on top of it. */
export function imageOf(agent: AgentName, containers: string): ImageFacts {
  const facts: ImageFacts = {
    user: 'root', workdir: '/', env: {}, volumes: [], users: new Map([['root', 0]]), groups: new Map([['root', 0]]), homes: new Map(), paths: new Map(), copies: [],
  };
  for (const file of [path.join(containers, 'base', 'Dockerfile'), path.join(containers, agent, 'Dockerfile')]) {
    const instructions = parseDockerfile(fs.readFileSync(file, 'utf8'));
    const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
    instructions.slice(lastFrom + 1).forEach((instruction) => apply(facts, instruction, containers));
  }
  return facts;
}

function apply(facts: ImageFacts, { keyword, args }: Instruction, containers: string): void {
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
        facts.copies.push({ source: contextFile(source, containers), destination });
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
function contextFile(source: string, containers: string): string {
  return source === 'worker/worker.js' ? path.join(containers, '..', 'assets', 'worker', 'worker.js') : path.join(containers, source);
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

/** A user of the container (`User`'s uid or gid, a number or a name) as the image's /etc/passwd resolves it. */
export function resolveId(id: string, image: ImageFacts): number {
  const value = /^\d+$/.test(id) ? Number(id) : image.users.get(id);
  if (value === undefined || Number.isNaN(value)) {
    throw new Error(`the container's user ${id} is not one the image creates`);
  }
  return value;
}
