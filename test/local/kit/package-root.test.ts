import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cliCache, cliPin } from '../../../runtime/local/kit/cli-install';
import { containersDirectory, packageRoot } from '../../../runtime/local/kit/package-root';
import { sandboxInitScript } from '../../../runtime/local/kit/sandbox/sandbox';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the kit finds the package\'s files from its source and from the bundled command line', () => {
  test('the package root is the nearest outpost-cdk package.json above: from runtime/local/kit, and from cli/ (the bundle)', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packageRoot(path.join(ROOT, 'cli'))).toBe(ROOT);
    expect(containersDirectory()).toBe(path.join(ROOT, 'containers'));
  });

  test('another package\'s package.json is not the root, and none at all fails saying so', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-kit-root-'));
    try {
      fs.writeFileSync(path.join(elsewhere, 'package.json'), JSON.stringify({ name: 'something-else' }));
      expect(() => packageRoot(elsewhere)).toThrow(`no outpost-cdk package.json above ${elsewhere}`);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('the sandbox\'s init is the build\'s bundle in assets/local, and its absence names the build task', () => {
    expect(sandboxInitScript()).toBe(path.join(ROOT, 'assets', 'local', 'sandbox-init.js'));
    expect(fs.readFileSync(sandboxInitScript(), 'utf8')).toMatch(/pivot_root/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-kit-assets-'));
    try {
      expect(() => sandboxInitScript(empty)).toThrow('the build makes it (`npx projen bundle:runtime`)');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a CLI\'s pin is read from the containers folder given, and the cache is the caller\'s when set', () => {
    const containers = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-kit-pin-'));
    try {
      fs.mkdirSync(path.join(containers, 'codex'));
      fs.writeFileSync(path.join(containers, 'codex', 'Dockerfile'), 'FROM base\nRUN npm install --global @openai/codex@1.2.3\n');
      expect(cliPin('codex', containers)).toEqual({ manager: 'npm', package: '@openai/codex', version: '1.2.3' });
    } finally {
      fs.rmSync(containers, { recursive: true, force: true });
    }
    expect(cliCache({ OUTPOST_CLI_CACHE: '/srv/clis', HOME: '/home/me' })).toBe('/srv/clis');
  });
});
