import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { INSTALL_PYTHON_TOOLS, pythonTool } from '../support/python-tools';

/** Shared by the integration tests: build artifacts, child processes, templates and cfn-lint. */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
/** The versions the library is built and tested against (exact devDependency pins). */
export const CDK_VERSION: string = PACKAGE_JSON.devDependencies['aws-cdk-lib'];
export const CONSTRUCTS_VERSION: string = PACKAGE_JSON.devDependencies.constructs;

/** A build artifact the test needs; when it is missing the test fails, naming the task that makes it. */
export function requireArtifact(file: string, task: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`npx projen ${task}\` first`);
  }
  return file;
}

/** A fresh directory under the OS temp dir, removed by `removeScratch`. */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `outpost-${prefix}-`));
}

export function removeScratch(dir: string | undefined): void {
  if (dir && !process.env.KEEP_INTEG_SCRATCH) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The environment for child processes: this one without what npm, npx or the CDK CLI put there for the
 * parent (so a nested npm or CDK app sees only what the test means it to), plus `overrides`.
 */
export function childEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|CDK_DEFAULT_|CDK_OUTDIR$|CDK_CONTEXT_JSON$)/i.test(key)) {
      env[key] = value;
    }
  }
  return { ...env, ...overrides };
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Resolve with the result instead of rejecting when the exit code is not 0. */
  readonly allowFailure?: boolean;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command without a shell; reject with its output when it fails or outlives `timeoutMs`. */
export async function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run \`${shown}\`: ${error.message}`));
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      if (status === 0 || (options.allowFailure && signal === null)) {
        resolve({ status, stdout, stderr });
      } else {
        const why = signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${options.timeoutMs} ms` : ''})` : `exited with ${status}`;
        reject(new Error(`\`${shown}\` in ${options.cwd ?? REPO_ROOT} ${why}\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${stderr.slice(-6000)}`));
      }
    });
  });
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: any;
  readonly DeletionPolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, any>;
}

export function templateFile(assemblyDir: string, stackName: string): string {
  return path.join(assemblyDir, `${stackName}.template.json`);
}

export function readTemplate(assemblyDir: string, stackName: string): CfnTemplate {
  const file = templateFile(assemblyDir, stackName);
  expect(fs.existsSync(file)).toBe(true);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function countOf(template: CfnTemplate, type: string): number {
  return resourcesOfType(template, type).length;
}

/** What every synthesized Outpost platform has, whichever language built it. */
export function expectPlatformResources(template: CfnTemplate): void {
  const expected = ['AWS::EC2::VPC', 'AWS::ECS::Cluster', 'AWS::Lambda::Function', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Route', 'AWS::S3::Bucket'];
  expect(expected.filter((type) => countOf(template, type) === 0)).toEqual([]);
  expect(countOf(template, 'AWS::DynamoDB::GlobalTable') + countOf(template, 'AWS::DynamoDB::Table')).toBeGreaterThan(0);
  // The API URL is a stack output.
  expect(Object.values(template.Outputs ?? {}).map((output) => JSON.stringify(output.Value))).toEqual(
    expect.arrayContaining([expect.stringContaining('execute-api')]),
  );
}

interface CfnLintFinding {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location?: { readonly Path?: Array<string | number> };
}

/**
 * Run cfn-lint on templates; return its errors (E rules) as lines, and print everything else it found.
 * The whole report is also written to test-reports/cfn-lint-<name>.txt.
 */
export async function cfnLintErrors(name: string, templates: string[]): Promise<string[]> {
  let result: RunResult;
  try {
    result = await run(pythonTool('cfn-lint'), ['--format', 'json', '--', ...templates], { timeoutMs: 240_000, allowFailure: true });
  } catch (error) {
    throw new Error(`${(error as Error).message}\ncfn-lint comes from the project's environment: ${INSTALL_PYTHON_TOOLS}`);
  }
  let findings: CfnLintFinding[];
  try {
    findings = JSON.parse(result.stdout || '[]');
  } catch {
    throw new Error(`cfn-lint failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const lines = findings.map((finding) =>
    `${finding.Level} ${finding.Rule.Id} ${path.basename(finding.Filename)} ${(finding.Location?.Path ?? []).slice(0, 2).join('/')}: ${finding.Message}`);
  fs.mkdirSync(path.join(REPO_ROOT, 'test-reports'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'test-reports', `cfn-lint-${name}.txt`), lines.join('\n') + '\n');
  const others = lines.filter((_, i) => !findings[i].Rule.Id.startsWith('E'));
  if (others.length > 0) {
    console.log(`cfn-lint ${name}: ${others.length} warning(s)/note(s):\n${others.join('\n')}`);
  }
  return lines.filter((_, i) => findings[i].Rule.Id.startsWith('E'));
}
