import * as fs from 'fs';
import * as path from 'path';
import {
  CDK_VERSION, cfnLintErrors, childEnv, CONSTRUCTS_VERSION, expectPlatformResources, PACKAGE_JSON, readTemplate,
  removeScratch, REPO_ROOT, requireArtifact, run, scratchDir, templateFile,
} from './support';

/**
 * The Python quickstart against the wheel `package:python` built, in a virtualenv kept in .ci-work/ (gitignored)
 * so that reruns only reinstall the wheel; pip's cache makes a fresh one quick too.
 */

const WHEEL = path.join(REPO_ROOT, 'dist', 'python', `outpost_cdk-${PACKAGE_JSON.version}-py3-none-any.whl`);
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'python', 'quickstart');
const VENV = path.join(REPO_ROOT, '.ci-work', 'python-example-venv');
const PYTHON = path.join(VENV, 'bin', 'python');
const PIP_QUIET = ['--disable-pip-version-check', '--no-input', '--quiet'];

describe('the Python quickstart', () => {
  let assembly: string;

  beforeAll(async () => {
    requireArtifact(WHEEL, 'package:python');
    if (!fs.existsSync(PYTHON)) {
      await run('python3', ['-m', 'venv', VENV], { timeoutMs: 120_000 });
    }
    // The example's requirements, held at the CDK version the library is built against.
    await run(PYTHON, ['-m', 'pip', 'install', ...PIP_QUIET, '-r', path.join(EXAMPLE, 'requirements.txt'),
      `aws-cdk-lib==${CDK_VERSION}`, `constructs==${CONSTRUCTS_VERSION}`, WHEEL], { timeoutMs: 600_000 });
    // Same version number, new build: replace what an earlier run installed.
    await run(PYTHON, ['-m', 'pip', 'install', ...PIP_QUIET, '--force-reinstall', '--no-deps', WHEEL], { timeoutMs: 120_000 });

    assembly = scratchDir('python-quickstart');
    await run(PYTHON, ['app.py'], {
      cwd: EXAMPLE,
      env: childEnv({ CDK_OUTDIR: assembly, PYTHONDONTWRITEBYTECODE: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' }),
      timeoutMs: 300_000,
    });
  }, 900_000);

  afterAll(() => removeScratch(assembly));

  test('synthesizes the OutpostQuickstart stack with the whole platform', () => {
    expectPlatformResources(readTemplate(assembly, 'OutpostQuickstart'));
  });

  test('cfn-lint finds no errors', async () => {
    expect(await cfnLintErrors('python-quickstart', [templateFile(assembly, 'OutpostQuickstart')])).toEqual([]);
  }, 240_000);
});
