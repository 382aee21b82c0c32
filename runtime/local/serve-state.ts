import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isRunning } from './kit/file-lock';

/** What a running `outpost local serve` leaves for `outpost local env` (and for the user who looks). */
export interface ServeState {
  /** The serving process: a file whose process is gone is stale. */
  readonly pid: number;
  readonly startedAt: string;
  /** The HTTP API's base URL. */
  readonly endpoint: string;
  /** The variables that point the CLI, the typed client and the MCP server at it, as the developer. */
  readonly environment: Readonly<Record<string, string>>;
  /** Written before the start too, so that a second serve is refused at once; `env` says to wait meanwhile. */
  readonly starting?: boolean;
}

/** How long `outpost local env` waits for the endpoint to answer before calling the serve gone. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * `$XDG_STATE_HOME/outpost-cdk/local-serve.json` (`~/.local/state` by default): state, in the XDG sense, of
 * one running serve. Mode 0600: it holds the developer's credentials.
 */
export function serveStateFile(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(stateHome, 'outpost-cdk', 'local-serve.json');
}

/** Records this serve; refuses while another live serve holds the file (one `outpost local env` answer at a time). */
export function writeServeState(state: ServeState, env: NodeJS.ProcessEnv = process.env): void {
  const file = serveStateFile(env);
  const other = readIfPresent(file);
  if (other && other.pid !== state.pid && isRunning(other.pid)) {
    throw new Error(`an Outpost Local is already serving ${other.endpoint} (pid ${other.pid}, ${file}): stop it with Ctrl-C first`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside and renamed: `outpost local env` never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(partial, file);
}

/** Removes the file if it is still this serve's (a later serve's file is left alone). */
export function removeServeState(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  const file = serveStateFile(env);
  if (readIfPresent(file)?.pid === pid) {
    fs.rmSync(file, { force: true });
  }
}

/**
 * The running serve's state, or an error that says to start one: no file, a file whose process is gone (removed
 * then), or an endpoint that does not answer.
 */
export async function readServeState(env: NodeJS.ProcessEnv = process.env): Promise<ServeState> {
  const file = serveStateFile(env);
  const start = 'start one with `outpost local serve` (it keeps running until Ctrl-C), then run `eval "$(outpost local env)"` again';
  if (!fs.existsSync(file)) {
    throw new Error(`no Outpost Local is serving (${file} is missing): ${start}`);
  }
  const state = readIfPresent(file);
  if (!state) {
    throw new Error(`${file} is not a serve's state (unreadable or incomplete): delete it, and ${start}`);
  }
  if (!isRunning(state.pid)) {
    fs.rmSync(file, { force: true });
    throw new Error(`the Outpost Local that served ${state.endpoint} (pid ${state.pid}) is gone, and its stale ${file} was removed: ${start}`);
  }
  if (state.starting) {
    throw new Error(`the Outpost Local of ${file} (pid ${state.pid}) is still starting: run \`eval "$(outpost local env)"\` again once it prints "serving"`);
  }
  if (!(await answers(state.endpoint))) {
    throw new Error(`the Outpost Local of ${file} (pid ${state.pid}) does not answer at ${state.endpoint}: if that serve is stuck, stop it, and ${start}`);
  }
  return state;
}

/** `export NAME='value'` lines, quoted for any POSIX shell. */
export function exportLines(environment: Readonly<Record<string, string>>): string {
  const quote = (value: string) => `'${value.replace(/'/g, '\'\\\'\'')}'`;
  return Object.entries(environment).map(([name, value]) => `export ${name}=${quote(value)}`).join('\n');
}

function readIfPresent(file: string): ServeState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ServeState>;
    const complete = Number.isInteger(state.pid) && typeof state.endpoint === 'string' && typeof state.environment === 'object' && state.environment !== null;
    return complete ? state as ServeState : undefined;
  } catch {
    return undefined;
  }
}

/** Any HTTP answer (a 403 for an unsigned request included) means the serve's API is up. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}
