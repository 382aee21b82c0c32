import type { javascript } from 'projen';

/**
 * The runtime's rooms (runtime/README.md) and what each may import of the others. A layer imports only the
 * layers below it: contracts ← core ← adapters ← services ← lambda ← handlers. The worker, the client and the
 * CLI sit beside that stack and take only what they need of it.
 */
export const RUNTIME_ROOMS: Readonly<Record<string, { readonly mayImport: readonly string[]; readonly why: string }>> = {
  contracts: { mayImport: [], why: 'the wire shapes every other room shares, so they depend on none of them' },
  core: { mayImport: ['contracts'], why: 'pure decisions, testable without AWS' },
  adapters: { mayImport: ['contracts', 'core'], why: 'AWS calls that report facts; deciding what to do with them is a service\'s' },
  services: { mayImport: ['contracts', 'core', 'adapters'], why: 'one use case each, over adapters it is handed' },
  lambda: { mayImport: ['contracts', 'core', 'adapters', 'services'], why: 'the wiring: builds adapters and services from the environment' },
  handlers: { mayImport: ['contracts', 'core', 'adapters', 'services', 'lambda'], why: 'the Lambda entry points, at the top' },
  // The worker makes two AWS calls of its own (KMS Decrypt of its token, Lambda Invoke for fresh credentials)
  // through the same fetch-and-SigV4 adapters as the control plane (adapters/kms.ts, adapters/lambda-invoke.ts),
  // rather than a copy of them; the worker's bundle budget (test/runtime/bundle) keeps the SDK out.
  worker: { mayImport: ['contracts', 'core', 'adapters'], why: 'the in-container supervisor, bundled on its own' },
  client: { mayImport: ['contracts', 'core'], why: 'the published API client, whose declarations name no other package' },
  // Outpost Local runs the worker and the agent CLIs, and its kit (runtime/local/kit: the task sandbox, the provider
  // stand-ins, the CLI installs) speaks the worker's own names for them (each agent's executable, each provider's key
  // and gateway upstream variables, its usage sums) rather than copies of them.
  // Its demo reaches the platform as a user does, through the typed client.
  local: { mayImport: ['contracts', 'core', 'adapters', 'worker', 'client'], why: 'Outpost Local: the platform on one machine, for the CLI' },
  cli: { mayImport: ['contracts', 'core', 'client', 'local'], why: 'the command line speaks to the API through the client, and runs Outpost Local' },
};

/**
 * The modules of src/ (the constructs) that the runtime shares: pure data, one source for synthesis and the
 * runtime. Anything else there is construct code, which must not reach a Lambda bundle.
 */
export const SHARED_CONSTRUCT_MODULES = ['./agents/model-aliases.ts', './agents/agent-user.ts', './monitoring/metrics-namespace.ts'];

/** Rooms that run no AWS code of their own, and the packages that would make them do so. */
const PURE_ROOMS = ['contracts', 'core'];
const AWS_PACKAGES = ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*', '@aws-lambda-powertools/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'];

/** Adds the import zones and the package bans to the project's eslint configuration. */
export function enforceRuntimeLayers(eslint: javascript.Eslint): void {
  const roomZones = Object.entries(RUNTIME_ROOMS).map(([room, { mayImport, why }]) => ({
    target: `./runtime/${room}`,
    from: './runtime',
    except: [room, ...mayImport].map((allowed) => `./${allowed}`),
    message: `runtime/${room} (${why}) may import only ${['itself', ...mayImport.map((allowed) => `runtime/${allowed}`)].join(', ')}: see runtime/README.md for where this code belongs.`,
  }));
  eslint.addRules({
    'import/no-restricted-paths': ['error', {
      zones: [
        ...roomZones,
        {
          target: './runtime',
          from: './test',
          message: 'the runtime is shipped code and may not import the tests\' support: move what both need into runtime/ (Outpost Local\'s kit is runtime/local/kit).',
        },
        {
          target: './runtime',
          from: './src',
          except: SHARED_CONSTRUCT_MODULES,
          message: `the runtime may import of src/ only its pure shared modules (${SHARED_CONSTRUCT_MODULES.join(', ')}; listed in projenrc/runtime-layers.ts): move what it needs to runtime/contracts.`,
        },
      ],
    }],
  });
  eslint.addOverride({
    files: PURE_ROOMS.map((room) => `runtime/${room}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: AWS_PACKAGES,
          message: 'runtime/core and runtime/contracts are pure: no AWS SDK (not even its types), Powertools or CDK. Define the plain shape here and convert in runtime/adapters.',
        }],
      }],
    },
  });
}
