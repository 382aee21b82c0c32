import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** How an agent CLI's package is published: npm, or PyPI (Aider). */
export type PackageManager = 'npm' | 'pip';

/** An agent CLI installed into a directory of its own. */
export interface CliInstall {
  readonly package: string;
  readonly version: string;
  /** The npm prefix, or the Python virtualenv. */
  readonly prefix: string;
  /** Where the CLI's executables are. */
  readonly binDir: string;
  /** The CLI's executable. */
  readonly bin: string;
}

/**
 * Installs `pkg@version` into `prefix` as the agent's Dockerfile does (npm; pip wheels only into a virtualenv),
 * with the registries' ordinary clients.
 */
export function installCliPackage(manager: PackageManager, pkg: string, version: string, prefix: string): CliInstall {
  fs.mkdirSync(prefix, { recursive: true });
  if (manager === 'npm') {
    execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const binDir = path.join(prefix, 'node_modules', '.bin');
    return { package: pkg, version, prefix, binDir, bin: path.join(binDir, npmBinName(prefix, pkg)) };
  }
  execFileSync('python3', ['-m', 'venv', prefix], { stdio: 'inherit' });
  execFileSync(path.join(prefix, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--only-binary=:all:', `${pkg}==${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const binDir = path.join(prefix, 'bin');
  return { package: pkg, version, prefix, binDir, bin: path.join(binDir, consoleScriptName(prefix, pkg, version)) };
}

/** The package's command, from its package.json `bin` (a string names the command after the package). */
function npmBinName(prefix: string, pkg: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules', pkg, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  if (typeof manifest.bin === 'string') {
    return pkg.split('/').pop()!;
  }
  const [name] = Object.keys(manifest.bin ?? {});
  if (!name) {
    throw new Error(`${pkg} declares no command (package.json "bin")`);
  }
  return name;
}

/** The distribution's first console script (its dist-info entry_points.txt), e.g. `aider` for aider-chat. */
function consoleScriptName(prefix: string, pkg: string, version: string): string {
  const lib = path.join(prefix, 'lib');
  const python = fs.readdirSync(lib).find((name) => name.startsWith('python'));
  const distInfo = path.join(lib, python ?? 'python3', 'site-packages', `${pkg.replace(/-/g, '_')}-${version}.dist-info`, 'entry_points.txt');
  const scripts = fs.readFileSync(distInfo, 'utf8').split('[console_scripts]')[1] ?? '';
  const name = scripts.split('\n').map((line) => line.split('=')[0].trim()).find((line) => line && !line.startsWith('['));
  if (!name) {
    throw new Error(`${pkg} ${version} declares no console script in ${distInfo}`);
  }
  return name;
}
