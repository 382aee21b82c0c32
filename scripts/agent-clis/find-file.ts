import * as fs from 'fs';
import * as path from 'path';

/**
 * The first file, in name order, under `root` whose path relative to it matches `pattern` (`/`-separated),
 * descending at most `depth` directories. CLIs ship their native binaries in one package per platform, so
 * the installed one is found by shape rather than by a name fixed to this machine's platform.
 */
export function findFile(root: string, pattern: RegExp, depth: number, what: string): string {
  const found = walk(root, '', depth).find((relative) => pattern.test(relative));
  if (!found) {
    throw new Error(`${what}: no file matching ${pattern} under ${root}. Is the package installed there (npm install --prefix ${path.dirname(path.dirname(root))})?`);
  }
  return path.join(root, found);
}

function walk(root: string, relative: string, depth: number): string[] {
  const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      return depth > 0 ? walk(root, child, depth - 1) : [];
    }
    return [child];
  });
}
