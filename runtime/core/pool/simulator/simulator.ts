import { drawColdStart } from './cold-start';
import { EventQueue } from './event-queue';
import { attemptLaunch } from './launch-attempt';
import { LaunchLimiter } from './launch-limits';
import { seededStream, type Random } from './random';
import type { DispatchOutcome, PoolSample, Run, SimulationOptions, TaskBill } from './run';
import type { TraceDispatch } from './trace';
import { arrivalsAfter } from '../policy/demand';
import type { PolicyMemory, PolicyTrigger, PoolDecision, PoolPolicy } from '../policy/policy';

/** A task: a pool worker, or one started for a dispatch that found no idle worker (a cold start). */
interface Task {
  readonly id: string;
  readonly agent: string;
  /** The trace index of the dispatch it runs, once it has one. */
  dispatch?: number;
  launchedAt?: number;
  /** Drawn when RunTask accepts it; what the policy is later shown as a measured cold start. */
  coldStartSeconds?: number;
  idleSince?: number;
  stoppedAt?: number;
}

/** One agent's pool and what its policy sees. */
interface Agent {
  /** Oldest idle first: the order in which dispatches claim them. */
  readonly idle: Task[];
  /** Pool workers asked for and not yet healthy, RunTask retries included. */
  readonly starting: Set<Task>;
  /** Dispatches waiting for a task started for them. */
  waiting: number;
  readonly arrivals: number[];
  readonly coldStarts: number[];
  memory: PolicyMemory;
}

type Event =
  | { readonly kind: 'arrival'; readonly index: number }
  | { readonly kind: 'tick' }
  | { readonly kind: 'close' }
  | { readonly kind: 'launch'; readonly task: Task; readonly attempt: number }
  | { readonly kind: 'ready'; readonly task: Task }
  | { readonly kind: 'finish'; readonly task: Task };

/**
 * Replay `trace` against `policy`: a discrete-event simulation of the warm pool as the control plane runs it
 * (docs/pool.md, "The simulator"). A dispatch takes the longest-idle worker of its agent if there is one
 * (warm); otherwise a task is started for it alone and it waits for that task's cold start, as
 * POST /dispatch does. Workers are single-use: a worker's task stops when its run ends. The policy runs on
 * the scaler's minute and after every event, exactly as the scaler would call it.
 */
export function simulatePolicy(trace: readonly TraceDispatch[], policy: PoolPolicy, options: SimulationOptions): Run {
  return new Simulation(trace, policy, options).run();
}

class Simulation {
  private readonly queue = new EventQueue<Event>();
  private readonly limiter: LaunchLimiter;
  private readonly coldStartDraws: Random;
  private readonly jitter: Random;
  private readonly agents = new Map<string, Agent>();
  private readonly outcomes: DispatchOutcome[] = [];
  private readonly tasks: Task[] = [];
  private readonly samples: PoolSample[] = [];
  private now = 0;
  private closed = false;

  constructor(
    private readonly trace: readonly TraceDispatch[],
    private readonly policy: PoolPolicy,
    private readonly options: SimulationOptions,
  ) {
    this.limiter = new LaunchLimiter(options.limits);
    this.coldStartDraws = seededStream(options.seed, 'cold-start');
    this.jitter = seededStream(options.seed, 'jitter');
  }

