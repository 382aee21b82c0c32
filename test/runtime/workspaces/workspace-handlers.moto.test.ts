import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateFileSystemCommand, DescribeAccessPointsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { WorkspaceAccessPoints } from '../../../runtime/adapters/workspace-access-points';
import { WorkspaceRepository } from '../../../runtime/adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../../../runtime/adapters/workspace-task-definitions';
import type { PlatformConfig } from '../../../runtime/core/config';
import { parseWorkspaceDeleted, workspaceDeleted, workspaceDeletedEntry } from '../../../runtime/core/workspaces/events';
import type { Workspace } from '../../../runtime/core/workspaces/workspace';
import { cleanWorkspace } from '../../../runtime/services/clean-workspace';
import { apiRequest as request, callApi as call, type ApiHandler as Handler } from '../../support/api-event';
import { taskEvent } from '../../support/ecs-events';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB } from '../dispatch/support/dispatches';
import { INDEXES, type TableNames } from '../dispatch/support/platform-tables';
import { streamRecord } from '../outbox/stream-records';

const ADMIN = 'arn:aws:iam::123456789012:role/platform-admin';
const MOUNT_PATH = '/mnt/workspace';
const FAMILY_PREFIX = 'OutpostTest-ws';

/**
 * Persistent workspaces through the handlers, invoked as Lambda invokes them, against moto (DynamoDB, ECS,
 * EFS, EventBridge): first use, the run's task definition, one run at a time, release, listing, deletion and its
 * cleanup.
 */
