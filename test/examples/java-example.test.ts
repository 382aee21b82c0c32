import * as path from 'path';
import {
  CDK_VERSION, cfnLintErrors, childEnv, CONSTRUCTS_VERSION, expectPlatformResources, PACKAGE_JSON, readTemplate,
  removeScratch, REPO_ROOT, requireArtifact, run, scratchDir, templateFile,
} from '../integ/support';

/**
 * The Java quickstart (examples/java/quickstart) against the jar `package:java` built, as test/integ/python-example
 * does for the wheel: the jar and its pom (which names aws-cdk-lib and constructs) go into Maven's local
 * repository, replacing an earlier build of the same version, and the app runs as its cdk.json runs it.
 */

const VERSION: string = PACKAGE_JSON.version;
const BUILT = path.join(REPO_ROOT, 'dist', 'java', 'dev', 'outpost', 'outpost-cdk', VERSION);
const JAR = path.join(BUILT, `outpost-cdk-${VERSION}.jar`);
const POM = path.join(BUILT, `outpost-cdk-${VERSION}.pom`);
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'java', 'quickstart');
const MAVEN = ['--batch-mode', '--errors', '--quiet'];

describe('the Java quickstart', () => {
  let assembly: string;

  beforeAll(async () => {
    requireArtifact(JAR, 'package:java');
    await run('mvn', [...MAVEN, 'install:install-file', `-Dfile=${JAR}`, `-DpomFile=${POM}`], { cwd: EXAMPLE, timeoutMs: 300_000 });

    assembly = scratchDir('java-quickstart');
    // The example's dependencies, held at the versions the library is built against.
    await run('mvn', [...MAVEN, 'compile', 'exec:java',
      `-Dcdk.version=${CDK_VERSION}`, `-Dconstructs.version=${CONSTRUCTS_VERSION}`, `-Doutpost.version=${VERSION}`], {
      cwd: EXAMPLE,
      env: childEnv({ CDK_OUTDIR: assembly, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' }),
      timeoutMs: 600_000,
    });
  }, 900_000);

  afterAll(() => removeScratch(assembly));

  test('synthesizes the OutpostQuickstart stack with the whole platform', () => {
    expectPlatformResources(readTemplate(assembly, 'OutpostQuickstart'));
  });

  test('cfn-lint finds no errors', async () => {
    expect(await cfnLintErrors('java-quickstart', [templateFile(assembly, 'OutpostQuickstart')])).toEqual([]);
  }, 240_000);
});
