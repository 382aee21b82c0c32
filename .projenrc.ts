import { awscdk, javascript } from 'projen';
import { enforceRuntimeLayers } from './projenrc/runtime-layers';

/**
 * The aws-cdk-lib that consumers need at least (peer dependency `^`) and that the library is built and tested
 * against, as jsii libraries do: the lowest that has everything the constructs use (cdk-nag 3 and
 * `Validations.acknowledge` need 2.257; Lambda's nodejs24.x is in it). It is also the newest release whose Java
 * artifacts Maven Central serves here, and one the Go proxy serves, so the Java and Go bindings build against it.
 */
const CDK_VERSION = '2.257.0';

/**
 * The Node.js the project's own commands run on: the npm `node` package (its binary, installed from the npm
 * registry, lands in node_modules/.bin, so every `npx projen …` task runs on it whatever Node.js started npm).
 * Node.js 20 reached end of life; jsii, aws-cdk and the AWS SDK warn on it.
 */
const NODE_VERSION = '22.23.3';
const MIN_NODE_VERSION = '22.0.0';

/** Libraries bundled into the Lambda handlers, the worker and the API client: build inputs, never consumer dependencies. */
const RUNTIME_BUNDLED = [
  '@aws-lambda-powertools/logger@^2',
  // The pool scaler's CloudWatch metrics, as embedded metric format log lines (no PutMetricData).
  '@aws-lambda-powertools/metrics@^2',
  // `outpost --stack NAME` reads the API's URL from the stack's outputs.
  '@aws-sdk/client-cloudformation@^3',
  '@aws-sdk/client-cloudwatch-logs@^3',
  '@aws-sdk/client-dynamodb@^3',
  '@aws-sdk/client-ecs@^3',
  '@aws-sdk/client-efs@^3',
  '@aws-sdk/client-eventbridge@^3',
  '@aws-sdk/client-secrets-manager@^3',
  // Key rotation's notifications to the platform's topic.
  '@aws-sdk/client-sns@^3',
  '@aws-sdk/credential-provider-env@^3',
  // The worker's task-role credentials from ECS's endpoint (runtime/worker/task-credentials.ts).
  '@aws-sdk/credential-provider-http@^3',
  '@aws-sdk/credential-provider-node@^3',
  '@aws-sdk/lib-dynamodb@^3',
  '@aws-sdk/util-dynamodb@^3',
  // S3's XML answers (runtime/adapters/s3-bucket.ts), with the parser the S3 client uses.
  '@aws-sdk/xml-builder@^3',
  // The API client and the artifacts bucket sign their requests as the SDK does (runtime/client/signer.ts,
  // runtime/adapters/s3-bucket.ts).
  '@smithy/core@^3',
  '@smithy/signature-v4@^5',
  '@smithy/types@^4',
  '@types/aws-lambda@^8',
  'ulid@^3',
  'zod@^4',
];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'outpost-cdk',
  description: 'AWS CDK constructs for running AI coding agents (Claude Code, Codex CLI, Gemini CLI, Aider, Grok) as isolated, single-use ECS Fargate tasks.',
  keywords: ['cdk', 'aws-cdk', 'ecs', 'fargate', 'ai-agents', 'claude-code', 'codex', 'gemini', 'aider'],
  author: 'Outpost',
  authorAddress: 'dev@outpost.dev',
  repositoryUrl: 'https://github.com/outpost-cdk/outpost-cdk.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: MIN_NODE_VERSION,

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // CI is `.ci/run`; the release pipeline is not on GitHub Actions.
  github: false,
  release: false,
  depsUpgrade: false,

  // The command line (bundle:cli below): `npx outpost`, or `outpost` once installed globally.
  bin: { outpost: 'cli/outpost.js' },

  publishToPypi: { distName: 'outpost-cdk', module: 'outpost_cdk' },
  publishToMaven: {
    javaPackage: 'dev.outpost.cdk',
    mavenGroupId: 'dev.outpost',
    mavenArtifactId: 'outpost-cdk',
  },
  publishToGo: { moduleName: 'github.com/outpost-cdk/outpost-cdk-go' },
  publishToNuget: { dotNetNamespace: 'Outpost.Cdk', packageId: 'Outpost.Cdk' },

  devDeps: [
    ...RUNTIME_BUNDLED,
    `node@${NODE_VERSION}`,
    // aws-cdk-lib 2.257.0's own cloud-assembly-schema: `package:go` requires the Go module of the version installed
    // here, and the Go proxy serves v53.25.0 (what aws-cdk-go 2.257.0 requires) but not npm's newest 53.x.
    '@aws-cdk/cloud-assembly-schema@53.25.0',
    // jsii 6 compiles with TypeScript 6; TypeScript 7 (the native port) breaks ts-node and ts-jest.
    'typescript@~6.0.3',
    '@types/node@^24',
    'aws-cdk@^2.1148.0',
    'aws-sdk-client-mock@^4',
    // Tests put and read artifacts through the S3 client, and compare the artifact store's presigned POST and
    // GET with the SDK's.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/s3-presigned-post@^3',
    '@aws-sdk/s3-request-presigner@^3',
    // Tests read what moto's SNS delivered through a subscribed queue.
    '@aws-sdk/client-sqs@^3',
    // Tests make the platform's key in moto, and compare the worker-token cipher's calls with the SDK's.
    '@aws-sdk/client-kms@^3',
    'fast-check@^4',
    'cdk-nag@^3.0.2',
    'esbuild@^0.28.0',
    // One self-contained declaration file for the bundled API client.
    'dts-bundle-generator@^9.5.1',
    // The `outpost` command line and its MCP server, bundled into cli/outpost.js (bundle:cli).
    'commander@^14',
    '@modelcontextprotocol/sdk@^1',
    // Checks events against the JSON Schemas the package ships (schemas/), as a consumer would.
    'ajv@^6',
  ],

  jestOptions: {
    // projen's default (ALWAYS) would rewrite snapshots instead of failing on a difference.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60_000,
      coverageReporters: ['json-summary', 'text-summary'],
      // The project's Python environment (requirements-dev.txt) holds thousands of files jest need not crawl.
      modulePathIgnorePatterns: ['<rootDir>/.venv/'],
    },
  },

  gitignore: ['/.venv/', '/assets/', '/cdk.out/', '*.out/', '/examples/**/cdk.out/', '/examples/**/.venv/', '/examples/java/**/target/', '__pycache__/', '/.ci-work/'],
});

