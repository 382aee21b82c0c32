import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../kit/package-root';

/** The pinned Python tools of the package (moto among them), every dependency pinned too. */
const REQUIREMENTS = 'requirements-dev.txt';

/**
 * The Python that runs moto for Outpost Local, with moto at the package's exact pin, never a machine's own: in
 * order, $OUTPOST_LOCAL_PYTHON; the checkout's `.venv` (the README's test command makes it); else a virtual
 * environment in the cache (`$XDG_CACHE_HOME/outpost-cdk/python-<hash of the requirements>`), made on first use
 * from the package's requirements. A machine without python3 gets an error saying what to install.
 */
export function outpostPython(log: (line: string) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.OUTPOST_LOCAL_PYTHON) {
    return env.OUTPOST_LOCAL_PYTHON;
  }
  const root = packageRoot();
  const checkout = path.join(root, '.venv', 'bin', 'python3');
  if (fs.existsSync(checkout)) {
    return checkout;
  }
  const requirements = path.join(root, REQUIREMENTS);
  const hash = createHash('sha256').update(fs.readFileSync(requirements)).digest('hex').slice(0, 12);
  const venv = path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'outpost-cdk', `python-${hash}`);
  const python = path.join(venv, 'bin', 'python3');
  if (fs.existsSync(path.join(venv, '.complete'))) {
    return python;
  }
  try {
    execFileSync('python3', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('Outpost Local runs moto, which needs Python 3 with venv and pip: install python3 (e.g. `apt-get install python3-venv`), or set OUTPOST_LOCAL_PYTHON to a python that has moto[server] installed');
  }
  log(`installing moto and its pinned dependencies into ${venv} (once)…`);
  fs.rmSync(venv, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'pipe' });
  execFileSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirements], { stdio: 'pipe' });
  fs.writeFileSync(path.join(venv, '.complete'), '');
  return python;
}
