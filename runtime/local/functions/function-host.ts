import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { LAMBDA_CHILD_SOURCE } from './lambda-child';

/** One function as Outpost Local runs it: its code, entry point, environment and limits, from the template. */
export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The bundled handler file (`<asset folder>/index.js`) and its export (`handler`). */
  readonly file: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** The template's variables, resolved, plus the AWS environment Lambda gives (credentials, Region, endpoint). */
  readonly environment: Readonly<Record<string, string>>;
}

/** How an invocation ended, as Lambda reports it. */
export type InvocationOutcome =
  | { readonly ok: true; readonly result: unknown; readonly durationMs: number }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly durationMs: number };

/** Lambda's own answer to an invocation that runs past the function's timeout. */
export function timedOutMessage(seconds: number): string {
  return `Task timed out after ${seconds.toFixed(2)} seconds`;
}

interface Environment {
  readonly child: ChildProcess;
  busy: boolean;
}

/** At most this many environments of one function at once, as a reserved concurrency would cap it. */
const MAX_ENVIRONMENTS = 10;

/**
 * Runs one function's real handler as Lambda does: each execution environment is a child process with the
 * function's environment variables, loading the handler once and serving one invocation at a time; another
 * environment starts when all are busy; an invocation past the timeout is ended with Lambda's message and its
 * environment discarded, as Lambda discards it.
 */
export class FunctionHost {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly waiting: Array<() => void> = [];

  constructor(
    public readonly fn: LocalFunction,
    private readonly onOutput: (fn: LocalFunction, line: string) => void = () => undefined,
  ) {}

  public async invoke(event: unknown): Promise<InvocationOutcome> {
    const started = Date.now();
    let environment: Environment;
    try {
      environment = await this.acquire();
    } catch (error) {
      return { ok: false, errorType: 'Runtime.ImportModuleError', errorMessage: (error as Error).message, durationMs: Date.now() - started };
    }
    const requestId = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const outcome = await new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        environment.child.kill('SIGKILL');
        resolve({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: timedOutMessage(this.fn.timeoutSeconds), durationMs: Date.now() - started });
      }, timeoutMs);
      const onMessage = (message: any) => {
        if (message.requestId !== requestId) {
          return;
        }
        clearTimeout(timer);
        environment.child.off('message', onMessage);
        environment.child.off('exit', onExit);
        resolve(message.type === 'result'
          ? { ok: true, result: message.result, durationMs: Date.now() - started }
          : { ok: false, errorType: message.errorType, errorMessage: message.errorMessage, durationMs: Date.now() - started });
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        environment.child.off('message', onMessage);
        resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`, durationMs: Date.now() - started });
      };
      environment.child.on('message', onMessage);
      environment.child.once('exit', onExit);
      environment.child.send({ requestId, event, timeoutMs, functionArn: this.fn.arn });
    });
    this.release(environment);
    return outcome;
  }

  /** Ends every environment. */
  public async stop(): Promise<void> {
    await Promise.all([...this.all].map((environment) => new Promise<void>((resolve) => {
      if (environment.child.exitCode !== null || environment.child.signalCode !== null) {
        resolve();
        return;
      }
      environment.child.once('exit', () => resolve());
      environment.child.kill('SIGTERM');
    })));
  }

  private async acquire(): Promise<Environment> {
    for (;;) {
      const ready = this.idle.pop();
      if (ready) {
        ready.busy = true;
        return ready;
      }
      if (this.all.size < MAX_ENVIRONMENTS) {
        const started = await this.start();
        started.busy = true;
        return started;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: Environment): void {
    environment.busy = false;
    if (environment.child.exitCode === null && environment.child.signalCode === null) {
      this.idle.push(environment);
    }
    this.waiting.shift()?.();
  }

  /** A new execution environment: a cold start. */
  private async start(): Promise<Environment> {
    const child = spawn(process.execPath, ['-e', LAMBDA_CHILD_SOURCE, this.fn.file, this.fn.exportName], {
      // Nothing of Outpost Local's own environment leaks in: only what Lambda would set.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.fn.environment },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const environment: Environment = { child, busy: false };
    this.all.add(environment);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text.length > 0)) {
        this.onOutput(this.fn, line);
      }
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', () => {
      this.all.delete(environment);
      const at = this.idle.indexOf(environment);
      if (at >= 0) {
        this.idle.splice(at, 1);
      }
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (message: any) => (message.type === 'ready'
        ? resolve()
        : reject(new Error(`${this.fn.logicalId} failed to load: ${message.errorType}: ${message.errorMessage}`))));
      child.once('exit', (code) => reject(new Error(`${this.fn.logicalId} exited with ${code} while loading`)));
    });
    return environment;
  }
}