// s3-presigned-post pins an exact client-s3 (it is released less often than the clients), so npm would nest a
// second, older client-s3 under it for the tests. It only reads the PutObject command's endpoint parameters
// from it: one client-s3 serves both.
project.package.addField('overrides', {
  '@aws-sdk/s3-presigned-post': { '@aws-sdk/client-s3': '$@aws-sdk/client-s3' },
});

project.addPackageIgnore('/examples/');
project.addPackageIgnore('/docs/');
project.addPackageIgnore('/runtime/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/.venv/');
project.addPackageIgnore('/scripts/');

// projen ignores every `logs` folder (npm debug logs); these are source folders about run logs.
project.gitignore.addPatterns('!/runtime/core/logs/', '!/test/runtime/logs/');

// The published library compiles only src/; tests also type-check the runtime they exercise.
project.tsconfigDev.addInclude('runtime/**/*.ts');
project.eslint?.addLintPattern('runtime');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('bench');
// The runtime's layers (runtime/README.md), as import zones: a layer imports only those below it.
if (project.eslint) {
  enforceRuntimeLayers(project.eslint);
}
// eslint type-checks each file with its nearest tsconfig.json; scripts and benchmarks share the tests' settings.
for (const folder of ['scripts', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${folder}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../test/tsconfig.json']),
    include: ['**/*.ts'],
  });
}
// The runtime's libraries are bundled into assets at build time, so they are rightly devDependencies.
project.eslint?.addRules({
  'import/no-extraneous-dependencies': ['error', {
    devDependencies: ['**/test/**', '**/build-tools/**', '.projenrc.ts', 'projenrc/**/*.ts', 'runtime/**', 'scripts/**', 'bench/**'],
    optionalDependencies: false,
    peerDependencies: true,
  }],
});

