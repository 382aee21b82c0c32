import * as fs from 'fs';
import * as path from 'path';
import {
  CDK_VERSION, cfnLintErrors, childEnv, CONSTRUCTS_VERSION, expectPlatformResources, readTemplate, removeScratch,
  REPO_ROOT, requireArtifact, run, scratchDir, templateFile,
} from '../integ/support';

/**
 * The Go quickstart (examples/go/quickstart) against the module `package:go` built, as test/integ/python-example
 * does for the wheel: the example's go.mod replaces the module by dist/go/outpostcdk, and `go run` builds it
 * with the build cache that `package:go`'s own `go build` filled.
 */

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'go', 'quickstart');
const BUILT = path.join(REPO_ROOT, 'dist', 'go', 'outpostcdk');

/** The version the example's go.mod requires of a module. */
function required(module: string): string | undefined {
  const goMod = fs.readFileSync(path.join(EXAMPLE, 'go.mod'), 'utf8');
  return new RegExp(`^\\s*${module.replace(/[./]/g, '\\$&')} v(\\S+)`, 'm').exec(goMod)?.[1];
}

describe('the Go quickstart', () => {
  let assembly: string;

  beforeAll(async () => {
    requireArtifact(path.join(BUILT, 'go.mod'), 'package:go');
    assembly = scratchDir('go-quickstart');
    await run('go', ['run', '.'], {
      cwd: EXAMPLE,
      // -mod=readonly (beside the machine's own GOFLAGS): the committed go.mod and go.sum must be enough; a test run
      // never rewrites them.
      env: childEnv({
        CDK_OUTDIR: assembly,
        GOFLAGS: [process.env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' '),
        JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1',
      }),
      timeoutMs: 900_000,
    });
  }, 900_000);

  afterAll(() => removeScratch(assembly));

  test('requires the aws-cdk-lib and constructs the library is built against', () => {
    expect({ awscdk: required('github.com/aws/aws-cdk-go/awscdk/v2'), constructs: required('github.com/aws/constructs-go/constructs/v10') })
      .toEqual({ awscdk: CDK_VERSION, constructs: CONSTRUCTS_VERSION });
  });

  test('synthesizes the OutpostQuickstart stack with the whole platform', () => {
    expectPlatformResources(readTemplate(assembly, 'OutpostQuickstart'));
  });

  test('cfn-lint finds no errors', async () => {
    expect(await cfnLintErrors('go-quickstart', [templateFile(assembly, 'OutpostQuickstart')])).toEqual([]);
  }, 240_000);
});
