import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileSystem } from 'aws-cdk-lib';
import { AgentKind } from './agent-kind';
import { PACKAGE_ROOT } from '../core/runtime-assets';

/** The stage name the composed Dockerfile gives the base image, for the agent stage to build on. */
const BASE_STAGE = 'outpost-base';

/** A staged image build context and its content hash. */
export interface ImageContext {
  readonly directory: string;
  /** Changes whenever anything that goes into an image changes: a good image tag. */
  readonly fingerprint: string;
}

/**
 * Lay out the build context every image build uses (see containers/README.md): `base/`, one folder per
 * agent, the CodeBuild files, and `worker/worker.js` — the bundled worker, which is a build output.
 */
export function stageImageContext(agents: AgentKind[]): ImageContext {
  const containers = path.join(PACKAGE_ROOT, 'containers');
  const worker = path.join(PACKAGE_ROOT, 'assets', 'worker', 'worker.js');
  if (!fs.existsSync(worker)) {
    throw new Error(`Agent images need the bundled worker at ${worker}; in a checkout of outpost-cdk, run \`npx projen bundle:runtime\`.`);
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-image-context-'));
  const entries = ['base', ...agents, ...fs.readdirSync(containers).filter((name) => fs.statSync(path.join(containers, name)).isFile())];
  for (const entry of entries) {
    fs.cpSync(path.join(containers, entry), path.join(directory, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(directory, 'worker'));
  fs.copyFileSync(worker, path.join(directory, 'worker', 'worker.js'));
  return { directory, fingerprint: FileSystem.fingerprint(directory) };
}

/**
 * One Dockerfile that builds the base and then the agent on top of it, for builders that cannot build two
 * images in order (a CDK Docker asset). The agent Dockerfile's `FROM ${BASE_IMAGE}` becomes the base stage.
 */
export function composeAgentDockerfile(baseDockerfile: string, agentDockerfile: string): string {
  const baseLines = baseDockerfile.trimEnd().split('\n');
  const lastFrom = baseLines.map((line) => /^\s*FROM\s/i.test(line)).lastIndexOf(true);
  if (lastFrom < 0) {
    throw new Error('The base Dockerfile has no FROM instruction.');
  }
  baseLines[lastFrom] = `${baseLines[lastFrom].replace(/\s+AS\s+\S+\s*$/i, '')} AS ${BASE_STAGE}`;

  const agentLines = agentDockerfile.trimEnd().split('\n').filter((line) => !/^\s*ARG\s+BASE_IMAGE\b/i.test(line));
  const fromIndex = agentLines.findIndex((line) => /^\s*FROM\s+\$\{?BASE_IMAGE\}?\s*$/i.test(line));
  if (fromIndex < 0) {
    throw new Error('The agent Dockerfile must build FROM ${BASE_IMAGE}.');
  }
  // ARGs declared before the agent's FROM were global there; after the base stages they must live in the stage.
  const globalArgs = agentLines.slice(0, fromIndex).filter((line) => /^\s*ARG\s/i.test(line));
  const preamble = agentLines.slice(0, fromIndex).filter((line) => !/^\s*ARG\s/i.test(line));
  const stage = [`FROM ${BASE_STAGE}`, ...globalArgs, ...agentLines.slice(fromIndex + 1)];
  return [...baseLines, '', ...preamble, ...stage, ''].join('\n');
}

/** Write the composed Dockerfile for one agent into a staged context; returns its file name there. */
export function writeComposedDockerfile(context: ImageContext, agent: AgentKind): string {
  const read = (folder: string) => fs.readFileSync(path.join(context.directory, folder, 'Dockerfile'), 'utf8');
  const file = `Dockerfile.${agent}`;
  fs.writeFileSync(path.join(context.directory, file), composeAgentDockerfile(read('base'), read(agent)));
  return file;
}
