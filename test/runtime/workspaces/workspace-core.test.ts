import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { workspaceTaskDefinition, WORKSPACE_VOLUME } from '../../../runtime/adapters/workspace-task-definition-input';
import { accessPointRequest, ACCESS_POINT_OWNER_TAG } from '../../../runtime/core/workspaces/access-point';
import { cleanupOf } from '../../../runtime/core/workspaces/cleanup';
import { parseWorkspaceDeleted, workspaceDeleted, workspaceDeletedEntry } from '../../../runtime/core/workspaces/events';
import { isStaleLock, ORPHANED_LOCK_MS, STOPPED_RUN_LOCK_MS } from '../../../runtime/core/workspaces/lock';
import { releasedWithoutTask } from '../../../runtime/core/workspaces/release';
import {
  FIRST_UID, LAST_UID, isWorkspaceName, parseRootDirectory, rootDirectory, taskDefinitionFamily, toWorkspaceView, uidFromCounter, type Workspace,
} from '../../../runtime/core/workspaces/workspace';
import { ACCESS_POINT_OWNER_TAG as CONSTRUCT_OWNER_TAG } from '../../../src/cluster/workspace-file-system';
import { streamChangeOf } from '../outbox/stream-records';

/** EFS's pattern and length limit for an access point's root directory (API reference, RootDirectory.Path). */
const EFS_PATH = /^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$/;
const LONGEST_NAME = `a${'-'.repeat(61)}z`;

const WORKSPACE: Workspace = {
  requester: 'arn:aws:sts::123456789012:assumed-role/Dev/alice',
  name: 'main',
  generation: '0123456789ab',
  uid: 100_007,
  gid: 100_007,
  rootDirectory: '/workspaces/100007/main.0123456789ab',
  createdAt: '2026-01-02T03:04:05.000Z',
  lastUsedAt: '2026-01-03T03:04:05.000Z',
  taskDefinitions: {},
};

describe('uids', () => {
  test('the n-th user gets FIRST_UID + n - 1; the range ends below 2^31', () => {
    expect(uidFromCounter(1)).toBe(100_000);
    expect(uidFromCounter(42)).toBe(100_041);
    expect(uidFromCounter(LAST_UID - FIRST_UID + 1)).toBe(2 ** 31 - 1);
    expect(() => uidFromCounter(LAST_UID - FIRST_UID + 2)).toThrow(/every uid/);
    expect(() => uidFromCounter(0)).toThrow();
  });
});

