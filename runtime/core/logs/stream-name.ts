/** The container the agent task definitions name `agent` (src/agents/agent-task-definition.ts). */
const CONTAINER_NAME = 'agent';

/**
 * The awslogs driver's stream for one task: `<stream prefix>/<container>/<task id>`, the prefix being the
 * agent's name. Each part must be one path segment, or a wrong value (a task ARN) would name another stream.
 */
export function streamNameFor(agent: string, taskId: string): string {
  for (const [name, value] of [['agent', agent], ['taskId', taskId]]) {
    if (value === '' || value.includes('/')) {
      throw new RangeError(`${name} must be one path segment, not ${JSON.stringify(value)}`);
    }
  }
  return `${agent}/${CONTAINER_NAME}/${taskId}`;
}
