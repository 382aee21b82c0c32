import * as fs from 'fs';
import * as path from 'path';
import { scratchDirectory } from '../../runtime/local/kit/scratch';

test('a new scratch directory is named after this process, and those of processes that are gone are removed', () => {
  const first = scratchDirectory('test');
  const runs = path.dirname(first);
  // A pid past the kernel's pid_max on any machine: its process is gone.
  const orphan = path.join(runs, '2147483646-sandbox-orphan');
  fs.mkdirSync(path.join(orphan, 'volumes'), { recursive: true });

  const second = scratchDirectory('test');
  try {
    expect(path.basename(second).startsWith(`${process.pid}-test-`)).toBe(true);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(first)).toBe(true);
  } finally {
    fs.rmSync(first, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  }
});
