import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's version: the bundle (cli/outpost.js) sits one folder below the package's package.json. */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
