import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The kit bundled as `bundle:cli` bundles the command line (esbuild, one CommonJS file in the package's cli/ folder),
 * run by plain node from a package laid out as npm installs it: it finds the package's assets/ and containers/ from
 * there, as it does from its source.
 */
describe('the kit, bundled into the command line', () => {
  test('finds the sandbox init, the Dockerfiles and the CLI pins from cli/ in an installed package', () => {
    const installed = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-kit-bundle-'));
    try {
      fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'outpost-cdk', version: '0.0.0' }));
      fs.symlinkSync(path.join(ROOT, 'assets'), path.join(installed, 'assets'));
      fs.symlinkSync(path.join(ROOT, 'containers'), path.join(installed, 'containers'));
      const entry = path.join(installed, 'probe.ts');
      fs.writeFileSync(entry, [
        `import { cliPin } from ${JSON.stringify(path.join(ROOT, 'runtime/local/kit/cli-install'))};`,
        `import { packageRoot } from ${JSON.stringify(path.join(ROOT, 'runtime/local/kit/package-root'))};`,
        `import { sandboxInitScript } from ${JSON.stringify(path.join(ROOT, 'runtime/local/kit/sandbox/sandbox'))};`,
        'console.log(JSON.stringify({ root: packageRoot(), init: sandboxInitScript(), pin: cliPin(\'codex\') }));',
      ].join('\n'));
      const bundle = path.join(installed, 'cli', 'probe.js');
      buildSync({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', target: 'node22', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'error' });
      const answer = JSON.parse(execFileSync(process.execPath, [bundle], { cwd: os.tmpdir(), encoding: 'utf8' }));
      expect(answer).toEqual({
        root: installed,
        init: path.join(installed, 'assets', 'local', 'sandbox-init.js'),
        pin: { manager: 'npm', package: '@openai/codex', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
      });
    } finally {
      fs.rmSync(installed, { recursive: true, force: true });
    }
  });
});
