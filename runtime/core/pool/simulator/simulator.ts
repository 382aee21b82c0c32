import { ArrivalWindow } from './arrival-window';
import { drawColdStart } from './cold-start';
import { EventQueue } from './event-queue';
import { attemptLaunch } from './launch-attempt';
import { LaunchLimiter } from './launch-limits';
import { seededStream, type Random } from './random';
import { RunRecorder, type Run, type RunObserver, type SimulationOptions } from './run';
import { agentsOf, inTimeOrder, type TraceDispatch, type TraceSource } from './trace';
import type { IdleWorker, PolicyMemory, PolicyTrigger, PoolDecision, PoolPolicy } from '../policy/policy';

/** A task: a pool worker, or one started for a dispatch that found no idle worker (a cold start). */
class Task implements IdleWorker {
  /** The trace index of the dispatch it runs, once it has one; -1 before. */
  public dispatch = -1;
  public dispatchAt = 0;
  public durationSeconds = 0;
  /** When RunTask accepted it; -1 until then. */
  public launchedAt = -1;
  /** Drawn when RunTask accepts it; what the policy is later shown as a measured cold start. */
  public coldStartSeconds = 0;
  public idleSince = 0;
  public stopped = false;

  constructor(
    public readonly taskId: string,
    public readonly agent: Agent,
  ) {}

  public assign(index: number, dispatch: TraceDispatch): void {
    this.dispatch = index;
    this.dispatchAt = dispatch.at;
    this.durationSeconds = dispatch.durationSeconds;
  }
}

/** One agent's pool and what its policy sees. */
interface Agent {
  readonly name: string;
  /** Oldest idle first: the order in which dispatches claim them. */
  readonly idle: Task[];
  /** Pool workers asked for and not yet healthy, RunTask retries included. */
  readonly starting: Set<Task>;
  /** Dispatches waiting for a task started for them. */
  waiting: number;
  readonly arrivals: ArrivalWindow;
  readonly coldStarts: number[];
  memory: PolicyMemory;
}

const TICK = 0;
const LAUNCH = 1;
const READY = 2;
const FINISH = 3;

/** An event of the queue; arrivals and the end of the run are not queued (see Simulation.run). */
interface Event {
  readonly kind: typeof TICK | typeof LAUNCH | typeof READY | typeof FINISH;
  readonly task: Task | undefined;
  readonly attempt: number;
}

const TICK_EVENT: Event = { kind: TICK, task: undefined, attempt: 0 };

/**
 * Replay `trace` against `policy`: a discrete-event simulation of the warm pool as the control plane runs it
 * (docs/pool.md, "The simulator"). A dispatch takes the longest-idle worker of its agent if there is one
 * (warm); otherwise a task is started for it alone and it waits for that task's cold start, as
 * POST /dispatch does. Workers are single-use: a worker's task stops when its run ends. The policy runs on
 * the scaler's minute and after every event, exactly as the scaler would call it.
 *
 * Keeps every outcome: for charts and tests. A trace of any length goes through {@link streamPolicy}.
 * `trace` may be in any order; each outcome is at its dispatch's place in it.
 */
export function simulatePolicy(trace: readonly TraceDispatch[], policy: PoolPolicy, options: SimulationOptions): Run {
  const recorder = new RunRecorder();
  const order = inTimeOrder(trace);
  const ordered = { agents: agentsOf(trace), [Symbol.iterator]: () => order.map((index) => trace[index])[Symbol.iterator]() };
  streamPolicy(ordered, policy, options, {
    dispatch: (outcome, index) => recorder.dispatch(outcome, order[index]),
    task: (bill) => recorder.task(bill),
    sample: (sample) => recorder.sample(sample),
    call: (record) => recorder.call(record),
  });
  return recorder.run();
}

/**
 * {@link simulatePolicy} over a trace read as it goes, in time order (a trace file's rows, for one), telling
 * `observer` what happens rather than keeping it. Only the next dispatch is read ahead; memory holds the
 * pool's live tasks and each agent's arrivals over the policy's lookback, whatever the trace's length.
 */
export function streamPolicy(trace: TraceSource, policy: PoolPolicy, options: SimulationOptions, observer: RunObserver): void {
  new Simulation(trace, policy, options, observer).run();
}

