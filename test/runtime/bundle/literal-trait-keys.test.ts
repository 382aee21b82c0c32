import * as fs from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import { literalTraitKeys, literalTraitKeysPlugin } from '../../../scripts/literal-trait-keys';

/** The shape of the SDK's generated schema modules (`@aws-sdk/client-*` `dist-es/schemas/schemas_0.js`). */
const SCHEMAS = [
  'const _e = "error";',
  'const _c = "client";',
  'const _hE = "httpError";',
  'const _N = "Name";',
  'let _v = "variable";',
  'export var Thrown$ = [-3, n0, _N, { [_e]: _c, [_hE]: 400 }, [_N], [0]];',
  'export var Other$ = [3, n0, _N, { [_v]: 1 }, [_N, _e], [0, 0]];',
].join('\n');

/** The module's exports, built as the bundle would build them. */
function evaluate(source: string): unknown {
  return new Function('n0', `${source.replace(/^export /gm, '')}\nreturn { Thrown$, Other$ };`)('com.amazonaws.s3');
}

test('a computed trait key that names a string constant becomes that string', () => {
  expect(literalTraitKeys(SCHEMAS)).toContain('export var Thrown$ = [-3, n0, _N, { "error": _c, "httpError": 400 }, [_N], [0]];');
});

test('other computed keys, and constants outside keys, are left as they are', () => {
  expect(literalTraitKeys(SCHEMAS)).toContain('export var Other$ = [3, n0, _N, { [_v]: 1 }, [_N, _e], [0, 0]];');
});

test('the module builds the same objects', () => {
  expect(evaluate(literalTraitKeys(SCHEMAS))).toEqual(evaluate(SCHEMAS));
});

test('no installed SDK client keeps a computed trait key (the generator still writes what the plugin expects)', () => {
  const clients = path.join(__dirname, '..', '..', '..', 'node_modules', '@aws-sdk');
  const modules = fs.readdirSync(clients).filter((name) => name.startsWith('client-')).flatMap((client) => {
    const folder = path.join(clients, client, 'dist-es', 'schemas');
    return fs.readdirSync(folder).filter((file) => /^schemas_\d+\.js$/.test(file)).map((file) => path.join(folder, file));
  });
  expect(modules.length).toBeGreaterThan(0);
  for (const file of modules) {
    expect({ file, left: literalTraitKeys(fs.readFileSync(file, 'utf8')).match(/[{,]\s*\[_\w+\]:/g) }).toEqual({ file, left: null });
  }
});

test('a bundle keeps the schemas of the operations it uses, and no others', async () => {
  const bundle = async (plugins: typeof literalTraitKeysPlugin[]): Promise<string> => (await build({
    stdin: { contents: 'export { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";', resolveDir: __dirname },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    plugins,
    // Only the client is under test.
    external: ['@aws-sdk/credential-provider-node'],
  })).outputFiles[0].text;
  const [before, after] = await Promise.all([bundle([]), bundle([literalTraitKeysPlugin])]);
  expect(before).toContain('PutBucketLifecycleConfiguration');
  expect(after).not.toContain('PutBucketLifecycleConfiguration');
  expect(after).toContain('GetObjectOutput');
  expect(after.length).toBeLessThan(before.length - 50_000);
});