describe('names and paths', () => {
  test('workspace names are the request parser\'s: one path segment, no dots', () => {
    for (const name of ['main', 'a', '0-feature', LONGEST_NAME]) {
      expect(isWorkspaceName(name)).toBe(true);
    }
    for (const name of ['', '..', '.', 'a/b', '../main', 'Main', '-x', 'a.b', '%2e%2e', `${LONGEST_NAME}x`, undefined, 7]) {
      expect(isWorkspaceName(name)).toBe(false);
    }
  });

  test('a workspace directory is /workspaces/<uid>/<name>.<generation>, within EFS\'s limits at the longest', () => {
    expect(rootDirectory(100_007, 'main', '0123456789ab')).toBe('/workspaces/100007/main.0123456789ab');
    const longest = rootDirectory(LAST_UID, LONGEST_NAME, 'ffffffffffff');
    expect(longest.length).toBeLessThanOrEqual(100);
    expect(longest).toMatch(EFS_PATH);
    expect(() => rootDirectory(100_007, '..', '0123456789ab')).toThrow();
    expect(() => rootDirectory(999, 'main', '0123456789ab')).toThrow();
    expect(() => rootDirectory(100_007, 'main', 'not-hex')).toThrow();
  });

  test('only a workspace directory parses back: no traversal, no other root', () => {
    expect(parseRootDirectory('/workspaces/100007/main.0123456789ab')).toEqual({ uid: 100_007, name: 'main', generation: '0123456789ab' });
    for (const path of [
      '/workspaces/100007/main', '/workspaces/100007/../100008/main.0123456789ab', '/workspaces/100007/main.0123456789ab/..',
      '/workspaces/100007', '/workspaces', '/', '/etc/main.0123456789ab', 'workspaces/100007/main.0123456789ab', '/workspaces/99999/main.0123456789ab',
    ]) {
      expect(parseRootDirectory(path)).toBeUndefined();
    }
  });

  test('task definition families: the platform prefix, then agent, uid and name', () => {
    expect(taskDefinitionFamily('OutpostLifecycleABC-ws', 'claude', 100_007, 'main')).toBe('OutpostLifecycleABC-ws-claude-100007-main');
  });

  test('the public view shows name, times, the dispatch using it and whether it is being deleted', () => {
    expect(toWorkspaceView({ ...WORKSPACE, inUseBy: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', inUseKey: 'idem#x' })).toEqual({
      name: 'main', createdAt: WORKSPACE.createdAt, lastUsedAt: WORKSPACE.lastUsedAt, inUseBy: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', deleting: false,
    });
    expect(toWorkspaceView({ ...WORKSPACE, deleting: '2026-01-04T00:00:00.000Z' })).toMatchObject({ inUseBy: null, deleting: true });
  });
});

describe('access point request', () => {
  test('the owner\'s uid and gid on every operation, the workspace\'s directory as root (0700, created on first mount), tagged', () => {
    expect(accessPointRequest('fs-0123456789abcdef0', WORKSPACE)).toEqual({
      ClientToken: 'fs-0123456789abcdef0.100007.0123456789ab',
      FileSystemId: 'fs-0123456789abcdef0',
      PosixUser: { Uid: 100_007, Gid: 100_007 },
      RootDirectory: { Path: '/workspaces/100007/main.0123456789ab', CreationInfo: { OwnerUid: 100_007, OwnerGid: 100_007, Permissions: '0700' } },
      Tags: [
        { Key: 'Name', Value: 'outpost 100007/main' },
        { Key: 'outpost:file-system-id', Value: 'fs-0123456789abcdef0' },
        { Key: 'outpost:workspace', Value: '100007/main' },
      ],
    });
  });

  test('the client token fits EFS\'s 64 characters, and the owner tag is the one the construct\'s delete grant checks', () => {
    const longest = { ...WORKSPACE, uid: LAST_UID, gid: LAST_UID, rootDirectory: rootDirectory(LAST_UID, LONGEST_NAME, 'ffffffffffff'), name: LONGEST_NAME };
    expect(accessPointRequest('fs-0123456789abcdef0', longest).ClientToken.length).toBeLessThanOrEqual(64);
    expect(ACCESS_POINT_OWNER_TAG).toBe(CONSTRUCT_OWNER_TAG);
  });
});

describe('workspace task definition', () => {
  const source: TaskDefinition = {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/OutpostAgentsclaude:7',
    family: 'OutpostAgentsclaude',
    revision: 7,
    status: 'ACTIVE',
    registeredAt: new Date('2026-01-01T00:00:00Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/cdk-deploy/x',
    requiresAttributes: [{ name: 'ecs.capability.efsAuth' }],
    compatibilities: ['EC2', 'FARGATE'],
    taskRoleArn: 'arn:aws:iam::123456789012:role/claude-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/claude-execution',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    ephemeralStorage: { sizeInGiB: 40 },
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    volumes: [{ name: 'workspace' }, { name: 'home' }, { name: 'tmp' }],
    containerDefinitions: [{
      name: 'agent',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/claude:1',
      user: '1000:1000',
      readonlyRootFilesystem: true,
      environment: [{ name: 'OUTPOST_AGENT', value: 'claude' }, { name: 'GIT_CONFIG_COUNT', value: '9' }],
      secrets: [{ name: 'ANTHROPIC_API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:claude' }],
      mountPoints: [{ sourceVolume: 'workspace', containerPath: '/workspace', readOnly: false }],
    }, { name: 'sidecar', image: 'sidecar:1' }],
  };
  const mount = {
    family: 'P-ws-claude-100007-main',
    fileSystemId: 'fs-0123456789abcdef0',
    accessPointId: 'fsap-0123456789abcdef0',
    containerName: 'agent',
    mountPath: '/mnt/workspace',
    tags: [{ key: 'outpost:workspace', value: '100007/main' }],
  };

  test('is the agent\'s, with the access point mounted on the worker\'s container, and nothing of ECS\'s own', () => {
    const input = workspaceTaskDefinition(source, mount);
    expect(input).toEqual({
      family: 'P-ws-claude-100007-main',
      taskRoleArn: source.taskRoleArn,
      executionRoleArn: source.executionRoleArn,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '1024',
      memory: '4096',
      ephemeralStorage: { sizeInGiB: 40 },
      runtimePlatform: source.runtimePlatform,
      volumes: [{ name: 'workspace' }, { name: 'home' }, { name: 'tmp' }, {
        name: WORKSPACE_VOLUME,
        efsVolumeConfiguration: {
          fileSystemId: 'fs-0123456789abcdef0',
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: 'fsap-0123456789abcdef0', iam: 'ENABLED' },
        },
      }],
      containerDefinitions: [{
        ...source.containerDefinitions![0],
        mountPoints: [
          { sourceVolume: 'workspace', containerPath: '/workspace', readOnly: false },
          { sourceVolume: WORKSPACE_VOLUME, containerPath: '/mnt/workspace', readOnly: false },
        ],
        environment: [
          { name: 'OUTPOST_AGENT', value: 'claude' },
          { name: 'OUTPOST_PERSISTENT_WORKSPACE_PATH', value: '/mnt/workspace' },
          { name: 'GIT_CONFIG_COUNT', value: '1' },
          { name: 'GIT_CONFIG_KEY_0', value: 'safe.directory' },
          { name: 'GIT_CONFIG_VALUE_0', value: '/mnt/workspace' },
        ],
      }, { name: 'sidecar', image: 'sidecar:1' }],
      tags: [{ key: 'outpost:workspace', value: '100007/main' }],
    });
  });

  test('refuses a task definition without the worker\'s container, or one that is already a workspace\'s', () => {
    expect(() => workspaceTaskDefinition({ ...source, containerDefinitions: [{ name: 'other' }] }, mount)).toThrow(/no container "agent"/);
    const clone = workspaceTaskDefinition(source, mount);
    expect(() => workspaceTaskDefinition({ ...source, volumes: clone.volumes }, mount)).toThrow(/already has/);
  });
});

describe('stale locks', () => {
  const now = new Date('2026-01-02T03:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const task = 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc';

  test('a missing dispatch: stale only once its request has surely died', () => {
    expect(isStaleLock(undefined, ago(ORPHANED_LOCK_MS - 1_000), now)).toBe(false);
    expect(isStaleLock(undefined, ago(ORPHANED_LOCK_MS + 1_000), now)).toBe(true);
  });

  test('a live dispatch is never stale, however old', () => {
    for (const status of ['QUEUED', 'STARTING', 'RUNNING'] as const) {
      expect(isStaleLock({ status, taskArn: task }, ago(86_400_000), now)).toBe(false);
    }
  });

  test('a final dispatch without a task is stale at once; with one, once its task has surely stopped', () => {
    expect(isStaleLock({ status: 'FAILED' }, ago(0), now)).toBe(true);
    expect(isStaleLock({ status: 'CANCELLED', taskArn: task, finishedAt: ago(60_000) }, ago(600_000), now)).toBe(false);
    expect(isStaleLock({ status: 'CANCELLED', taskArn: task, finishedAt: ago(STOPPED_RUN_LOCK_MS + 1_000) }, ago(600_000), now)).toBe(true);
  });
});

describe('releasedWithoutTask (the outbox\'s part of giving workspaces back)', () => {
  const base = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', agent: 'claude', requester: WORKSPACE.requester, workspace: { kind: 'persistent', name: 'main' } };

  test('a persistent dispatch that became final without a task frees its workspace', () => {
    expect(releasedWithoutTask(streamChangeOf('MODIFY', { ...base, status: 'QUEUED' }, { ...base, status: 'FAILED', error: 'no capacity' })))
      .toEqual({ requester: WORKSPACE.requester, name: 'main', dispatchId: base.id });
  });

  test('not when it had a task (its STOPPED event frees it), not ephemeral, not a non-final change', () => {
    const task = 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc';
    expect(releasedWithoutTask(streamChangeOf('MODIFY', { ...base, status: 'RUNNING', taskArn: task }, { ...base, status: 'CANCELLED', taskArn: task }))).toBeUndefined();
    const ephemeral = { ...base, workspace: { kind: 'ephemeral' } };
    expect(releasedWithoutTask(streamChangeOf('MODIFY', { ...ephemeral, status: 'QUEUED' }, { ...ephemeral, status: 'CANCELLED' }))).toBeUndefined();
    expect(releasedWithoutTask(streamChangeOf('MODIFY', { ...base, status: 'QUEUED' }, { ...base, status: 'STARTING', taskArn: task }))).toBeUndefined();
    expect(releasedWithoutTask(streamChangeOf('INSERT', undefined, { ...base, status: 'QUEUED' }))).toBeUndefined();
  });
});

describe('Workspace Deleted event', () => {
  test('round-trips through EventBridge\'s envelope; anything else is not one', () => {
    const event = workspaceDeleted(WORKSPACE, new Date('2026-01-05T00:00:00.000Z'), 'arn:aws:iam::123456789012:role/admin');
    const entry = workspaceDeletedEntry(event);
    expect(entry).toMatchObject({ Source: 'outpost.workspace', DetailType: 'Workspace Deleted' });
    const delivered = { 'source': entry.Source, 'detail-type': entry.DetailType, 'detail': JSON.parse(entry.Detail) };
    expect(parseWorkspaceDeleted(delivered)).toEqual({
      requester: WORKSPACE.requester, name: 'main', uid: 100_007, rootDirectory: WORKSPACE.rootDirectory, at: '2026-01-05T00:00:00.000Z', deletedBy: 'arn:aws:iam::123456789012:role/admin',
    });
    expect(parseWorkspaceDeleted({ ...delivered, source: 'someone.else' })).toBeUndefined();
    expect(parseWorkspaceDeleted({ ...delivered, detail: { name: 'main' } })).toBeUndefined();
  });
});

describe('cleanupOf (what the workspace cleaner removes for an event)', () => {
  const event = workspaceDeleted(WORKSPACE, new Date('2026-01-05T00:00:00.000Z'), WORKSPACE.requester);
  const deleting: Workspace = { ...WORKSPACE, deleting: '2026-01-05T00:00:00.000Z' };

  test('the workspace being deleted: its access point, task definitions, directory and item', () => {
    expect(cleanupOf(event, 100_007, deleting)).toEqual({ directory: '100007/main.0123456789ab', deleting });
  });

  test('its item gone, or a later workspace of the same name: only the old directory', () => {
    expect(cleanupOf(event, 100_007, undefined)).toEqual({ directory: '100007/main.0123456789ab' });
    const later = { ...deleting, generation: 'ffffffffffff', rootDirectory: '/workspaces/100007/main.ffffffffffff' };
    expect(cleanupOf(event, 100_007, later)).toEqual({ directory: '100007/main.0123456789ab' });
    expect(cleanupOf(event, 100_007, { ...later, deleting: undefined })).toEqual({ directory: '100007/main.0123456789ab' });
  });

  test('nothing for a live workspace, another user\'s uid, or a path that is not this workspace\'s', () => {
    expect(cleanupOf(event, 100_007, WORKSPACE)).toBeUndefined();
    expect(cleanupOf(event, 100_008, undefined)).toBeUndefined();
    expect(cleanupOf(event, undefined, undefined)).toBeUndefined();
    expect(cleanupOf({ ...event, uid: 100_008 }, 100_008, undefined)).toBeUndefined();
    expect(cleanupOf({ ...event, name: 'other' }, 100_007, undefined)).toBeUndefined();
    for (const elsewhere of ['/workspaces/100007', '/workspaces/100007/../100007/main.0123456789ab', '/elsewhere/100007/main.0123456789ab']) {
      expect(cleanupOf({ ...event, rootDirectory: elsewhere }, 100_007, undefined)).toBeUndefined();
    }
  });
});