class Simulation {
  private readonly queue = new EventQueue<Event>();
  private readonly limiter: LaunchLimiter;
  private readonly coldStartDraws: Random;
  private readonly jitter: Random;
  private readonly agents = new Map<string, Agent>();
  private readonly lookbackMs: number;
  private tasksCreated = 0;
  private now = 0;
  private closed = false;

  private readonly trace: Iterator<TraceDispatch>;

  constructor(
    source: TraceSource,
    private readonly policy: PoolPolicy,
    private readonly options: SimulationOptions,
    private readonly observer: RunObserver,
  ) {
    // Every agent's pool exists from the start (the construct configures them), and the scaler visits them in this order.
    source.agents.forEach((name) => this.agentOf(name));
    this.trace = source[Symbol.iterator]();
    this.limiter = new LaunchLimiter(options.limits, (record) => observer.call(record));
    this.coldStartDraws = seededStream(options.seed, 'cold-start');
    this.jitter = seededStream(options.seed, 'jitter');
    this.lookbackMs = policy.lookbackSeconds * 1000;
  }

  /**
   * The event loop. Arrivals come from the trace one at a time and go before any queued event at the same
   * time, the end of the run (`close`, a margin after the last arrival) before any queued event at its time:
   * the order a queue holding them all from the start would give.
   */
  public run(): void {
    const margin = this.options.marginSeconds * 1000;
    const tick = this.options.tickSeconds * 1000;
    let next = this.trace.next();
    if (next.done) {
      throw new Error('the trace has no dispatches');
    }
    this.queue.push(Math.floor((next.value.at - margin) / tick) * tick, TICK_EVENT);
    let index = 0;
    let lastAt = -Infinity;
    let closeAt = Infinity;
    for (;;) {
      const queuedAt = this.queue.peekAt();
      if (!next.done && next.value.at <= queuedAt) {
        const dispatch = next.value;
        if (dispatch.at < lastAt) {
          throw new Error(`the trace must be in time order: dispatch ${index + 1} (${new Date(dispatch.at).toISOString()}) comes before the one ahead of it; sort it by time`);
        }
        lastAt = this.now = dispatch.at;
        this.arrive(dispatch, index++);
        next = this.trace.next();
        if (next.done) {
          closeAt = lastAt + margin;
        }
      } else if (!this.closed && closeAt <= queuedAt) {
        this.now = closeAt;
        this.close();
      } else if (queuedAt === Infinity) {
        return;
      } else {
        this.now = queuedAt;
        this.handle(this.queue.take());
      }
    }
  }

  private handle(event: Event): void {
    switch (event.kind) {
      case TICK:
        return this.tick();
      case LAUNCH:
        return this.launch(event.task!, event.attempt);
      case READY:
        return this.ready(event.task!);
      case FINISH:
        return this.finish(event.task!);
    }
  }

  private arrive(dispatch: TraceDispatch, index: number): void {
    const agent = this.agentOf(dispatch.agent);
    agent.arrivals.add(this.now);
    const worker = agent.idle.shift();
    if (worker) {
      worker.assign(index, dispatch);
      this.startRun(worker, true);
      this.decide(agent, 'claimed');
      return;
    }
    agent.waiting += 1;
    const task = this.newTask(agent);
    task.assign(index, dispatch);
    this.launch(task, 0);
    this.decide(agent, 'missed');
  }

  private tick(): void {
    if (this.closed) {
      return;
    }
    let idle = 0;
    let starting = 0;
    for (const agent of this.agents.values()) {
      this.decide(agent, 'tick');
      idle += agent.idle.length;
      starting += agent.starting.size;
    }
    this.observer.sample?.({ at: this.now, idle, starting });
    this.queue.push(this.now + this.options.tickSeconds * 1000, TICK_EVENT);
  }

  /** The end of the simulated time: the pool's idle and starting workers stop; runs under way finish. */
  private close(): void {
    this.closed = true;
    for (const agent of this.agents.values()) {
      for (const worker of agent.idle.splice(0)) {
        this.stop(worker);
      }
      for (const worker of agent.starting) {
        this.stop(worker);
      }
      agent.starting.clear();
    }
  }

