import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { CreateAccessPointCommand, CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { TaskFailedToStartError } from '../../runtime/local/ecs/ecs-emulator';
import { EfsVolumes } from '../../runtime/local/ecs/efs-volumes';
import { startMoto, type MotoServer } from '../support/moto-server';

/**
 * Outpost Local's EFS: access points described in moto, their root directories on this machine. Needs root (the
 * directories change owner, as EFS's do); CI runs as root.
 */
describe('EfsVolumes (moto)', () => {
  let moto: MotoServer;
  let efs: EFSClient;
  let root: string;
  let fileSystemId: string;
  const worker = { uid: 1000, gid: 1000 };

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('these tests change the owner of directories, as EFS does: they need root (CI runs as root)');
    }
    moto = await startMoto();
    efs = new EFSClient({});
    fileSystemId = (await efs.send(new CreateFileSystemCommand({ CreationToken: 'efs-volumes-test' }))).FileSystemId!;
  }, 120_000);

  afterAll(async () => {
    await moto?.stop();
  });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'efs-volumes-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** An access point as the workspace provisioner makes one (runtime/core/workspaces/access-point.ts). */
  async function accessPoint(uid: number, rootPath: string): Promise<string> {
    const made = await efs.send(new CreateAccessPointCommand({
      ClientToken: `${rootPath}-${uid}`,
      FileSystemId: fileSystemId,
      PosixUser: { Uid: uid, Gid: uid },
      RootDirectory: { Path: rootPath, CreationInfo: { OwnerUid: uid, OwnerGid: uid, Permissions: '0700' } },
    }));
    return made.AccessPointId!;
  }

  /** A workspace's task definition, as the starter registers it (runtime/adapters/workspace-task-definition-input.ts). */
  function definition(accessPointId: string | undefined, containerPath = '/mnt/workspace'): TaskDefinition {
    return {
      containerDefinitions: [{ name: 'agent', mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp' }, { sourceVolume: 'persistent-workspace', containerPath, readOnly: false }] }],
      volumes: [
        { name: 'tmp' },
        { name: 'persistent-workspace', efsVolumeConfiguration: { fileSystemId, transitEncryption: 'ENABLED', authorizationConfig: { accessPointId, iam: 'ENABLED' } } },
      ],
    };
  }

  test('the first mount creates the root directory as CreationInfo says; the files outlive the task, the POSIX user\'s between tasks', async () => {
    const id = await accessPoint(40001, '/workspaces/40001/one.g1');
    const volumes = new EfsVolumes(efs, root);
    const [mount, ...others] = await volumes.mount(definition(id), 'agent', worker);
    expect(others).toEqual([]);
    expect(mount).toEqual({
      source: path.join(root, fileSystemId, 'workspaces/40001/one.g1'),
      target: '/mnt/workspace',
      readOnly: false,
      owner: { uid: 40001, gid: 40001 },
    });
    // For the task's life, the container's user's; the mode is CreationInfo's.
    expect(fs.statSync(mount.source)).toMatchObject({ uid: worker.uid, gid: worker.gid });
    expect((fs.statSync(mount.source).mode % 0o1000).toString(8)).toBe('700');
    fs.mkdirSync(path.join(mount.source, 'clone'));
    fs.writeFileSync(path.join(mount.source, 'clone', 'left.txt'), 'from the first run\n');

    volumes.release([mount]);
    for (const entry of [mount.source, path.join(mount.source, 'clone'), path.join(mount.source, 'clone', 'left.txt')]) {
      expect(fs.statSync(entry)).toMatchObject({ uid: 40001, gid: 40001 });
    }

    const [again] = await new EfsVolumes(efs, root).mount(definition(id), 'agent', worker);
    expect(again.source).toBe(mount.source);
    expect(fs.readFileSync(path.join(again.source, 'clone', 'left.txt'), 'utf8')).toBe('from the first run\n');
    expect(fs.statSync(path.join(again.source, 'clone', 'left.txt'))).toMatchObject({ uid: worker.uid, gid: worker.gid });
  });

  test('two access points of one file system are two directories', async () => {
    const volumes = new EfsVolumes(efs, root);
    const [a] = await volumes.mount(definition(await accessPoint(40002, '/workspaces/40002/a.g1')), 'agent', worker);
    const [b] = await volumes.mount(definition(await accessPoint(40003, '/workspaces/40003/b.g1')), 'agent', worker);
    expect(a.source).not.toBe(b.source);
    fs.writeFileSync(path.join(a.source, 'only-a'), '');
    expect(fs.readdirSync(b.source)).toEqual([]);
  });

  test('a task definition without EFS volumes mounts none', async () => {
    const plain: TaskDefinition = { containerDefinitions: [{ name: 'agent', mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp' }] }], volumes: [{ name: 'tmp' }] };
    expect(await new EfsVolumes(efs, root).mount(plain, 'agent', worker)).toEqual([]);
  });

  test('an access point that does not exist fails the task to start, as ECS reports it', async () => {
    const failure = new EfsVolumes(efs, root).mount(definition('fsap-0123456789abcdef0'), 'agent', worker);
    await expect(failure).rejects.toThrow(TaskFailedToStartError);
    await expect(failure).rejects.toThrow(/^ResourceInitializationError: .*fsap-0123456789abcdef0/);
  });

  test('a file system mounted without an access point is refused, naming the volume', async () => {
    await expect(new EfsVolumes(efs, root).mount(definition(undefined), 'agent', worker))
      .rejects.toThrow(/volume persistent-workspace mounts file system fs-\w+ without an access point/);
  });
});
