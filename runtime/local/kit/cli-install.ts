import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { installedPackages, parseDockerfile } from './dockerfile';
import { withLock } from './file-lock';
import { containersDirectory } from './package-root';
import type { AgentName } from '../../contracts/agent-names';
import { agentAdapter } from '../../worker/agents';

const execFileAsync = promisify(execFile);

/** Installs of the big CLIs take minutes on a cold cache. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** Written last, so a directory without it is an install that died half-way and is redone. */
const COMPLETE_MARKER = '.outpost-install-complete';
/** Within the prefix: links to what the image would put on PATH. */
const PATH_DIRECTORY = 'outpost-path';
/**
 * The venv's base interpreter must be one the sandbox exposes (it binds /usr, not a pyenv under /root):
 * the system Python, as the image's venv is built on the image's system Python.
 */
const SYSTEM_PYTHON = '/usr/bin/python3';

/** An agent CLI installed as its image installs it, outside the repository. */
export interface InstalledCli {
  readonly agent: AgentName;
  readonly package: string;
  readonly version: string;
  /** Where it is installed: the npm prefix or the venv. */
  readonly prefix: string;
  /** The directory to put on PATH: the image's executables only. */
  readonly binDir: string;
  /** The executable the worker runs (its adapter's `executable`). */
  readonly bin: string;
}

/** The one CLI package an agent image installs, as its Dockerfile pins it. */
export interface CliPin {
  readonly manager: 'npm' | 'pip';
  readonly package: string;
  readonly version: string;
}

/** Where installCli finds the pin and keeps the install. */
export interface CliInstallOptions {
  /** The cache of installs, one folder per package and version. @default cliCache() */
  readonly cacheDirectory?: string;
  /** The folder of the images' Dockerfiles. @default the package's containers/ */
  readonly containersDirectory?: string;
}

/** Reads the pin from `containers/<agent>/Dockerfile`: the image is the source of truth for the version. */
export function cliPin(agent: AgentName, containers: string = containersDirectory()): CliPin {
  const dockerfile = path.join(containers, agent, 'Dockerfile');
  const clis = installedPackages(parseDockerfile(fs.readFileSync(dockerfile, 'utf8'))).filter((p) => p.manager !== 'apt');
  if (clis.length !== 1) {
    throw new Error(`${dockerfile}: expected one npm or pip install, found ${clis.length} (${clis.map((p) => p.spec).join(', ')})`);
  }
  const [{ manager, spec }] = clis;
  const match = manager === 'npm' ? /^(@?[^@]+)@(.+)$/.exec(spec) : /^([^=\[]+)(?:\[[^\]]*\])?==(.+)$/.exec(spec);
  if (!match || (manager !== 'npm' && manager !== 'pip')) {
    throw new Error(`${dockerfile}: cannot read an exact version from ${manager} package ${spec}`);
  }
  return { manager, package: match[1], version: match[2] };
}

/** `${OUTPOST_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/outpost-cdk/clis}`: never inside the repository. */
export function cliCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OUTPOST_CLI_CACHE) {
    return env.OUTPOST_CLI_CACHE;
  }
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'outpost-cdk', 'clis');
}

/**
 * Installs the agent's CLI at its image's pin into the cache, once: later calls, from any jest worker,
 * find it there (or any process of this machine: Outpost Local and the conformance tests share it). An install holds a lock so that parallel workers wait for one another instead of racing,
 * and is done in place (a venv records its own path in its scripts, so it cannot be renamed into place);
 * the marker written last tells a finished install from one that died half-way.
 */
export async function installCli(agent: AgentName, options: CliInstallOptions = {}): Promise<InstalledCli> {
  const pin = cliPin(agent, options.containersDirectory);
  const cache = options.cacheDirectory ?? cliCache();
  const name = `${pin.package.replace('/', '+')}@${pin.version}`;
  const prefix = path.join(cache, name);
  const executable = agentAdapter(agent).executable;
  const binDir = path.join(prefix, PATH_DIRECTORY);
  const installed: InstalledCli = { agent, package: pin.package, version: pin.version, prefix, binDir, bin: path.join(binDir, executable) };
  if (!fs.existsSync(path.join(prefix, COMPLETE_MARKER))) {
    await install(cache, prefix, pin);
  }
  linkPathDirectory(prefix, pin, executable);
  if (!fs.existsSync(installed.bin)) {
    throw new Error(`${pin.package}@${pin.version} installed no ${executable} (its adapter's executable) in ${binDir}`);
  }
  return installed;
}

async function install(cache: string, prefix: string, pin: CliPin): Promise<void> {
  fs.mkdirSync(cache, { recursive: true });
  await withLock(`${prefix}.lock`, async () => {
    if (fs.existsSync(path.join(prefix, COMPLETE_MARKER))) {
      return;
    }
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.mkdirSync(prefix, { recursive: true });
    try {
      await (pin.manager === 'npm' ? installNpm(prefix, pin) : installPip(prefix, pin));
    } catch (error) {
      const output = error as { stderr?: string; stdout?: string };
      throw new Error(`installing ${pin.package}@${pin.version} into ${prefix} failed: ${String(error)}\n${output.stdout ?? ''}${output.stderr ?? ''}`);
    }
    fs.writeFileSync(path.join(prefix, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  });
}

/**
 * The directory put on PATH holds what the image puts on PATH, and nothing else: `npm install --global`
 * links the package's own executables (not its dependencies'), and the Aider image links `aider` alone,
 * keeping the venv's python and pip private. Relative links, made once and renamed into place.
 */
function linkPathDirectory(prefix: string, pin: CliPin, executable: string): void {
  const directory = path.join(prefix, PATH_DIRECTORY);
  if (fs.existsSync(directory)) {
    return;
  }
  const links: Record<string, string> = pin.manager === 'npm'
    ? Object.fromEntries(npmExecutables(prefix, pin.package).map((name) => [name, path.join('..', 'node_modules', '.bin', name)]))
    : { [executable]: path.join('..', 'bin', executable) };
  const partial = `${directory}.${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial);
  Object.entries(links).forEach(([name, target]) => fs.symlinkSync(target, path.join(partial, name)));
  try {
    fs.renameSync(partial, directory);
  } catch (error) {
    // Another jest worker linked it first.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(directory)) {
      throw error;
    }
  }
}

/** The `bin` names of the installed package's package.json (a string `bin` is named after the package). */
function npmExecutables(prefix: string, packageName: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules', packageName, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  if (typeof manifest.bin === 'string') {
    return [packageName.split('/').pop()!];
  }
  return Object.keys(manifest.bin ?? {});
}

/** As the image's `npm install --global`, into a prefix of its own. */
async function installNpm(prefix: string, pin: CliPin): Promise<void> {
  await execFileAsync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `${pin.package}@${pin.version}`], {
    timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
}

/** As the image does: a venv, wheels only, so that no package runs a build script. */
async function installPip(prefix: string, pin: CliPin): Promise<void> {
  await execFileAsync(SYSTEM_PYTHON, ['-m', 'venv', prefix], { timeout: INSTALL_TIMEOUT_MS });
  await execFileAsync(path.join(prefix, 'bin', 'pip'), [
    'install', '--disable-pip-version-check', '--only-binary=:all:', `${pin.package}==${pin.version}`,
  ], { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
}
