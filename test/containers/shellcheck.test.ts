import * as fs from 'fs';
import * as path from 'path';
import { expectClean, filesBelow, lintScratch, runTool } from './linters';
import { pythonTool } from '../support/python-tools';

const CONTAINERS = path.join(__dirname, '..', '..', 'containers');
const ARGS = ['--external-sources', '--severity=style', '--format=gcc'];

describe('shell scripts under containers/', () => {
  const scripts = filesBelow(CONTAINERS, (name) => name.endsWith('.sh'));

  test('are the build scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['agents.sh', 'build.sh', 'ci-build.sh']));
  });

  test.each(scripts)('%s is shellcheck-clean', (script) => {
    expectClean(runTool(pythonTool('shellcheck'), [...ARGS, script], CONTAINERS));
  });

  test.each(scripts)('%s is a bash script that stops on the first error', (script) => {
    const file = path.join(CONTAINERS, script);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('#!/usr/bin/env bash');
    if (!/^# Sourced by /m.test(text)) {
      expect(text).toMatch(/^set -euo pipefail$/m);
      // Executable, so `containers/build.sh` runs as documented.
      expect(() => fs.accessSync(file, fs.constants.X_OK)).not.toThrow();
    }
  });

  test('the buildspec commands are shellcheck-clean', () => {
    const buildspec = fs.readFileSync(path.join(CONTAINERS, 'buildspec.yml'), 'utf8');
    const commands = [...buildspec.matchAll(/^ {6}- (.+)$/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(0);
    const script = `#!/usr/bin/env bash\n${commands.join('\n')}\n`;
    expectClean(lintScratch(pythonTool('shellcheck'), ARGS, 'buildspec-commands.sh', script));
  });

  test('the check itself fails a script with a shellcheck finding', () => {
    const result = lintScratch(pythonTool('shellcheck'), ARGS, 'bad.sh', '#!/usr/bin/env bash\ntarget=$1\nrm -rf $target/*\n');
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('SC2086');
  });
});
