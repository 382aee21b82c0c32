import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isRunning } from './file-lock';

const SCRATCH = path.join(os.tmpdir(), 'outpost-conformance', 'runs');

/**
 * A new directory for one run's files, named after this process. A jest worker killed mid-run (a test
 * timeout) never removes its own, so each new one first removes those of processes that are gone.
 */
export function scratchDirectory(kind: string): string {
  fs.mkdirSync(SCRATCH, { recursive: true });
  for (const name of fs.readdirSync(SCRATCH)) {
    const owner = Number(name.split('-')[0]);
    if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) {
      fs.rmSync(path.join(SCRATCH, name), { recursive: true, force: true });
    }
  }
  return fs.mkdtempSync(path.join(SCRATCH, `${process.pid}-${kind}-`));
}
