import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateAccessPointCommand, CreateFileSystemCommand, DescribeAccessPointsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { WorkspaceAccessPoints } from '../../../runtime/adapters/workspace-access-points';
import { WorkspaceRepository, type Acquisition } from '../../../runtime/adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../../../runtime/adapters/workspace-task-definitions';
import { accessPointRequest } from '../../../runtime/core/workspaces/access-point';
import { FIRST_UID, type Workspace } from '../../../runtime/core/workspaces/workspace';
import { MotoServer, startMoto } from '../../support/moto-server';
import { ALICE, BOB } from '../dispatch/support/dispatches';
import { createPlatformTables } from '../dispatch/support/platform-tables';
import { SerializingProxy, startSerializingProxy } from '../pool/serializing-proxy';

describe('workspace adapters (moto)', () => {
  let moto: MotoServer;
  let proxy: SerializingProxy;
  let repository: WorkspaceRepository;
  const now = new Date('2026-01-02T03:04:05.000Z');

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startSerializingProxy(moto.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    // One request at a time, as DynamoDB applies each conditional write atomically (serializing-proxy.ts).
    const dynamodb = new DynamoDBClient({ endpoint: proxy.endpoint });
    const tables = await createPlatformTables(dynamodb);
    repository = new WorkspaceRepository(DynamoDBDocumentClient.from(dynamodb), tables.workspaces, () => now);
  });

  describe('WorkspaceRepository', () => {
    const acquisition = (overrides: Partial<Acquisition> = {}): Acquisition => ({
      requester: ALICE, name: 'main', dispatchId: 'D1', uid: FIRST_UID, generation: '0123456789ab', ...overrides,
    });

    test('a uid per user, allocated once even when first calls race, never handed out twice', async () => {
      const alice = await Promise.all(Array.from({ length: 5 }, () => repository.uidOf(ALICE)));
      expect(new Set(alice).size).toBe(1);
      expect(alice[0]).toBeGreaterThanOrEqual(FIRST_UID);
      const bob = await repository.uidOf(BOB);
      expect(bob).toBeGreaterThan(alice[0]);
      expect(await repository.uidOf(ALICE)).toBe(alice[0]);
      expect(await repository.findUid('arn:aws:iam::123456789012:user/nobody')).toBeUndefined();
    });

    test('the first acquisition creates the workspace, held by its dispatch; a second dispatch cannot take it', async () => {
      const workspace = await repository.acquire(acquisition({ idempotencyItemId: 'idem#k' }));
      expect(workspace).toEqual({
        requester: ALICE,
        name: 'main',
        generation: '0123456789ab',
        uid: FIRST_UID,
        gid: FIRST_UID,
        rootDirectory: '/workspaces/100000/main.0123456789ab',
        createdAt: now.toISOString(),
        lastUsedAt: now.toISOString(),
        taskDefinitions: {},
        inUseBy: 'D1',
        inUseSince: now.toISOString(),
        inUseKey: 'idem#k',
      });
      expect(await repository.acquire(acquisition({ dispatchId: 'D2', generation: 'ffffffffffff' }))).toBeNull();
    });

    test('two first uses at once: exactly one holds the workspace', async () => {
      const results = await Promise.all(['D1', 'D2', 'D3', 'D4'].map((dispatchId) => repository.acquire(acquisition({ dispatchId }))));
      const holders = results.filter((result): result is Workspace => result !== null);
      expect(holders).toHaveLength(1);
      expect((await repository.get(ALICE, 'main'))!.inUseBy).toBe(holders[0].inUseBy);
    });

    test('only the holder releases; the next acquisition keeps what the workspace is (generation, directory, records)', async () => {
      await repository.acquire(acquisition());
      await repository.setAccessPoint((await repository.get(ALICE, 'main'))!, 'D1', { id: 'fsap-1', arn: 'arn:fsap-1' });
      expect(await repository.release(ALICE, 'main', 'D2')).toBe(false);
      expect(await repository.release(ALICE, 'main', 'D1')).toBe(true);
      expect(await repository.release(ALICE, 'main', 'D1')).toBe(false);
      const again = await repository.acquire(acquisition({ dispatchId: 'D2', generation: 'ffffffffffff' }));
      expect(again).toMatchObject({ inUseBy: 'D2', generation: '0123456789ab', rootDirectory: '/workspaces/100000/main.0123456789ab', accessPointId: 'fsap-1' });
      expect(again!.inUseKey).toBeUndefined();
    });

    test('a stale holder can be taken over, and only that holder', async () => {
      await repository.acquire(acquisition());
      expect(await repository.acquire(acquisition({ dispatchId: 'D2' }), 'D9')).toBeNull();
      expect(await repository.acquire(acquisition({ dispatchId: 'D2' }), 'D1')).toMatchObject({ inUseBy: 'D2' });
    });

    test('asking for the access point, and recording it and task definitions, needs the lock', async () => {
      const workspace = (await repository.acquire(acquisition()))!;
      expect(await repository.requestAccessPoint(workspace, 'D2', new Date('2026-11-24T10:00:00.000Z'))).toBeNull();
      expect(await repository.requestAccessPoint(workspace, 'D1', new Date('2026-11-24T10:00:00.000Z'))).toMatchObject({ accessPointRequestedAt: '2026-11-24T10:00:00.000Z' });
      expect(await repository.requestAccessPoint(workspace, 'D1', new Date('2026-11-24T11:00:00.000Z'))).toMatchObject({ accessPointRequestedAt: '2026-11-24T11:00:00.000Z' });
      expect(await repository.setAccessPoint(workspace, 'D2', { id: 'fsap-1', arn: 'arn' })).toBeNull();
      const entry = { arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/P-claude-100000-main:1', source: 'arn:source:1' };
      expect((await repository.setTaskDefinition(workspace, 'D1', 'claude', entry))!.taskDefinitions).toEqual({ claude: entry });
      expect(await repository.setTaskDefinition(workspace, 'D2', 'codex', entry)).toBeNull();
    });

    test('deletion: not while held; once begun, no dispatch takes the workspace; removal needs it begun', async () => {
      const workspace = (await repository.acquire(acquisition()))!;
      await repository.remove(workspace);
      expect(await repository.get(ALICE, 'main')).toMatchObject({ inUseBy: 'D1' });
      expect(await repository.markDeleting(ALICE, 'main')).toBeNull();
      await repository.release(ALICE, 'main', 'D1');
      expect(await repository.markDeleting(ALICE, 'main')).toMatchObject({ deleting: now.toISOString() });
      expect(await repository.markDeleting(ALICE, 'main')).not.toBeNull();
      expect(await repository.acquire(acquisition({ dispatchId: 'D2' }))).toBeNull();
      await repository.remove(workspace);
      expect(await repository.get(ALICE, 'main')).toBeUndefined();
      expect(await repository.markDeleting(ALICE, 'main')).toBeNull();
      await repository.remove(workspace);
    });

    test('removal takes only the workspace being deleted, not a later one of the same name', async () => {
      const old = (await repository.acquire(acquisition()))!;
      await repository.release(ALICE, 'main', 'D1');
      await repository.markDeleting(ALICE, 'main');
      await repository.remove(old);
      const later = (await repository.acquire(acquisition({ dispatchId: 'D2', generation: 'ffffffffffff' })))!;
      await repository.release(ALICE, 'main', 'D2');
      await repository.markDeleting(ALICE, 'main');
      await repository.remove(old);
      expect(await repository.get(ALICE, 'main')).toMatchObject({ rootDirectory: later.rootDirectory, deleting: now.toISOString() });
    });

    test('a stale holder does not stop a deletion', async () => {
      await repository.acquire(acquisition());
      expect(await repository.markDeleting(ALICE, 'main', 'D1')).toMatchObject({ deleting: now.toISOString() });
      expect((await repository.get(ALICE, 'main'))!.inUseBy).toBeUndefined();
    });

    test('a requester\'s list holds their workspaces by name: not their uid item, not anyone else\'s', async () => {
      await repository.uidOf(ALICE);
      for (const name of ['zeta', '0-first', 'main']) {
        await repository.acquire(acquisition({ name, dispatchId: `D-${name}` }));
      }
      await repository.acquire(acquisition({ requester: BOB, name: 'bobs' }));
      expect((await repository.list(ALICE)).map((workspace) => workspace.name)).toEqual(['0-first', 'main', 'zeta']);
      expect((await repository.list('arn:aws:iam::123456789012:user/nobody'))).toEqual([]);
    });
  });

  describe('WorkspaceAccessPoints', () => {
    const workspace = {
      name: 'main', uid: 100_007, gid: 100_007, generation: '0123456789ab', rootDirectory: '/workspaces/100007/main.0123456789ab',
    };

    test('creates the access point, waits for it, and deletes it (twice is fine)', async () => {
      const efs = new EFSClient({});
      const { FileSystemId } = await efs.send(new CreateFileSystemCommand({ CreationToken: 'outpost', Encrypted: true }));
      const accessPoints = new WorkspaceAccessPoints(efs);
      const created = await accessPoints.create(accessPointRequest(FileSystemId!, workspace));
      expect(created.arn).toMatch(new RegExp(`:access-point/${created.id}$`));
      const { AccessPoints } = await efs.send(new DescribeAccessPointsCommand({ AccessPointId: created.id }));
      expect(AccessPoints![0]).toMatchObject({
        FileSystemId,
        PosixUser: { Uid: 100_007, Gid: 100_007 },
        RootDirectory: { Path: workspace.rootDirectory, CreationInfo: { OwnerUid: 100_007, OwnerGid: 100_007, Permissions: '0700' } },
        Tags: expect.arrayContaining([{ Key: 'outpost:file-system-id', Value: FileSystemId }]),
      });
      await accessPoints.delete(created.id);
      await expect(efs.send(new DescribeAccessPointsCommand({ AccessPointId: created.id }))).rejects.toMatchObject({ name: 'AccessPointNotFound' });
      await accessPoints.delete(created.id);
    });

    // moto creates a second access point for a repeated client token; EFS answers AccessPointAlreadyExists.
    test('a repeated create finds the first one\'s access point, and waits while it is creating', async () => {
      const efs = mockClient(EFSClient);
      efs.on(CreateAccessPointCommand).rejects(Object.assign(new Error('exists'), { name: 'AccessPointAlreadyExists', AccessPointId: 'fsap-first' }));
      efs.on(DescribeAccessPointsCommand, { AccessPointId: 'fsap-first' })
        .resolvesOnce({ AccessPoints: [{ LifeCycleState: 'creating' }] })
        .resolves({ AccessPoints: [{ LifeCycleState: 'available', AccessPointArn: 'arn:fsap-first' }] });
      const sleeps: number[] = [];
      const accessPoints = new WorkspaceAccessPoints(new EFSClient({}), { sleep: async (ms) => { sleeps.push(ms); } });
      expect(await accessPoints.create(accessPointRequest('fs-1', workspace))).toEqual({ id: 'fsap-first', arn: 'arn:fsap-first' });
      expect(sleeps).toEqual([500]);
      efs.restore();
    });

    test('an access point that fails or never becomes available is an error', async () => {
      const efs = mockClient(EFSClient);
      efs.on(CreateAccessPointCommand).resolves({ AccessPointId: 'fsap-1' });
      efs.on(DescribeAccessPointsCommand).resolves({ AccessPoints: [{ LifeCycleState: 'error' }] });
      const accessPoints = new WorkspaceAccessPoints(new EFSClient({}), { sleep: async () => {}, polls: 3 });
      await expect(accessPoints.create(accessPointRequest('fs-1', workspace))).rejects.toThrow(/is error/);
      efs.on(DescribeAccessPointsCommand).resolves({ AccessPoints: [{ LifeCycleState: 'creating' }] });
      await expect(accessPoints.create(accessPointRequest('fs-1', workspace))).rejects.toThrow(/is creating/);
      efs.restore();
    });
  });

  describe('WorkspaceTaskDefinitions', () => {
    test('describes, registers, lists exactly one family\'s active revisions, and deregisters', async () => {
      const ecs = new ECSClient({});
      const taskDefinitions = new WorkspaceTaskDefinitions(ecs);
      const register = (family: string) => taskDefinitions.register({ family, containerDefinitions: [{ name: 'agent', image: 'x', memory: 512 }] });
      const main = [await register('P-claude-100000-main'), await register('P-claude-100000-main')];
      const other = await register('P-claude-100000-main-2');
      expect((await taskDefinitions.describe(main[1])).revision).toBe(2);
      expect((await taskDefinitions.activeRevisions('P-claude-100000-main')).sort()).toEqual([...main].sort());
      await taskDefinitions.deregister(main[0]);
      const status = async (arn: string) => (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition!.status;
      expect(await status(main[0])).toBe('INACTIVE');
      expect(await status(other)).toBe('ACTIVE');
      expect(await taskDefinitions.activeRevisions('P-claude-100000-main')).toEqual([main[1]]);
    });
  });
});
