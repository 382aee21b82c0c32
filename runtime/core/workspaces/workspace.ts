import { randomBytes } from 'node:crypto';
import { WORKSPACE_NAME } from '../dispatch/request';

/**
 * The POSIX ids users get, one each, allocated on first use and never reused: well above the system's and
 * the agent image's own users (the `agent` user is 1000), and below 2^31, which some tools read as signed.
 */
export const FIRST_UID = 100_000;
export const LAST_UID = 2_147_483_647;

/** Where workspaces live on the file system: a directory per user (uid), and one per workspace below it. */
export const WORKSPACES_ROOT = '/workspaces';

/** 48 random bits, in hex: tells apart a workspace from an earlier one of the same name, deleted since. */
const GENERATION = /^[0-9a-f]{12}$/;
const ROOT_DIRECTORY = /^\/workspaces\/([1-9][0-9]{5,9})\/([a-z0-9][a-z0-9-]{0,62})\.([0-9a-f]{12})$/;

/** The task definition a workspace's runs use for one agent, and the agent's own one it was cloned from. */
export interface WorkspaceTaskDefinition {
  readonly arn: string;
  /** When the agent's task definition changes (a deploy), the clone is registered again from the new one. */
  readonly source: string;
}

/** One item of the `workspaces` table (docs/data-model.md): a caller's named persistent workspace. */
export interface Workspace {
  readonly requester: string;
  readonly name: string;
  readonly generation: string;
  /** The owner's POSIX ids, which the access point imposes on every file operation; gid = uid. */
  readonly uid: number;
  readonly gid: number;
  /** `/workspaces/<uid>/<name>.<generation>`: the access point's root, created by EFS on first mount. */
  readonly rootDirectory: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  readonly accessPointId?: string;
  readonly accessPointArn?: string;
  /**
   * When the starter asked for the access point (it has none yet): the workspace provisioner, on the table's
   * stream, makes it for the dispatch holding the workspace.
   */
  readonly accessPointRequestedAt?: string;
  /** By agent name. */
  readonly taskDefinitions: Readonly<Record<string, WorkspaceTaskDefinition>>;
  /** The dispatch running on it: one at a time. */
  readonly inUseBy?: string;
  readonly inUseSince?: string;
  /** The idempotency item of the dispatch holding it, so a repeat of that request finds its dispatch. */
  readonly inUseKey?: string;
  /** Set when deletion began: no dispatch may take the workspace any more. */
  readonly deleting?: string;
}

/** What `GET /workspaces` shows of a workspace. */
export interface WorkspaceView {
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** The id of the dispatch using it, or null. */
  readonly inUseBy: string | null;
  readonly deleting: boolean;
}

export function isWorkspaceName(name: unknown): name is string {
  return typeof name === 'string' && WORKSPACE_NAME.test(name);
}

export function newGeneration(): string {
  return randomBytes(6).toString('hex');
}

/** The uid of the `count`-th user (counting from 1) to get one. */
export function uidFromCounter(count: number): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`uid counter ${count} is not a positive integer`);
  }
  const uid = FIRST_UID + count - 1;
  if (uid > LAST_UID) {
    throw new Error(`every uid from ${FIRST_UID} to ${LAST_UID} is taken`);
  }
  return uid;
}

/**
 * The workspace's directory on the file system. EFS allows at most 100 characters and four levels, which
 * `/workspaces/<10 digits>/<63 characters>.<12 hex digits>` (99 at most) keeps to.
 */
export function rootDirectory(uid: number, name: string, generation: string): string {
  if (!Number.isInteger(uid) || uid < FIRST_UID || uid > LAST_UID || !isWorkspaceName(name) || !GENERATION.test(generation)) {
    throw new Error(`no workspace directory for uid ${uid}, name ${JSON.stringify(name)}, generation ${JSON.stringify(generation)}`);
  }
  return `${WORKSPACES_ROOT}/${uid}/${name}.${generation}`;
}

/** The parts of a workspace directory, or undefined for any other path (`..`, another root, a bad name). */
export function parseRootDirectory(path: string): { readonly uid: number; readonly name: string; readonly generation: string } | undefined {
  const match = ROOT_DIRECTORY.exec(path);
  if (!match || Number(match[1]) > LAST_UID) {
    return undefined;
  }
  return { uid: Number(match[1]), name: match[2], generation: match[3] };
}

/**
 * The family of a workspace's task definition for one agent. `prefix` is the platform's (the construct
 * allows RunTask and RegisterTaskDefinition on `<prefix>-*` only); uid and name make it the workspace's.
 */
export function taskDefinitionFamily(prefix: string, agent: string, uid: number, name: string): string {
  return `${prefix}-${agent}-${uid}-${name}`;
}

export function toWorkspaceView(workspace: Workspace): WorkspaceView {
  return {
    name: workspace.name,
    createdAt: workspace.createdAt,
    lastUsedAt: workspace.lastUsedAt,
    inUseBy: workspace.inUseBy ?? null,
    deleting: workspace.deleting !== undefined,
  };
}
