import { DescribeTasksCommand, ECSClient, paginateListTasks, type Task } from '@aws-sdk/client-ecs';
import type { PoolTask } from '../core/pool/scaler/pool-task';
import { workerStartedBy } from '../core/pool/started-by';
import { privateIpOf } from '../core/tasks/task-address';
import { taskIdOf } from '../core/tasks/task-id';

/** DescribeTasks takes at most this many tasks a call. */
const DESCRIBE_BATCH = 100;

/** The pool workers' tasks in the platform's cluster, as ECS runs them. */
export class PoolTasks {
  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
  ) {}

  /**
   * Every pool worker's task (`startedBy outpost/pool`) that ECS means to keep running, of every agent. ECS
   * takes `startedBy` only as the sole filter, so tasks being stopped are left out here, by their desired status.
   */
  public async running(): Promise<PoolTask[]> {
    const arns: string[] = [];
    for await (const page of paginateListTasks({ client: this.ecs }, { cluster: this.cluster, startedBy: workerStartedBy() })) {
      arns.push(...(page.taskArns ?? []));
    }
    const tasks = await this.describe(arns);
    return tasks.filter((task) => task.desiredStatus === 'RUNNING');
  }

  /** The tasks ECS still knows of those named (it forgets a task about an hour after it stopped). */
  public async describe(taskArns: readonly string[]): Promise<PoolTask[]> {
    const batches: Array<Promise<Task[]>> = [];
    for (let start = 0; start < taskArns.length; start += DESCRIBE_BATCH) {
      const tasks = taskArns.slice(start, start + DESCRIBE_BATCH);
      batches.push(this.ecs.send(new DescribeTasksCommand({ cluster: this.cluster, tasks, include: ['TAGS'] })).then(({ tasks: found = [] }) => found));
    }
    return (await Promise.all(batches)).flat().map(poolTaskOf);
  }
}

function poolTaskOf(task: Task): PoolTask {
  const taskArn = task.taskArn ?? '';
  return {
    taskArn,
    taskId: taskIdOf(taskArn),
    agent: task.tags?.find((tag) => tag.key === 'outpost:agent')?.value,
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: task.healthStatus,
    createdAt: task.createdAt?.getTime(),
    capacityProvider: task.capacityProviderName,
    privateIp: privateIpOf(task.attachments),
  };
}
