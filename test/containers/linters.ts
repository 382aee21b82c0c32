import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function runTool(tool: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(tool, args, { cwd, encoding: 'utf8', input });
}

/** Files below `dir` whose name passes `keep`, relative to `dir`, sorted. */
export function filesBelow(dir: string, keep: (name: string) => boolean): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Run a linter on a throwaway file `name` holding `content`, in a directory of its own. */
export function lintScratch(tool: string, args: string[], name: string, content: string): SpawnSyncReturns<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-lint-'));
  try {
    fs.writeFileSync(path.join(dir, name), content);
    return runTool(tool, [...args, name], dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A linter run that found nothing: it started, printed nothing and exited 0. */
export function expectClean(result: SpawnSyncReturns<string>): void {
  expect(result.error).toBeUndefined();
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}