// Lambda handlers and the worker have their own compiler settings: Node.js 24, no emit (esbuild bundles).
new javascript.TypescriptConfig(project, {
  fileName: 'runtime/tsconfig.json',
  include: ['**/*.ts'],
  compilerOptions: {
    target: 'ES2024',
    lib: ['es2024'],
    module: javascript.TypeScriptModuleResolution.NODE16 as any,
    moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    // The ledger's pricing table is data (runtime/core/ledger/pricing/prices.json), bundled into its handler.
    resolveJsonModule: true,
    skipLibCheck: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    types: ['node'],
  },
});

/** The Lambda handlers (scripts/bundle-handlers.ts, which says how) and the worker, bundled into assets/. */
const bundle = project.addTask('bundle:runtime', {
  description: 'Type-check the runtime and bundle every Lambda handler and the worker with esbuild',
  steps: [
    { exec: 'tsc -p runtime/tsconfig.json' },
    { exec: 'rm -rf assets/handlers assets/worker assets/pool-config assets/local' },
    { exec: 'ts-node --project scripts/tsconfig.json scripts/bundle-handlers.ts' },
    {
      // The warm-pool policy core's configuration and its validation, which the constructs run at synth
      // (src/pool/policy-config.ts): the scaler's own rules, not a copy of them. Consumers synthesize on Node.js 22+.
      exec: [
        'esbuild runtime/core/pool/policy/config.ts --outfile=assets/pool-config/index.js',
        '--bundle --minify --platform=node --target=node22 --format=cjs',
        '--legal-comments=none --log-level=warning',
      ].join(' '),
    },
    {
      // The in-container worker: one file, copied into the base image (containers/base/Dockerfile).
      exec: [
        'esbuild runtime/worker/main.ts --outfile=assets/worker/worker.js',
        '--bundle --minify --platform=node --target=node22 --format=cjs',
        '--legal-comments=none --log-level=warning',
      ].join(' '),
    },
    {
      // The task sandbox's pid 1 (runtime/local/kit/sandbox), run with plain node by Outpost Local and the conformance
      // tests: built here so that neither needs esbuild at run time.
      exec: [
        'esbuild runtime/local/kit/sandbox/sandbox-init.ts --outfile=assets/local/sandbox-init.js',
        '--bundle --platform=node --target=node22 --format=cjs',
        '--legal-comments=none --log-level=warning',
      ].join(' '),
    },
  ],
});
project.preCompileTask.spawn(bundle);

/**
 * runtime/client/ becomes client/index.js and client/index.d.ts at the package root, so that consumers
 * `import { OutpostClient } from 'outpost-cdk/client'` with no dependency to install: the SigV4 signer and the
 * default credential chain are bundled in, and the declarations are one file that names no other package.
 */
