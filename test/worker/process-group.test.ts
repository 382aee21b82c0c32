import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcessGroup, type ProcessOptions } from '../../runtime/worker/process-group';

const OPTIONS: ProcessOptions = { cwd: os.tmpdir(), env: { PATH: process.env.PATH }, graceMs: 5000 };

/** Running, as opposed to gone or a zombie that no init process has reaped yet. */
function isRunning(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
}

describe('runInProcessGroup', () => {
  test('reports the exit code and the output, line by line', async () => {
    const lines: string[] = [];
    const result = await runInProcessGroup('sh', ['-c', 'echo one; echo two >&2; printf three; exit 7'], { ...OPTIONS, onLine: (stream, line) => lines.push(`${stream}:${line}`) });
    expect(result).toMatchObject({ exitCode: 7, timedOut: false, aborted: false, stdout: 'one\nthree\n', stderr: 'two\n' });
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']);
  });

  test('a timeout stops the whole group: SIGTERM first', async () => {
    const started = Date.now();
    const result = await runInProcessGroup('sh', ['-c', 'sleep 30 & sleep 30; wait'], { ...OPTIONS, timeoutMs: 200 });
    expect(result).toMatchObject({ timedOut: true, aborted: false, exitCode: 128 + 15 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a process that ignores SIGTERM is killed after the grace period', async () => {
    const started = Date.now();
    const result = await runInProcessGroup('sh', ['-c', 'trap "" TERM; sleep 30'], { ...OPTIONS, timeoutMs: 100, graceMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(128 + 9);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('cancellation through the signal stops the group', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await runInProcessGroup('sleep', ['30'], { ...OPTIONS, signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, timedOut: false });
  });

  test('an already-cancelled signal stops the process at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runInProcessGroup('sleep', ['30'], { ...OPTIONS, signal: controller.signal, graceMs: 100 });
    expect(result.aborted).toBe(true);
  });

  test('processes left behind by the command are killed when it exits', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-')), 'pid');
    const result = await runInProcessGroup('sh', ['-c', `sleep 30 >/dev/null 2>&1 & echo $! > ${pidFile}`], OPTIONS);
    expect(result.exitCode).toBe(0);
    const straggler = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(straggler)).toBe(false);
  });

  test('a missing executable is an error, not an exit code', async () => {
    await expect(runInProcessGroup('/nonexistent/agent', [], OPTIONS)).rejects.toThrow(/ENOENT/);
  });
});
