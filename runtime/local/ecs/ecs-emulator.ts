import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, StopTaskCommand, type ECSClient, type Task, type TaskDefinition } from '@aws-sdk/client-ecs';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { taskStateChangeEvent, type LocalTaskNetwork, type LocalTaskStop, type LocalTaskTimes } from './task-state-event';

/** A task's container, started on this machine. */
export interface LaunchedTask {
  /** The container's exit code once its process has ended. */
  readonly exited: Promise<number>;
  /** StopTask: SIGTERM to the container, SIGKILL after the stop timeout, as ECS stops a task. */
  stop(): void;
}

/** A task ECS could not start (a secret it cannot fetch): stopped with TaskFailedToStart and this reason. */
export class TaskFailedToStartError extends Error {}

/** Starts a task's container: the worker, in the sandbox, under the task definition's conditions. */
export interface TaskLauncher {
  launch(task: Task, network: LocalTaskNetwork): Promise<LaunchedTask>;
}

interface Running {
  readonly task: Task;
  definition?: TaskDefinition;
  readonly network: LocalTaskNetwork;
  readonly times: LocalTaskTimes;
  version: number;
  launched?: LaunchedTask;
  stopRequested?: string;
  stopped: boolean;
}

/**
 * Fargate for the platform's cluster, on one machine. moto records RunTask and StopTask; this watches moto's
 * tasks and makes them happen: each new task gets a loopback address (its ENI's, as far as the control plane
 * knows), its container started by the launcher, and ECS's task state change events PENDING, RUNNING and STOPPED
 * put on the default event bus (where the template's rules, in moto, match them); a StopTask sends SIGTERM; a
 * container that exits stops its task, with the stop code and exit code ECS would report.
 */
export class EcsEmulator {
  private readonly tasks = new Map<string, Running>();
  private nextAddress = 2;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly ecs: ECSClient,
    private readonly events: EventBridgeClient,
    private readonly cluster: string,
    private readonly launcher: TaskLauncher,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts the tasks moto has been asked to run, and stops those it has been asked to stop; answers how many. */
  public async poll(): Promise<number> {
    const started = await this.startNew();
    const stopped = await this.stopRequested();
    return started + stopped;
  }

  /** Until every launch and stop started so far has ended. */
  public async settled(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running]);
    }
  }

  /** Stops every task still running, as the cluster's drain would. */
  public async stopAll(): Promise<void> {
    for (const running of this.tasks.values()) {
      if (!running.stopped) {
        running.stopRequested = 'Outpost Local is stopping';
        running.launched?.stop();
      }
    }
    await Promise.all([...this.tasks.values()].map((running) => running.launched?.exited.catch(() => undefined)));
    await this.settled();
  }

  private track(work: Promise<unknown>): void {
    this.running.add(work);
    void work.catch((error) => this.log(`ecs: ${(error as Error).message}`)).finally(() => this.running.delete(work));
  }

  private async startNew(): Promise<number> {
    const arns = await this.list('RUNNING');
    const fresh = arns.filter((arn) => !this.tasks.has(arn));
    if (fresh.length === 0) {
      return 0;
    }
    for (const task of await this.describe(fresh)) {
      const network = { privateIp: this.allocateAddress(), subnetId: subnetOf(task) };
      const running: Running = { task, network, times: { createdAt: task.createdAt ?? new Date() }, version: 1, stopped: false };
      this.tasks.set(task.taskArn!, running);
      this.track(this.start(running));
    }
    return fresh.length;
  }

  private async start(running: Running): Promise<void> {
    running.definition = (await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: running.task.taskDefinitionArn }))).taskDefinition;
    await this.publish(running, 'PENDING');
    try {
      running.times.pullStartedAt = new Date();
      running.launched = await this.launcher.launch(running.task, running.network);
      running.times.pullStoppedAt = new Date();
    } catch (error) {
      const reason = error instanceof TaskFailedToStartError ? error.message : `CannotStartContainerError: ${(error as Error).message}`;
      await this.finish(running, { stopCode: 'TaskFailedToStart', stoppedReason: reason, stoppedAt: new Date() });
      return;
    }
    if (running.stopRequested === undefined) {
      running.times.startedAt = new Date();
      await this.publish(running, 'RUNNING');
    } else {
      running.launched.stop();
    }
    const exitCode = await running.launched.exited;
    await this.finish(running, running.stopRequested !== undefined
      ? { stopCode: 'UserInitiated', stoppedReason: running.stopRequested, exitCode, stoppedAt: new Date() }
      : { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode, stoppedAt: new Date() });
  }

  private async stopRequested(): Promise<number> {
    const live = [...this.tasks.values()].filter((running) => !running.stopped && running.stopRequested === undefined);
    if (live.length === 0) {
      return 0;
    }
    const stopping = new Set(await this.list('STOPPED'));
    let count = 0;
    for (const running of live.filter((candidate) => stopping.has(candidate.task.taskArn!))) {
      const [described] = await this.describe([running.task.taskArn!]);
      running.stopRequested = described?.stoppedReason ?? 'Task stopped by user';
      this.log(`ecs: stopping ${running.task.taskArn} (${running.stopRequested})`);
      running.launched?.stop();
      count += 1;
    }
    return count;
  }

  private async finish(running: Running, stop: LocalTaskStop): Promise<void> {
    running.stopped = true;
    if (running.stopRequested === undefined) {
      // The container ended on its own: moto learns the task stopped, as DescribeTasks would then say.
      await this.ecs.send(new StopTaskCommand({ cluster: this.cluster, task: running.task.taskArn, reason: stop.stoppedReason }));
    }
    await this.publish(running, 'STOPPED', stop);
  }

  private async publish(running: Running, lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED', stop?: LocalTaskStop): Promise<void> {
    const event = taskStateChangeEvent(running.task, running.definition, lastStatus, running.network, running.version++, stop, running.times);
    const answer = await this.events.send(new PutEventsCommand({
      Entries: [{
        Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail), Resources: event.resources, Time: event.time,
      }],
    }));
    if (answer.FailedEntryCount) {
      throw new Error(`EventBridge refused the ${lastStatus} event of ${running.task.taskArn}: ${JSON.stringify(answer.Entries)}`);
    }
  }

  private async list(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ecs.send(new ListTasksCommand({ cluster: this.cluster, desiredStatus, nextToken }));
      arns.push(...page.taskArns ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  private async describe(arns: string[]): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let at = 0; at < arns.length; at += 100) {
      const page = await this.ecs.send(new DescribeTasksCommand({ cluster: this.cluster, tasks: arns.slice(at, at + 100) }));
      tasks.push(...page.tasks ?? []);
    }
    return tasks;
  }

  /** 127.1.x.y: loopback, reachable without configuration on Linux (all of 127.0.0.0/8 is), one per task. */
  private allocateAddress(): string {
    const n = this.nextAddress++;
    return `127.1.${Math.floor(n / 254)}.${(n % 254) + 1}`;
  }
}

function subnetOf(task: Task): string {
  return task.attachments?.[0]?.details?.find((detail) => detail.name === 'subnetId')?.value ?? 'subnet-local';
}
