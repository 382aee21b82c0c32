/**
 * A Dockerfile, read as far as Outpost needs: its instructions, the packages its RUN steps install (an agent
 * image's CLI pin), and the pairs of its ENV and ARG. The image is the source of truth for what a local task runs
 * (cli-install.ts, image-facts.ts); test/containers/dockerfile-rules.ts checks the rules every Dockerfile keeps with it.
 */

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

/** A package a RUN step installs, as written. */
export interface InstalledPackage {
  readonly manager: 'apt' | 'npm' | 'pip';
  readonly spec: string;
  readonly line: number;
}

/** Parse a Dockerfile into instructions: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { start: number; parts: string[] } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) {
      return;
    }
    const continued = /\\\s*$/.test(raw);
    const content = continued ? raw.replace(/\\\s*$/, '') : raw;
    pending = pending ?? { start: index + 1, parts: [] };
    pending.parts.push(content.trim());
    if (!continued) {
      const joined = pending.parts.filter((p) => p !== '').join(' ');
      const match = /^(\S+)\s*(.*)$/.exec(joined);
      if (match) {
        instructions.push({ keyword: match[1].toUpperCase(), args: match[2], line: pending.start });
      }
      pending = undefined;
    }
  });
  return instructions;
}

/** Shell words of a command line: enough for the install commands these Dockerfiles run. */
export function words(command: string): string[] {
  return command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
}

/** The commands of a RUN step, split at `&&`, `||`, `;` and `|`. */
export function commands(run: string): string[] {
  return run.split(/&&|\|\||;|\|/).map((c) => c.trim()).filter((c) => c !== '');
}

/** Options of the install commands that take a value, so the value is not read as a package. */
const OPTIONS_WITH_VALUES = new Set([
  '-c', '--constraint', '-r', '--requirement', '-i', '--index-url', '--extra-index-url', '-t', '--target',
  '--prefix', '--root', '--cache', '--registry', '--platform', '--python-version', '-o', '--option',
]);

/** A command's words as one string, without leading `NAME=value` assignments (`DEBIAN_FRONTEND=… apt-get`). */
export function normalized(command: string): string {
  const list = words(command);
  while (list.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(list[0])) {
    list.shift();
  }
  return list.join(' ');
}

/** The non-option arguments after `prefix` (a sequence of words) in one command, or undefined. */
function argumentsAfter(command: string, prefix: RegExp): string[] | undefined {
  const joined = normalized(command);
  const match = prefix.exec(joined);
  if (!match || match.index !== 0) {
    return undefined;
  }
  const rest = words(joined.slice(match[0].length));
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word.startsWith('-')) {
      if (!word.includes('=') && OPTIONS_WITH_VALUES.has(word)) {
        i++;
      }
      continue;
    }
    args.push(word.replace(/^["']|["']$/g, ''));
  }
  return args;
}

export const APT_INSTALL = /^(sudo )?apt(-get)?( -\S+)* install\b/;
const NPM_INSTALL = /^(\S*\/)?npm( -\S+)* (install|i|add)\b/;
const PIP_INSTALL = /^(\S*\/)?(pip3?|python3?(\.\d+)? -m pip)( -\S+)* install\b/;

/** Every package the RUN steps install with apt, npm or pip, as written. */
export function installedPackages(instructions: Instruction[]): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  for (const { keyword, args, line } of instructions) {
    if (keyword !== 'RUN') {
      continue;
    }
    for (const command of commands(args)) {
      const apt = argumentsAfter(command, APT_INSTALL);
      const npm = argumentsAfter(command, NPM_INSTALL);
      const pip = argumentsAfter(command, PIP_INSTALL);
      apt?.forEach((spec) => found.push({ manager: 'apt', spec, line }));
      npm?.forEach((spec) => found.push({ manager: 'npm', spec, line }));
      pip?.forEach((spec) => found.push({ manager: 'pip', spec, line }));
    }
  }
  return found;
}

/** KEY=VALUE pairs of an ENV or ARG instruction (also the legacy `ENV KEY value`). */
export function keyValues(instruction: Instruction): Map<string, string> {
  const pairs = new Map<string, string>();
  const list = words(instruction.args);
  if (instruction.keyword === 'ENV' && list.length >= 2 && !list[0].includes('=')) {
    pairs.set(list[0], list.slice(1).join(' '));
    return pairs;
  }
  for (const word of list) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? '' : word.slice(eq + 1).replace(/^["']|["']$/g, '');
    pairs.set(key, value);
  }
  return pairs;
}
