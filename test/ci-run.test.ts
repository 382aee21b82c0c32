import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

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