  public run(): Run {
    if (this.trace.length === 0) {
      throw new Error('the trace has no dispatches');
    }
    const margin = this.options.marginSeconds * 1000;
    const tick = this.options.tickSeconds * 1000;
    // A trace from parseTrace is in time order; one built by hand need not be.
    const first = this.trace.reduce((earliest, dispatch) => Math.min(earliest, dispatch.at), Infinity);
    const last = this.trace.reduce((latest, dispatch) => Math.max(latest, dispatch.at), -Infinity);
    const start = Math.floor((first - margin) / tick) * tick;
    this.trace.forEach((dispatch, index) => {
      this.agentOf(dispatch.agent);
      this.queue.push(dispatch.at, { kind: 'arrival', index });
    });
    this.queue.push(start, { kind: 'tick' });
    this.queue.push(last + margin, { kind: 'close' });
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      this.now = next.at;
      this.handle(next.event);
    }
    return { dispatches: this.outcomes, tasks: this.bills(), samples: this.samples, calls: this.limiter.calls };
  }

  private handle(event: Event): void {
    switch (event.kind) {
      case 'arrival':
        return this.arrive(event.index);
      case 'tick':
        return this.tick();
      case 'close':
        return this.close();
      case 'launch':
        return this.launch(event.task, event.attempt);
      case 'ready':
        return this.ready(event.task);
      case 'finish':
        return this.finish(event.task);
    }
  }

  private arrive(index: number): void {
    const dispatch = this.trace[index];
    const agent = this.agentOf(dispatch.agent);
    agent.arrivals.push(this.now);
    const worker = agent.idle.shift();
    if (worker) {
      this.startRun(worker, index, true);
      this.decide(dispatch.agent, 'claimed');
      return;
    }
    agent.waiting += 1;
    this.launch(this.newTask(dispatch.agent, index), 0);
    this.decide(dispatch.agent, 'missed');
  }

  private tick(): void {
    if (this.closed) {
      return;
    }
    for (const name of this.agents.keys()) {
      this.decide(name, 'tick');
    }
    const agents = [...this.agents.values()];
    this.samples.push({
      at: this.now,
      idle: agents.reduce((sum, agent) => sum + agent.idle.length, 0),
      starting: agents.reduce((sum, agent) => sum + agent.starting.size, 0),
    });
    this.queue.push(this.now + this.options.tickSeconds * 1000, { kind: 'tick' });
  }

  /** The end of the simulated time: the pool's idle and starting workers stop; runs under way finish. */
  private close(): void {
    this.closed = true;
    for (const agent of this.agents.values()) {
      for (const worker of [...agent.idle.splice(0), ...agent.starting]) {
        worker.stoppedAt = this.now;
      }
      agent.starting.clear();
    }
  }

  private launch(task: Task, attempt: number): void {
    if (task.stoppedAt !== undefined) {
      return;
    }
    const result = attemptLaunch(this.limiter, this.now, attempt, this.jitter);
    if (result.outcome === 'launched') {
      const coldStartSeconds = drawColdStart(this.options.coldStart, this.coldStartDraws);
      task.launchedAt = this.now;
      task.coldStartSeconds = coldStartSeconds;
      this.queue.push(this.now + coldStartSeconds * 1000, { kind: 'ready', task });
    } else if (result.outcome === 'retry') {
      this.queue.push(result.at, { kind: 'launch', task, attempt: attempt + 1 });
    } else {
      this.launchFailed(task);
    }
  }

  /** Out of tries: the dispatch fails with RunTask's error; a pool worker is simply not there. */
  private launchFailed(task: Task): void {
    const agent = this.agentOf(task.agent);
    task.stoppedAt = this.now;
    if (task.dispatch === undefined) {
      agent.starting.delete(task);
      return;
    }
    agent.waiting -= 1;
    const dispatch = this.trace[task.dispatch];
    this.outcomes[task.dispatch] = { at: dispatch.at, warm: false, waitSeconds: undefined, durationSeconds: dispatch.durationSeconds };
  }

  private ready(task: Task): void {
    if (task.stoppedAt !== undefined) {
      return;
    }
    const agent = this.agentOf(task.agent);
    agent.coldStarts.push(task.coldStartSeconds!);
    if (agent.coldStarts.length > this.options.coldStartSamples) {
      agent.coldStarts.shift();
    }
    if (task.dispatch !== undefined) {
      agent.waiting -= 1;
      this.startRun(task, task.dispatch, false);
      return;
    }
    agent.starting.delete(task);
    task.idleSince = this.now;
    agent.idle.push(task);
    this.decide(task.agent, 'idle');
  }

  private startRun(task: Task, index: number, warm: boolean): void {
    const dispatch = this.trace[index];
    const handoff = this.options.handoffSeconds;
    const waitSeconds = (this.now - dispatch.at) / 1000 + handoff;
    task.dispatch = index;
    this.outcomes[index] = { at: dispatch.at, warm, waitSeconds, durationSeconds: dispatch.durationSeconds };
    this.queue.push(this.now + (handoff + dispatch.durationSeconds) * 1000, { kind: 'finish', task });
  }

  private finish(task: Task): void {
    task.stoppedAt = this.now;
    this.decide(task.agent, 'stopped');
  }

  private decide(name: string, trigger: PolicyTrigger): void {
    if (this.closed) {
      return;
    }
    const agent = this.agentOf(name);
    const lookback = this.policy.lookbackSeconds * 1000;
    const decision = this.policy.decide({
      now: this.now,
      trigger,
      pool: {
        idle: agent.idle.map((worker) => ({ taskId: worker.id, idleSince: worker.idleSince! })),
        starting: agent.starting.size,
        waiting: agent.waiting,
      },
      demand: {
        arrivals: agent.arrivals.slice(agent.arrivals.length - arrivalsAfter(agent.arrivals, this.now - lookback)),
        coldStartSeconds: [...agent.coldStarts],
      },
      config: this.options.config,
      memory: agent.memory,
    });
    this.apply(name, agent, decision);
  }

  private apply(name: string, agent: Agent, decision: PoolDecision): void {
    if (!Number.isInteger(decision.start) || decision.start < 0) {
      throw new Error(`${this.policy.name} asked to start ${decision.start} workers`);
    }
    for (const taskId of decision.stop) {
      const index = agent.idle.findIndex((worker) => worker.id === taskId);
      if (index < 0) {
        throw new Error(`${this.policy.name} asked to stop ${taskId}, which is not an idle worker of ${name}`);
      }
      agent.idle.splice(index, 1)[0].stoppedAt = this.now;
    }
    agent.memory = decision.memory;
    for (let count = 0; count < decision.start; count++) {
      const worker = this.newTask(name);
      agent.starting.add(worker);
      this.launch(worker, 0);
    }
  }

  private newTask(agent: string, dispatch?: number): Task {
    const task: Task = { id: `task-${this.tasks.length + 1}`, agent, dispatch };
    this.tasks.push(task);
    return task;
  }

  private agentOf(name: string): Agent {
    let agent = this.agents.get(name);
    if (!agent) {
      agent = { idle: [], starting: new Set(), waiting: 0, arrivals: [], coldStarts: [], memory: {} };
      this.agents.set(name, agent);
    }
    return agent;
  }

  private bills(): TaskBill[] {
    return this.tasks
      .filter((task) => task.launchedAt !== undefined)
      .map((task) => ({
        launchedAt: task.launchedAt!,
        stoppedAt: task.stoppedAt!,
        busySeconds: task.dispatch === undefined ? 0 : this.trace[task.dispatch].durationSeconds,
      }));
  }
}
