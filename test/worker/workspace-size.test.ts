import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureWorkspace } from '../../runtime/worker/workspace-size';

const MiB = 1024 * 1024;

/**
 * What GNU du says of the tree (allocated bytes, objects; neither follows symbolic links, both count a hard-linked
 * file once) plus EFS's 2 KiB of metadata per object: the same figure, by another program.
 */
function duFigure(directory: string): number {
  const du = (...args: string[]) => Number(execFileSync('du', ['-s', ...args, directory], { encoding: 'utf8' }).split('\t')[0]);
  return du('-B1') + 2048 * du('--inodes');
}

describe('measureWorkspace, on a real directory', () => {
  let scratch: string;
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-size-'));
    workspace = path.join(scratch, 'workspace');
    outside = path.join(scratch, 'outside');
    fs.mkdirSync(path.join(workspace, 'src', 'deep', 'er'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'README.md'), 'hello\n');
    fs.writeFileSync(path.join(workspace, 'src', 'index.ts'), randomBytes(10_000));
    fs.writeFileSync(path.join(workspace, 'src', 'deep', 'er', 'data.bin'), randomBytes(200_000));
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'big.bin'), Buffer.alloc(4 * MiB, 1));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('files and nested directories: their blocks and metadata, as du counts them', async () => {
    const size = await measureWorkspace(workspace);
    expect(size).toEqual({ bytes: duFigure(workspace), complete: true });
    // Three files (4 + 12 + 196 KiB of blocks on a 4 KiB-block file system) and four directories, each with 2 KiB of metadata.
    expect(size.bytes).toBeGreaterThanOrEqual(212 * 1024 + 7 * 2048);
  });

  test('a symbolic link out of the workspace is measured as a link: its target is neither counted nor followed', async () => {
    const before = await measureWorkspace(workspace);
    fs.symlinkSync(path.join(outside, 'big.bin'), path.join(workspace, 'big.bin'));
    fs.symlinkSync(outside, path.join(workspace, 'src', 'elsewhere'));
    fs.symlinkSync('/', path.join(workspace, 'root'));

    const after = await measureWorkspace(workspace);
    expect(after).toEqual({ bytes: duFigure(workspace), complete: true });
    const links = ['big.bin', 'src/elsewhere', 'root'].map((link) => Number(fs.lstatSync(path.join(workspace, link)).blocks) * 512 + 2048);
    expect(after.bytes - before.bytes).toBe(links.reduce((total, bytes) => total + bytes, 0));
    expect(after.bytes).toBeLessThan(MiB);
  });

  test('a hard-linked file is counted once, whichever link the walk meets first', async () => {
    const before = await measureWorkspace(workspace);
    fs.linkSync(path.join(workspace, 'src', 'deep', 'er', 'data.bin'), path.join(workspace, 'data-again.bin'));
    fs.linkSync(path.join(workspace, 'src', 'deep', 'er', 'data.bin'), path.join(workspace, 'src', 'data-too.bin'));

    expect(await measureWorkspace(workspace)).toEqual({ bytes: before.bytes, complete: true });
    expect(before.bytes).toBe(duFigure(workspace));
  });

  test('the entry budget ends the walk: what it measured is a lower bound', async () => {
    const many = path.join(workspace, 'many');
    fs.mkdirSync(many);
    for (let index = 0; index < 200; index += 1) {
      fs.writeFileSync(path.join(many, `file-${index}.txt`), 'x'.repeat(5000));
    }
    const full = await measureWorkspace(workspace);
    const entries = Number(execFileSync('du', ['-s', '--inodes', workspace], { encoding: 'utf8' }).split('\t')[0]);
    expect(full).toEqual({ bytes: duFigure(workspace), complete: true });

    const capped = await measureWorkspace(workspace, { maxEntries: 50, timeoutMs: 30_000 });
    expect(capped.complete).toBe(false);
    expect(capped.bytes).toBeGreaterThanOrEqual(50 * 2048);
    expect(capped.bytes).toBeLessThan(full.bytes);
    // A budget of exactly the tree's entries is enough.
    expect(await measureWorkspace(workspace, { maxEntries: entries, timeoutMs: 30_000 })).toEqual(full);
  });

  test('the time budget ends the walk too', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValueOnce(0).mockReturnValue(60_000);
    try {
      const size = await measureWorkspace(workspace, { maxEntries: 1000, timeoutMs: 30_000 });
      expect(size).toEqual({ bytes: Number(fs.lstatSync(workspace).blocks) * 512 + 2048, complete: false });
    } finally {
      clock.mockRestore();
    }
  });

  test('a workspace that is missing, or not a directory, cannot be measured', async () => {
    await expect(measureWorkspace(path.join(scratch, 'nowhere'))).rejects.toThrow(/ENOENT/);
    await expect(measureWorkspace(path.join(outside, 'big.bin'))).rejects.toThrow(/is not a directory/);
  });
});
