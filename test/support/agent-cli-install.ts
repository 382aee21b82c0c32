import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { agentCli } from '../../scripts/agent-clis/agent-clis';
import { CliInstall, installCliPackage } from '../../scripts/agent-clis/install';
import { AgentKind } from '../../src/agents/agent-kind';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Installs are kept between runs: one directory per agent and version. */
const CACHE = path.join(os.tmpdir(), 'outpost-agent-clis');

/** The version of `pkg` that `dockerfile` installs (`npm install … pkg@1.2.3`, `pip install … pkg==1.2.3`). */
export function dockerfilePin(dockerfile: string, pkg: string): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, dockerfile), 'utf8');
  const escaped = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`(?:^|\\s)${escaped}(?:@|==)([^\\s\\\\]+)`, 'm').exec(text);
  if (!match) {
    throw new Error(`${dockerfile} installs no pinned ${pkg}`);
  }
  return match[1];
}

/**
 * The agent's CLI at the version its Dockerfile pins, installed as the image does (npm, or wheels into a
 * virtualenv) under the system's temp directory, once: later calls, and later runs, reuse the install.
 */
export async function installCli(agent: AgentKind): Promise<CliInstall> {
  const cli = agentCli(agent);
  const version = dockerfilePin(cli.dockerfile, cli.package);
  const prefix = path.join(CACHE, `${agent}-${version}`);
  const done = path.join(prefix, '.outpost-installed.json');
  if (fs.existsSync(done)) {
    return JSON.parse(fs.readFileSync(done, 'utf8')) as CliInstall;
  }
  // Without the marker, the directory holds an install that did not finish: start it again. (A virtualenv's
  // scripts name its directory, so it is made where it stays rather than renamed into place.)
  fs.rmSync(prefix, { recursive: true, force: true });
  const install = installCliPackage(cli.manager, cli.package, version, prefix);
  fs.writeFileSync(done, JSON.stringify(install));
  return install;
}