const bundleClient = project.addTask('bundle:client', {
  description: 'Bundle the typed API client (OutpostClient) and its declarations into client/',
  steps: [
    { exec: 'rm -rf client' },
    {
      exec: [
        'esbuild runtime/client/index.ts --outfile=client/index.js',
        // Consumers run Node.js 22 or later (the package's engines).
        '--bundle --minify --keep-names --platform=node --target=node22 --format=cjs --main-fields=module,main',
        '--legal-comments=none --log-level=warning',
      ].join(' '),
    },
    {
      // Types the entry does not export stay declared but unexported, as in the source.
      exec: 'dts-bundle-generator --project runtime/client/tsconfig.json --no-check --no-banner --export-referenced-types=false --out-file client/index.d.ts runtime/client/index.ts',
    },
  ],
});
// The client's own program: the declarations build reads only what the client imports, not every handler.
new javascript.TypescriptConfig(project, {
  fileName: 'runtime/client/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  include: ['**/*.ts'],
});
project.preCompileTask.spawn(bundleClient);
project.gitignore.addPatterns('/client/');

/**
 * The `outpost` command line and MCP server (runtime/cli/), one file with everything it uses, so that
 * `npx outpost` works from the package alone; Node.js 22 or later, as for the client.
 */
const bundleCli = project.addTask('bundle:cli', {
  description: 'Bundle the outpost command line (runtime/cli) into cli/outpost.js',
  steps: [
    { exec: 'rm -rf cli' },
    {
      exec: [
        'esbuild runtime/cli/main.ts --outfile=cli/outpost.js',
        '--bundle --minify --keep-names --platform=node --target=node22 --format=cjs --main-fields=module,main',
        '"--banner:js=#!/usr/bin/env node" --legal-comments=none --log-level=warning',
      ].join(' '),
    },
    // Outpost Local (`outpost local`), loaded only by that command: it carries the AWS SDK clients and the sandbox.
    {
      exec: [
        'esbuild runtime/local/cli-entry.ts --outfile=cli/local.js',
        '--bundle --minify --keep-names --platform=node --target=node22 --format=cjs --main-fields=module,main',
        '--legal-comments=none --log-level=warning',
      ].join(' '),
    },
    { exec: 'chmod +x cli/outpost.js' },
  ],
});
project.preCompileTask.spawn(bundleCli);
project.gitignore.addPatterns('/cli/');

// Examples import `outpost-cdk` by its package name; inside this repository that name resolves to the build.
const linkSelf = project.addTask('link:self', {
  description: 'Make `outpost-cdk` resolve to this checkout, as the examples import it',
  exec: 'ln -sfn .. node_modules/outpost-cdk',
});

project.addTask('quickstart', {
  description: 'Main job: build, synthesize the TypeScript quickstart platform and print what it contains',
  steps: [
    { spawn: 'pre-compile' },
    { spawn: 'compile' },
    { spawn: linkSelf.name },
    { exec: 'cdk synth --quiet --no-notices --no-version-reporting --output ../../../cdk.out/quickstart', cwd: 'examples/typescript/quickstart' },
    { exec: 'ts-node --project test/tsconfig.json scripts/summarize-synth.ts cdk.out/quickstart' },
  ],
});

project.addTask('local', {
  description: 'Main job: Outpost Local\'s demo: build, synthesize the local example platform, run it on this machine, dispatch an agent, print its commit and cost',
  steps: [
    { spawn: 'pre-compile' },
    { spawn: 'compile' },
    { spawn: linkSelf.name },
    { exec: 'cdk synth --quiet --no-notices --no-version-reporting --output ../../../cdk.out/local', cwd: 'examples/typescript/local' },
    { exec: 'node cli/outpost.js local demo --assembly cdk.out/local --stack OutpostLocal' },
  ],
});

// `npm run simulate -- --trace FILE [--json]`: the warm-pool simulator (bench/pool, docs/pool.md). The bench code is
// type-checked by tsc and eslint, so ts-node only transpiles it: a run starts in 1.5 s rather than 4.
project.addTask('simulate', {
  description: 'Replay an arrival trace against every warm-pool policy, or generate a synthetic trace (docs/pool.md)',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/pool/cli.ts',
  receiveArgs: true,
});

// `npx projen bump:agents [--dry-run | --current]`: every agent CLI to its newest version, and the model alias map
// read from the new packages (scripts/bump-agent-clis.ts, docs/agents.md).
project.addTask('bump:agents', {
  description: 'Bump each agent CLI pin (Dockerfiles, agent catalog) to its newest release and refresh the model alias map',
  exec: 'ts-node --project scripts/tsconfig.json scripts/bump-agent-clis.ts',
  receiveArgs: true,
});

/**
 * Everything CI checks, in dependency order: build the library and its assets, package it for npm and
 * Python (plus Java and Go where their toolchains exist), then run every jest suite once, unit and
 * integration alike, writing jest's JSON report for .ci/run to total.
 */
project.addTask('test:all', {
  description: 'Build, package and run every test suite (the command CI runs)',
  steps: [
    { spawn: 'pre-compile' },
    { spawn: 'compile' },
    { spawn: 'post-compile' },
    { spawn: linkSelf.name },
    { spawn: 'package:js' },
    { spawn: 'package:python' },
    // Java and Go, against aws-cdk-lib 2.257.0, whose artifacts Maven Central and the Go proxy serve; test/examples
    // synthesizes the Java and Go quickstarts with them. .NET stays configured-only: no dotnet on this machine.
    { exec: 'scripts/package-if-toolchain.sh' },
    // No coverage here: CI reads only the JSON report, and collecting it cost about a sixth of the suites' CPU time
    // (docs/testing.md, "CI time"); `npx projen test` still reports it.
    { exec: 'jest --ci --coverage=false --json --outputFile=test-reports/jest.json --updateSnapshot=none' },
    { spawn: 'eslint' },
  ],
});


project.synth();