  private launch(task: Task, attempt: number): void {
    if (task.stopped) {
      return;
    }
    const result = attemptLaunch(this.limiter, this.now, attempt, this.jitter);
    if (result.outcome === 'launched') {
      const coldStartSeconds = drawColdStart(this.options.coldStart, this.coldStartDraws);
      task.launchedAt = this.now;
      task.coldStartSeconds = coldStartSeconds;
      this.queue.push(this.now + coldStartSeconds * 1000, { kind: READY, task, attempt: 0 });
    } else if (result.outcome === 'retry') {
      this.queue.push(result.at, { kind: LAUNCH, task, attempt: attempt + 1 });
    } else {
      this.launchFailed(task);
    }
  }

  /** Out of tries: the dispatch fails with RunTask's error; a pool worker is simply not there. */
  private launchFailed(task: Task): void {
    const agent = task.agent;
    task.stopped = true;
    if (task.dispatch < 0) {
      agent.starting.delete(task);
      return;
    }
    agent.waiting -= 1;
    this.observer.dispatch({ at: task.dispatchAt, warm: false, waitSeconds: undefined, durationSeconds: task.durationSeconds }, task.dispatch);
  }

  private ready(task: Task): void {
    if (task.stopped) {
      return;
    }
    const agent = task.agent;
    agent.coldStarts.push(task.coldStartSeconds);
    if (agent.coldStarts.length > this.options.coldStartSamples) {
      agent.coldStarts.shift();
    }
    if (task.dispatch >= 0) {
      agent.waiting -= 1;
      this.startRun(task, false);
      return;
    }
    agent.starting.delete(task);
    task.idleSince = this.now;
    agent.idle.push(task);
    this.decide(agent, 'idle');
  }

  private startRun(task: Task, warm: boolean): void {
    const handoff = this.options.handoffSeconds;
    const waitSeconds = (this.now - task.dispatchAt) / 1000 + handoff;
    this.observer.dispatch({ at: task.dispatchAt, warm, waitSeconds, durationSeconds: task.durationSeconds }, task.dispatch);
    this.queue.push(this.now + (handoff + task.durationSeconds) * 1000, { kind: FINISH, task, attempt: 0 });
  }

  private finish(task: Task): void {
    this.stop(task);
    this.decide(task.agent, 'stopped');
  }

  /** The task stops now; one RunTask accepted is billed. */
  private stop(task: Task): void {
    task.stopped = true;
    if (task.launchedAt >= 0) {
      this.observer.task({ launchedAt: task.launchedAt, stoppedAt: this.now, busySeconds: task.dispatch < 0 ? 0 : task.durationSeconds });
    }
  }

  private decide(agent: Agent, trigger: PolicyTrigger): void {
    if (this.closed) {
      return;
    }
    agent.arrivals.trim(this.now - this.lookbackMs);
    const decision = this.policy.decide({
      now: this.now,
      trigger,
      pool: { idle: agent.idle, starting: agent.starting.size, waiting: agent.waiting },
      demand: { arrivals: agent.arrivals.times, coldStartSeconds: agent.coldStarts },
      config: this.options.config,
      memory: agent.memory,
    });
    this.apply(agent, decision);
  }

  private apply(agent: Agent, decision: PoolDecision): void {
    if (!Number.isInteger(decision.start) || decision.start < 0) {
      throw new Error(`${this.policy.name} asked to start ${decision.start} workers`);
    }
    for (const taskId of decision.stop) {
      const index = agent.idle.findIndex((worker) => worker.taskId === taskId);
      if (index < 0) {
        throw new Error(`${this.policy.name} asked to stop ${taskId}, which is not an idle worker of ${agent.name}`);
      }
      this.stop(agent.idle.splice(index, 1)[0]);
    }
    agent.memory = decision.memory;
    for (let count = 0; count < decision.start; count++) {
      const worker = this.newTask(agent);
      agent.starting.add(worker);
      this.launch(worker, 0);
    }
  }

  private newTask(agent: Agent): Task {
    return new Task(`task-${++this.tasksCreated}`, agent);
  }

  private agentOf(name: string): Agent {
    let agent = this.agents.get(name);
    if (!agent) {
      agent = { name, idle: [], starting: new Set(), waiting: 0, arrivals: new ArrivalWindow(), coldStarts: [], memory: {} };
      this.agents.set(name, agent);
    }
    return agent;
  }
}
