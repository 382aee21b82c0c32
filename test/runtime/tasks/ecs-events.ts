/** ECS "Task State Change" events as EventBridge delivers them (trimmed of fields Outpost ignores). */
export const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/outpost-cluster/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** An event for `taskArn` whose detail carries `detail`, with the task's network interface at `privateIp`. */
export function taskEvent(detail: Record<string, unknown>, taskArn: string = TASK_ARN, privateIp = '10.80.3.17'): unknown {
  return {
    'version': '0',
    'id': '3317b2af-7005-947d-b652-f55e762e571a',
    'detail-type': 'ECS Task State Change',
    'source': 'aws.ecs',
    'account': '123456789012',
    'time': '2026-11-24T14:00:00Z',
    'region': 'eu-west-1',
    'resources': [taskArn],
    'detail': {
      taskArn,
      clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/outpost-cluster',
      launchType: 'FARGATE',
      attachments: [{
        id: 'a1b2',
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [
          { name: 'subnetId', value: 'subnet-0abc' },
          { name: 'networkInterfaceId', value: 'eni-0abc' },
          { name: 'privateIPv4Address', value: privateIp },
        ],
      }],
      containers: [{ name: 'agent', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' }],
      ...detail,
    },
  };
}
