import type { Plugin } from 'esbuild';

/** What the SDK's protocols import, lazily, to read or write an event stream. */
const EVENT_STREAMS = /^@smithy\/core\/event-streams$/;

/**
 * The SDK's protocols load their event-stream support with a dynamic `import()` the first time an operation
 * streams events (S3's SelectObjectContent, Lambda's InvokeWithResponseStream…). No Outpost handler calls one,
 * yet esbuild inlines what a dynamic import names: 14.6 KB in every handler. Left external, the `import()`
 * stays as written; it would fail only on an event-stream operation, with "Cannot find module
 * '@smithy/core/event-streams'" (test/runtime/lifecycle/bundled-handlers.moto.test.ts runs the shipped bundles).
 */
export const lazyEventStreamsPlugin: Plugin = {
  name: 'lazy-event-streams',
  setup(build) {
    build.onResolve({ filter: EVENT_STREAMS }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};
