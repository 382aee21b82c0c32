import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const majorOf = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1]);

describe('.ci/run', () => {
  test('runs exactly the test command of the README\'s first section', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const firstSection = readme.split(/^## /m)[1];
    const commands = [...firstSection.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((block) => block[1].split('\n'))
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(commands).toHaveLength(2);
    const ciRun = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    const testCommand = /^TEST_COMMAND='(.*)'$/m.exec(ciRun)?.[1];
    expect(testCommand).toBe(commands[1]);
  });
});

describe('Node.js 22 or later', () => {
  test('the package requires it, and the README says so', () => {
    expect(PACKAGE_JSON.engines).toEqual({ node: '>= 22.0.0' });
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split(/^## /m)[1]).toContain('Node.js ≥ 22');
  });

  test('the project brings its own, pinned exactly, for machines whose Node.js is older', () => {
    const pinned: string = PACKAGE_JSON.devDependencies.node;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(majorOf(pinned)).toBeGreaterThanOrEqual(22);
  });

  test('jest runs on it, and so does every tool a task starts by `node` (jsii, tsc, the CLI\'s bin)', () => {
    // Printed so that a CI log shows which Node.js ran the suite.
    console.log(`jest on Node.js ${process.version}; \`node\` on PATH: ${execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim()}`);
    expect(majorOf(process.version)).toBeGreaterThanOrEqual(22);
    const onPath = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    expect(onPath).toBe(`v${PACKAGE_JSON.devDependencies.node}`);
  });
});
