import type { Assignment } from '../../runtime/contracts/assignment';
import { Supervisor } from '../../runtime/worker/supervisor';

const ASSIGNMENT = { dispatchId: '01JQ8Z6V3N4R5T7W9Y1B3D5F7H' } as Assignment;

describe('Supervisor', () => {
  test('idle, busy while the run goes, finished with its exit code; a second assignment is refused', async () => {
    let finishRun!: (exitCode: number) => void;
    const supervisor = new Supervisor(() => new Promise((resolve) => { finishRun = resolve; }));
    expect(supervisor.state).toBe('idle');
    expect(supervisor.accept(ASSIGNMENT)).toBe(true);
    expect(supervisor.state).toBe('busy');
    expect(supervisor.accept(ASSIGNMENT)).toBe(false);
    finishRun(3);
    expect(await supervisor.exitCode).toBe(3);
    expect(supervisor.state).toBe('finished');
    expect(supervisor.accept(ASSIGNMENT)).toBe(false);
  });

  test('cancel aborts the running dispatch, which decides the exit code', async () => {
    const supervisor = new Supervisor((_, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(143))));
    supervisor.accept(ASSIGNMENT);
    supervisor.cancel();
    expect(await supervisor.exitCode).toBe(143);
  });

  test('cancel ends an idle worker at once with 143', async () => {
    const run = jest.fn();
    const supervisor = new Supervisor(run);
    supervisor.cancel();
    expect(await supervisor.exitCode).toBe(143);
    expect(supervisor.accept(ASSIGNMENT)).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });

  test('a run that throws ends the worker with 1', async () => {
    const supervisor = new Supervisor(() => Promise.reject(new Error('bug')));
    supervisor.accept(ASSIGNMENT);
    expect(await supervisor.exitCode).toBe(1);
  });
});
