import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withLock } from '../../runtime/local/kit/file-lock';

describe('withLock', () => {
  let directory: string;
  beforeEach(() => { directory = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-lock-')); });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  test('runs holders one at a time', async () => {
    const lock = path.join(directory, 'install.lock');
    const events: string[] = [];
    const holder = (name: string) => withLock(lock, async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push(`${name} out`);
    });
    await Promise.all([holder('a'), holder('b')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('breaks a lock whose holder has died', async () => {
    const lock = path.join(directory, 'install.lock');
    fs.mkdirSync(lock);
    // A pid that is not running: past the kernel's pid_max on any machine.
    fs.writeFileSync(path.join(lock, 'pid'), '2147483646');
    expect(await withLock(lock, async () => 'ran')).toBe('ran');
  });
});
