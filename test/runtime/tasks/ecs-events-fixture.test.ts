import { DOCUMENTED_CLUSTER_ARN, DOCUMENTED_PRIVATE_IP, documentedTaskStateChange, spotInterruptedStop, spotTerminationNotice, taskEvent } from '../../support/ecs-events';

/** The paths at which two JSON values differ, e.g. `detail.lastStatus`, `resources.0`. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at ? `${at}.${key}` : key));
  }
  return Object.is(a, b) ? [] : [at];
}

describe('the ECS event fixtures are AWS\'s documented example', () => {
  const { source, example } = documentedTaskStateChange();

  test('the stored example is the documentation\'s: named page, EventBridge\'s shape, not DescribeTasks\'', () => {
    expect(source).toBe('https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html');
    expect(example).toMatchObject({ 'detail-type': 'ECS Task State Change', 'source': 'aws.ecs', 'detail': { lastStatus: 'RUNNING', desiredStatus: 'RUNNING' } });
    expect(JSON.stringify(example)).not.toContain('healthStatus');
    expect((example.detail.attachments as Array<{ type: string }>).map((attachment) => attachment.type)).toEqual(['eni']);
    for (const field of ['createdAt', 'connectivityAt', 'pullStartedAt', 'startedAt', 'pullStoppedAt', 'updatedAt']) {
      expect(example.detail[field]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  test('without overrides, the builder gives the example itself', () => {
    expect(taskEvent()).toEqual(example);
  });

  test('overrides change only what they name: the task (where the event names it), its cluster, its address, and detail fields', () => {
    const taskArn = 'arn:aws:ecs:eu-west-1:123456789012:task/outpost/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const event = taskEvent({ lastStatus: 'STOPPED', startedBy: 'outpost/pool' }, { taskArn, privateIp: '10.80.3.17' });
    expect(differences(example, event).sort()).toEqual([
      'detail.attachments.0.details.3.value',
      'detail.clusterArn',
      'detail.containers.0.networkInterfaces.0.privateIpv4Address',
      'detail.containers.0.taskArn',
      'detail.lastStatus',
      'detail.startedBy',
      'detail.taskArn',
      'resources.0',
    ]);
    expect(event.detail).toMatchObject({ taskArn, clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/outpost', lastStatus: 'STOPPED', startedBy: 'outpost/pool' });
    expect(differences(example, taskEvent({}, { clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/other' }))).toEqual(['detail.clusterArn']);
    expect([DOCUMENTED_CLUSTER_ARN, DOCUMENTED_PRIVATE_IP]).toEqual([example.detail.clusterArn, '10.0.0.139']);
  });

  test('a Spot interruption\'s STOPPED event is the example with the stopped task\'s fields, the notice\'s reason, and the agent container\'s exit code', () => {
    const event = spotInterruptedStop(143, { startedBy: 'outpost/pool' });
    expect(differences(example, event).sort()).toEqual([
      'detail.capacityProviderName',
      'detail.containers.0.exitCode',
      'detail.containers.0.lastStatus',
      'detail.containers.0.name',
      'detail.desiredStatus',
      'detail.executionStoppedAt',
      'detail.lastStatus',
      'detail.startedBy',
      'detail.stopCode',
      'detail.stoppedAt',
      'detail.stoppedReason',
      'detail.stoppingAt',
    ]);
    expect(event.detail).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'SpotInterruption',
      capacityProviderName: 'FARGATE_SPOT',
      stoppedReason: spotTerminationNotice().detail.stoppedReason,
      containers: [{ name: 'agent', lastStatus: 'STOPPED', exitCode: 143 }],
    });
    expect(Date.parse(event.detail.stoppedAt as string)).toBeGreaterThan(Date.parse(example.detail.startedAt as string));
  });

  test('a healthStatus override is refused: ECS does not send one', () => {
    expect(() => taskEvent({ healthStatus: 'HEALTHY' })).toThrow('ECS task state change events carry no healthStatus');
  });
});