describe('persistent workspaces through the handlers (moto)', () => {
  let platform: MotoPlatform;
  let config: PlatformConfig;
  let tables: TableNames;
  let documents: DynamoDBDocumentClient;
  let ecs: ECSClient;
  let efs: EFSClient;
  let fileSystemId: string;
  let agentTaskDefinition: string;
  let workspaces: WorkspaceRepository;
  let mount: string;
  let create: Handler;
  let manage: Handler;
  let taskStopped: Handler;
  let outbox: Handler;
  let cleaner: Handler;

  beforeAll(async () => {
    platform = await startMotoPlatform();
    ({ tables, agentTaskDefinition } = platform);
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    ecs = new ECSClient({});
    workspaces = new WorkspaceRepository(documents, tables.workspaces);
    efs = new EFSClient({});
    fileSystemId = (await efs.send(new CreateFileSystemCommand({ CreationToken: 'workspaces', Encrypted: true }))).FileSystemId!;
    mount = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-workspaces-'));
    process.env.OUTPOST_WORKSPACES_MOUNT = mount;
    const settings = { table: tables.workspaces, fileSystemId, familyPrefix: FAMILY_PREFIX, containerName: 'agent', mountPath: MOUNT_PATH };
    config = { ...platform.config, workspaces: settings };
    create = platform.handler('dispatch-create', config);
    manage = platform.handler('workspaces', config);
    taskStopped = platform.handler('task-stopped', config);
    outbox = platform.handler('outbox', config);
    cleaner = platform.handler('workspace-cleaner', config);
  });
  afterAll(async () => {
    delete process.env.OUTPOST_WORKSPACES_MOUNT;
    fs.rmSync(mount, { recursive: true, force: true });
    await platform.stop();
  });

  const dispatch = (caller: string, name: string, extra: Record<string, unknown> = {}) =>
    call(create, request('POST /dispatch', caller, { body: { agent: 'claude', prompt: 'keep going', workspace: { kind: 'persistent', name }, ...extra } }));
  /** A dispatch, then what the streams bring about: the starter, the provisioner if the workspace needs an access point, the starter again. */
  const startedDispatch = async (caller: string, name: string) => {
    const response = await dispatch(caller, name);
    await platform.deliverColdStarts(config);
    if (await platform.deliverAccessPointRequests(config) > 0) {
      await platform.deliverColdStarts(config);
    }
    return response;
  };
  const listed = async (caller: string) => (await call(manage, request('GET /workspaces', caller))).body.items;
  const dispatchesOf = async (requester: string) => (await documents.send(new QueryCommand({
    TableName: tables.dispatches, IndexName: INDEXES.byRequester, KeyConditionExpression: 'requester = :r', ExpressionAttributeValues: { ':r': requester },
  }))).Items ?? [];
  const taskArnOf = async (id: string, requester = ALICE) => (await dispatchesOf(requester)).find((item) => item.id === id)!.taskArn as string;
  const taskDefinitionStatus = async (taskDefinition: string) =>
    (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition!.status;
  /** The `Workspace Deleted` event of a workspace, as EventBridge delivers it to the cleaner. */
  const deletedEvent = async (name: string, rootDirectory: string) => (await platform.publishedEvents())
    .find((event) => event['detail-type'] === 'Workspace Deleted' && event.detail.name === name && event.detail.rootDirectory === rootDirectory)!;
  /** The task's STOPPED event, as EventBridge delivers it to task-stopped. */
  const stopped = (taskArn: string, id: string) => taskStopped(taskEvent({
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    startedBy: `outpost/${id}`,
    stopCode: 'EssentialContainerExited',
    containers: [{ name: 'agent', exitCode: 1 }],
  }, { taskArn }));

  describe('a workspace\'s life', () => {
    let first: string;
    let workspace: Workspace;

    test('first use: the workspace is held; the starter asks for its access point, the provisioner makes it, then the starter registers its task definition and starts the run cold on it', async () => {
      const response = await dispatch(ALICE, 'main', { idempotencyKey: 'ticket-7' });
      expect(response).toMatchObject({ statusCode: 202, body: { status: 'QUEUED' } });
      first = response.body.id;
      expect(await workspaces.get(ALICE, 'main')).toMatchObject({ inUseBy: first, taskDefinitions: {} });
      expect(await workspaces.get(ALICE, 'main')).not.toHaveProperty('accessPointId');
      expect(await platform.deliverColdStarts(config)).toBe(1);
      // No access point yet: asked for, and the dispatch waits for it.
      expect(await workspaces.get(ALICE, 'main')).toMatchObject({ accessPointRequestedAt: expect.any(String) });
      expect((await dispatchesOf(ALICE)).find((item) => item.id === first)).toMatchObject({ status: 'QUEUED' });
      expect(await platform.deliverAccessPointRequests(config)).toBe(1);
      expect((await dispatchesOf(ALICE)).find((item) => item.id === first)).toMatchObject({ status: 'QUEUED', workspaceReadyAt: expect.any(String) });
      expect(await platform.deliverColdStarts(config)).toBe(1);
      workspace = (await workspaces.get(ALICE, 'main'))!;
      expect(workspace).toMatchObject({ inUseBy: first, uid: expect.any(Number), accessPointId: expect.stringMatching(/^fsap-/) });

      const { AccessPoints } = await efs.send(new DescribeAccessPointsCommand({ AccessPointId: workspace.accessPointId }));
      expect(AccessPoints![0]).toMatchObject({
        FileSystemId: fileSystemId,
        PosixUser: { Uid: workspace.uid, Gid: workspace.uid },
        RootDirectory: { Path: workspace.rootDirectory },
      });

      const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [await taskArnOf(first)] }));
      const taskDefinitionArn = tasks![0].taskDefinitionArn!;
      expect(taskDefinitionArn).toBe(workspace.taskDefinitions.claude.arn);
      expect(taskDefinitionArn).not.toBe(agentTaskDefinition);
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
      expect(taskDefinition!.family).toBe(`OutpostTest-ws-claude-${workspace.uid}-main`);
      // ECS (and moto) answer with the default root directory, "/": an access point's own root is the workspace's.
      expect(taskDefinition!.volumes).toContainEqual({
        name: 'persistent-workspace',
        efsVolumeConfiguration: expect.objectContaining({
          fileSystemId, transitEncryption: 'ENABLED', authorizationConfig: { accessPointId: workspace.accessPointId, iam: 'ENABLED' },
        }),
      });
      expect(taskDefinition!.containerDefinitions![0].mountPoints).toContainEqual({ sourceVolume: 'persistent-workspace', containerPath: MOUNT_PATH, readOnly: false });
    });

    test('a second dispatch while it runs: 409 naming the workspace, and nothing written; a repeat of the first request gets the first', async () => {
      const before = (await dispatchesOf(ALICE)).length;
      expect(await dispatch(ALICE, 'main')).toMatchObject({ statusCode: 409, body: { error: { code: 'WorkspaceBusy', field: 'workspace' } } });
      expect(await dispatch(ALICE, 'main', { idempotencyKey: 'ticket-7' })).toMatchObject({ statusCode: 202, body: { id: first } });
      expect((await dispatchesOf(ALICE)).length).toBe(before);
    });

    test('listing: the caller\'s, with the dispatch using it; nobody else\'s; an admin names the requester', async () => {
      expect(await listed(ALICE)).toEqual([{ name: 'main', createdAt: workspace.createdAt, lastUsedAt: expect.any(String), inUseBy: first, deleting: false }]);
      expect(await listed(BOB)).toEqual([]);
      expect(await call(manage, request('GET /admin/workspaces', ADMIN))).toMatchObject({ statusCode: 400, body: { error: { field: 'requester' } } });
      expect((await call(manage, request('GET /admin/workspaces', ADMIN, { query: { requester: ALICE } }))).body.items).toHaveLength(1);
    });

    test('it cannot be deleted while in use; another caller cannot even see it', async () => {
      const remove = (caller: string) => call(manage, request('DELETE /workspaces/{name}', caller, { pathParameters: { name: 'main' } }));
      expect(await remove(ALICE)).toMatchObject({ statusCode: 409, body: { error: { code: 'WorkspaceBusy', field: 'name' } } });
      expect(await remove(BOB)).toMatchObject({ statusCode: 404, body: { error: { code: 'NotFound', field: 'name' } } });
    });

    test('the run\'s task stopping gives the workspace back; the next run reuses its task definition', async () => {
      await stopped(await taskArnOf(first), first);
      expect((await listed(ALICE))[0].inUseBy).toBeNull();
      const second = await dispatch(ALICE, 'main');
      expect(second).toMatchObject({ statusCode: 202, body: { status: 'QUEUED' } });
      expect(await platform.deliverColdStarts(config)).toBe(1);
      const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [await taskArnOf(second.body.id)] }));
      expect(tasks![0].taskDefinitionArn).toBe(workspace.taskDefinitions.claude.arn);
      await stopped(await taskArnOf(second.body.id), second.body.id);
    });

    test('names that are not workspace names are refused before anything is looked up', async () => {
      for (const name of ['..', '%2e%2e', 'a/b', 'Main', '']) {
        expect(await call(manage, request('DELETE /workspaces/{name}', ALICE, { pathParameters: { name } })))
          .toMatchObject({ statusCode: 400, body: { error: { code: 'InvalidParameter', field: 'name' } } });
      }
    });

    test('deletion marks it deleting, announces it and audits it; until the cleaner has run, the name is taken by nothing', async () => {
      const deleted = await call(manage, request('DELETE /workspaces/{name}', ALICE, { pathParameters: { name: 'main' } }));
      expect(deleted).toMatchObject({ statusCode: 202, body: { name: 'main', deleting: true } });
      expect(await listed(ALICE)).toEqual([expect.objectContaining({ name: 'main', inUseBy: null, deleting: true })]);
      expect(await dispatch(ALICE, 'main')).toMatchObject({ statusCode: 409, body: { error: { code: 'WorkspaceBusy', message: expect.stringContaining('being deleted') } } });

      expect(await deletedEvent('main', workspace.rootDirectory)).toMatchObject({ detail: { requester: ALICE, uid: workspace.uid, deletedBy: ALICE } });
      const { Items = [] } = await documents.send(new QueryCommand({
        TableName: tables.audit, KeyConditionExpression: 'entity = :e', ExpressionAttributeValues: { ':e': `workspace#${ALICE}/main` },
      }));
      expect(Items).toEqual([expect.objectContaining({ type: 'Workspace Deleted' })]);
    });

    test('the cleaner, on that event: the access point is gone, the task definitions INACTIVE, the files and the item removed', async () => {
      const directory = path.join(mount, workspace.rootDirectory.slice('/workspaces/'.length));
      fs.mkdirSync(path.join(directory, 'src'), { recursive: true });
      fs.writeFileSync(path.join(directory, 'src', 'a.ts'), 'x');
      const event = await deletedEvent('main', workspace.rootDirectory);
      await cleaner(event);
      await expect(efs.send(new DescribeAccessPointsCommand({ AccessPointId: workspace.accessPointId }))).rejects.toMatchObject({ name: 'AccessPointNotFound' });
      expect(await taskDefinitionStatus(workspace.taskDefinitions.claude.arn)).toBe('INACTIVE');
      expect(fs.existsSync(directory)).toBe(false);
      expect(await listed(ALICE)).toEqual([]);
      expect(await call(manage, request('DELETE /workspaces/{name}', ALICE, { pathParameters: { name: 'main' } }))).toMatchObject({ statusCode: 404 });
      await cleaner(event);
    });

    test('a workspace made again under the same name is a new one, in a directory of its own', async () => {
      const again = await startedDispatch(ALICE, 'main');
      expect(again.statusCode).toBe(202);
      const renewed = (await workspaces.get(ALICE, 'main'))!;
      expect(renewed.uid).toBe(workspace.uid);
      expect(renewed.rootDirectory).not.toBe(workspace.rootDirectory);
      expect(renewed.accessPointId).toMatch(/^fsap-/);
      expect(renewed.accessPointId).not.toBe(workspace.accessPointId);
      await stopped(await taskArnOf(again.body.id), again.body.id);
    });

    test('an admin deletes anyone\'s', async () => {
      expect(await call(manage, request('DELETE /admin/workspaces/{name}', ADMIN, { pathParameters: { name: 'main' } })))
        .toMatchObject({ statusCode: 400, body: { error: { field: 'requester' } } });
      const remove = () => call(manage, request('DELETE /admin/workspaces/{name}', ADMIN, { pathParameters: { name: 'main' }, query: { requester: ALICE } }));
      expect(await remove()).toMatchObject({ statusCode: 202, body: { deleting: true } });
      // Asked again before the cleaner finished (its events in the dead-letter queue, say): announced again.
      expect(await remove()).toMatchObject({ statusCode: 202, body: { deleting: true } });
      const { rootDirectory } = (await workspaces.get(ALICE, 'main'))!;
      expect((await platform.publishedEvents()).filter((event) => event.detail.rootDirectory === rootDirectory)).toHaveLength(2);
    });
  });

  test('a cleaner run racing a re-creation of the name (a duplicate delivery) leaves the new workspace\'s access point and task definition alone', async () => {
    const first = await startedDispatch(BOB, 'race');
    await stopped(await taskArnOf(first.body.id, BOB), first.body.id);
    const old = (await workspaces.get(BOB, 'race'))!;
    expect(await call(manage, request('DELETE /workspaces/{name}', BOB, { pathParameters: { name: 'race' } }))).toMatchObject({ statusCode: 202 });
    const event = await deletedEvent('race', old.rootDirectory);

    // The duplicate has read the item (being deleted) and deleted the access point when the first delivery
    // finishes and BOB makes `race` again: its task definition is a new revision of the same family.
    let again: Awaited<ReturnType<typeof dispatch>> | undefined;
    class RacedAccessPoints extends WorkspaceAccessPoints {
      public async delete(id: string): Promise<void> {
        await super.delete(id);
        await cleaner(event);
        again = await startedDispatch(BOB, 'race');
      }
    }
    await cleanWorkspace({
      workspaces,
      accessPoints: new RacedAccessPoints(efs),
      taskDefinitions: new WorkspaceTaskDefinitions(ecs),
      familyPrefix: FAMILY_PREFIX,
      agents: ['claude'],
      removeDirectory: async (directory) => fs.rmSync(path.join(mount, directory), { recursive: true, force: true }),
    }, parseWorkspaceDeleted(event)!);
    // And a late delivery of the old event, once more.
    await cleaner(event);

    expect(again).toMatchObject({ statusCode: 202 });
    const renewed = (await workspaces.get(BOB, 'race'))!;
    expect(renewed).toMatchObject({ inUseBy: again!.body.id, rootDirectory: expect.not.stringMatching(old.rootDirectory) });
    expect(renewed.deleting).toBeUndefined();
    expect(renewed.taskDefinitions.claude.arn).toMatch(/:2$/);
    expect(await taskDefinitionStatus(renewed.taskDefinitions.claude.arn)).toBe('ACTIVE');
    expect(await taskDefinitionStatus(old.taskDefinitions.claude.arn)).toBe('INACTIVE');
    expect((await efs.send(new DescribeAccessPointsCommand({ AccessPointId: renewed.accessPointId }))).AccessPoints).toHaveLength(1);
    await expect(efs.send(new DescribeAccessPointsCommand({ AccessPointId: old.accessPointId }))).rejects.toMatchObject({ name: 'AccessPointNotFound' });
    await stopped(await taskArnOf(again!.body.id, BOB), again!.body.id);
  });

  test('a dispatch that ends without a task (cancelled while queued) gives its workspace back through the outbox', async () => {
    const id = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
    await workspaces.acquire({ requester: BOB, name: 'scratch', dispatchId: id, uid: await workspaces.uidOf(BOB), generation: 'abcdefabcdef' });
    const base = { id, agent: 'claude', requester: BOB, workspace: { kind: 'persistent', name: 'scratch' }, createdAt: '2026-11-24T14:00:00.000Z' };
    const result = await outbox({
      Records: [streamRecord('MODIFY', { ...base, status: 'QUEUED' }, { ...base, status: 'CANCELLED', updatedAt: '2026-11-24T14:00:01.000Z' }, '1')],
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect((await workspaces.get(BOB, 'scratch'))!.inUseBy).toBeUndefined();
  });

  describe('the workspace cleaner', () => {
    const files = (uid: number, directory: string) => path.join(mount, String(uid), directory);
    const deliver = (workspace: Workspace) => {
      const entry = workspaceDeletedEntry(workspaceDeleted(workspace, new Date(), ALICE));
      return cleaner({ 'source': entry.Source, 'detail-type': entry.DetailType, 'detail': JSON.parse(entry.Detail) });
    };
    let live: Workspace;

    beforeAll(async () => {
      live = (await workspaces.acquire({ requester: ALICE, name: 'live', dispatchId: 'D-live', uid: await workspaces.uidOf(ALICE), generation: '0123456789ab' }))!;
      fs.mkdirSync(files(live.uid, 'live.0123456789ab'), { recursive: true });
      fs.writeFileSync(path.join(files(live.uid, 'live.0123456789ab'), 'notes.md'), 'keep');
    });

    test('removes the directory of a deleted workspace, and repeating it is harmless', async () => {
      const gone = { ...live, name: 'gone', generation: 'ffffffffffff', rootDirectory: `/workspaces/${live.uid}/gone.ffffffffffff` };
      fs.mkdirSync(path.join(files(live.uid, 'gone.ffffffffffff'), 'src'), { recursive: true });
      fs.writeFileSync(path.join(files(live.uid, 'gone.ffffffffffff'), 'src', 'a.ts'), 'x');
      await deliver(gone);
      expect(fs.existsSync(files(live.uid, 'gone.ffffffffffff'))).toBe(false);
      await deliver(gone);
    });

    test('removes nothing a live workspace uses, nor anything under another user\'s uid or outside a workspace', async () => {
      fs.mkdirSync(files(live.uid + 1, 'other.0123456789ab'), { recursive: true });
      await deliver(live);
      await deliver({ ...live, name: 'other', uid: live.uid + 1, rootDirectory: `/workspaces/${live.uid + 1}/other.0123456789ab` });
      await deliver({ ...live, name: 'x', rootDirectory: `/workspaces/${live.uid}/../${live.uid}/live.0123456789ab` });
      await deliver({ ...live, name: 'x', rootDirectory: `/workspaces/${live.uid}` });
      expect(fs.readFileSync(path.join(files(live.uid, 'live.0123456789ab'), 'notes.md'), 'utf8')).toBe('keep');
      expect(fs.existsSync(files(live.uid + 1, 'other.0123456789ab'))).toBe(true);
      await cleaner({ source: 'someone.else', detail: {} });
    });
  });
});
