import * as path from 'path';
import { build } from 'esbuild';
import { lazyEventStreamsPlugin } from '../../../scripts/lazy-event-streams';

const REPOSITORY = path.join(__dirname, '..', '..', '..');

/** Bundles `source` as the handlers are bundled (CommonJS, the plugin on) and returns the output. */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: REPOSITORY, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins: [lazyEventStreamsPlugin],
  });
  return result.outputFiles[0].text;
}

test("the protocols' lazy import() of event-stream support is left out of the bundle, as an import()", async () => {
  const output = await bundle('module.exports.load = () => import("@smithy/core/event-streams");');
  expect(output).toContain('import("@smithy/core/event-streams")');
  expect(output).not.toContain('class EventStreamSerde');
});

test('a static import of it is still bundled: only the lazy one is left out', async () => {
  const output = await bundle('export { EventStreamSerde } from "@smithy/core/event-streams";');
  expect(output).toContain('EventStreamSerde');
  expect(output).not.toMatch(/require\("@smithy\/core\/event-streams"\)/);
});
