import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { outpost, OUTPOST_BIN } from './outpost-bin';
import { run } from '../../integ/support';

/** The bin is one self-contained file: it runs where no node_modules can be found, as from the npm tarball. */
describe('the bundled outpost bin', () => {
  test('runs --help and --version with no node_modules anywhere above it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bin-'));
    try {
      fs.mkdirSync(path.join(dir, 'cli'));
      fs.copyFileSync(OUTPOST_BIN, path.join(dir, 'cli', 'outpost.js'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'outpost-cdk', version: '9.8.7' }));
      const help = await run(process.execPath, [path.join(dir, 'cli', 'outpost.js'), '--help'], { cwd: dir, timeoutMs: 30_000 });
      for (const command of ['dispatch', 'status', 'list', 'logs', 'cancel', 'artifacts', 'workspaces', 'fleet', 'doctor', 'simulate', 'mcp', 'completion']) {
        expect(help.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
      }
      expect(help.stdout).toContain('Exit codes: 0 success; 1 API, network, credentials or other runtime error; 2 usage error');
      expect(help.stdout).toContain('130 interrupted (Ctrl-C)');
      expect((await run(process.execPath, [path.join(dir, 'cli', 'outpost.js'), '--version'], { cwd: dir, timeoutMs: 30_000 })).stdout).toBe('9.8.7\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('starts with a node shebang and is executable, as npm links a bin', () => {
    expect(fs.readFileSync(OUTPOST_BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(() => fs.accessSync(OUTPOST_BIN, fs.constants.X_OK)).not.toThrow();
  });

  test('a command without its required argument is a usage error: exit code 2', async () => {
    expect(await outpost(['logs'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'id'") });
  });
});
