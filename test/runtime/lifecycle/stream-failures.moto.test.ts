import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { printed } from '../../support/printed';
import { queued } from '../dispatch/support/dispatches';
import { streamRecord } from '../outbox/stream-records';
import { HELD_WORKSPACE } from '../workspaces/held-workspace';

/**
 * The stream-fed functions report the records they could not handle, and only those, so that Lambda delivers
 * them again and then to the dead-letter queue: here every AWS call fails (tables and file system that do
 * not exist), and each record that asks for work is reported with its error, the others pass.
 */
describe('the starter and the workspace provisioner report the records that failed (moto)', () => {
  let platform: MotoPlatform;
  beforeAll(async () => {
    platform = await startMotoPlatform();
  });
  afterAll(() => platform.stop());

  test('dispatch-starter', async () => {
    const config = { ...platform.config, tables: { ...platform.config.tables, dispatches: 'no-such-table' } };
    const starter = platform.handler('dispatch-starter', config);
    const dispatch = queued();
    const records = [
      streamRecord('INSERT', undefined, dispatch, '1'),
      streamRecord('INSERT', undefined, { ...dispatch, coldStartRequestedAt: dispatch.createdAt }, '2'),
    ];
    let answer: unknown;
    const lines = await printed(async () => {
      answer = await starter({ Records: records });
    });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', service: 'outpost-dispatch-starter', correlation_id: dispatch.id, sequenceNumber: '2' })]);
  });

  test('workspace-provisioner', async () => {
    const workspaces = { table: 'no-such-table', fileSystemId: 'fs-00000000', familyPrefix: 'OutpostTest-ws', containerName: 'agent', mountPath: '/mnt/workspace' };
    const provisioner = platform.handler('workspace-provisioner', { ...platform.config, workspaces });
    const held = HELD_WORKSPACE;
    const records = [
      streamRecord('MODIFY', held, { ...held, accessPointRequestedAt: '2026-11-24T10:00:01.000Z' }, '3'),
      streamRecord('MODIFY', held, { ...held, lastUsedAt: '2026-11-24T10:00:01.000Z' }, '4'),
    ];
    let answer: unknown;
    const lines = await printed(async () => {
      answer = await provisioner({ Records: records });
    });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', service: 'outpost-workspace-provisioner', correlation_id: held.inUseBy, sequenceNumber: '3' })]);
  });
});
