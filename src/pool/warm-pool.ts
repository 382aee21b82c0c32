import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { poolSettings, PoolSettings } from './policy-config';
import { PoolCapacityProvider } from './pool-capacity-provider';
import { PoolSchedule } from './warm-pool-options';
import { Agent } from '../agents/agent';
import { AgentKind } from '../agents/agent-kind';
import { CAPACITY_PROVIDER_DIMENSION, METRICS_NAMESPACE } from '../monitoring/metrics-namespace';


/** The metrics the scaler publishes for every pool, each minute and on every change (dimension `agent`). */
export enum PoolMetric {
  /** Workers started, healthy and waiting for a dispatch. */
  IDLE_WORKERS = 'IdleWorkers',
  /** Workers started and not yet healthy. */
  STARTING_WORKERS = 'StartingWorkers',
  /** Workers claimed by a dispatch or running one. */
  BUSY_WORKERS = 'BusyWorkers',
  /** Dispatches recorded and not yet started. */
  QUEUED_DISPATCHES = 'QueuedDispatches',
  /** The share of the last 15 minutes' dispatches that started on an idle worker, 0 to 1. */
  WARM_START_RATIO = 'WarmStartRatio',
  /**
   * Each pool worker's cold start, RunTask to healthy, in seconds; also by capacity provider (dimensions `agent`
   * and `capacityProvider`, see {@link WarmPool.metricColdStartSeconds}).
   */
  COLD_START_SECONDS = 'ColdStartSeconds',
}

/** Options for {@link WarmPool.metricColdStartSeconds}. */
export interface ColdStartMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only the cold starts of workers launched on this capacity provider.
   * @default - every cold start of the pool, whatever its provider
   */
  readonly capacityProvider?: PoolCapacityProvider;
}

/** Props for {@link WarmPool}. */
export interface WarmPoolProps {
  /** The agent whose pool it is, configured by its `warmPool` option. */
  readonly agent: Agent;
}

/**
 * One agent's warm pool: started, healthy, idle workers kept ready so that a dispatch starts in under a second,
 * while idle capacity stays as small as the workload allows (docs/pool.md). Its settings come from the agent's
 * `warmPool` option, checked at synth by the same rules the scaler applies; the platform's {@link WarmPools}
 * scaler keeps it.
 */
export class WarmPool extends Construct {
  public readonly agent: AgentKind;
  /** False: the pool is drained and every dispatch of the agent starts cold. */
  public readonly enabled: boolean;
  public readonly minIdle: number;
  public readonly maxWorkers: number;
  public readonly idleTimeout: Duration;
  public readonly schedules: PoolSchedule[];
  public readonly spotShare: number;
  /** The floor under the value rule, if one is set. */
  public readonly targetWarmRatio?: number;
  /** What an hour of waiting is worth, USD: what the pool weighs idle workers against. */
  public readonly waitValue: number;
  /** What one of its idle workers costs an hour at the list prices, USD (the agent's size, architecture, Spot share and Region). */
  public readonly workerHourPrice: number;
  /**
   * What the scaler is told of this pool (OUTPOST_POOLS).
   * @internal
   */
  public readonly _settings: PoolSettings;

  constructor(scope: Construct, id: string, props: WarmPoolProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this._settings = poolSettings(`Agent.${props.agent.kind}`, props.agent.warmPool, {
      vcpu: props.agent.cpu / 1024,
      memoryGb: props.agent.memoryLimitMiB / 1024,
      // FargateArchitecture's values are the pricing table's names.
      architecture: props.agent.cpuArchitecture,
      region: Token.isUnresolved(region) ? undefined : region,
    });
    this.agent = props.agent.kind;
    this.enabled = this._settings.enabled;
    this.minIdle = this._settings.minIdle;
    this.maxWorkers = this._settings.maxWorkers;
    this.idleTimeout = Duration.seconds(this._settings.idleTimeoutSeconds);
    this.schedules = this._settings.schedules.map((schedule) => ({ ...schedule }));
    this.spotShare = this._settings.spotShare;
    this.targetWarmRatio = this._settings.targetWarmRatio;
    this.waitValue = this._settings.waitValueUsdPerHour;
    this.workerHourPrice = this._settings.workerUsdPerHour;
  }

  /** Workers started, healthy and waiting for a dispatch. Averages over a minute by default. */
  public metricIdleWorkers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PoolMetric.IDLE_WORKERS, props);
  }

  /** Workers started and not yet healthy. Averages over a minute by default. */
  public metricStartingWorkers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PoolMetric.STARTING_WORKERS, props);
  }

  /** Workers claimed by a dispatch or running one. Averages over a minute by default. */
  public metricBusyWorkers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PoolMetric.BUSY_WORKERS, props);
  }

  /** Dispatches recorded and not yet started. Averages over a minute by default. */
  public metricQueuedDispatches(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PoolMetric.QUEUED_DISPATCHES, props);
  }

  /**
   * The share of the last 15 minutes' dispatches that started on an idle worker, 0 to 1, e.g. for an alarm:
   * `pool.metricWarmStartRatio().createAlarm(...)`. Averages over a minute by default.
   */
  public metricWarmStartRatio(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PoolMetric.WARM_START_RATIO, props);
  }

  /**
   * Each pool worker's cold start, RunTask to healthy, in seconds. With `capacityProvider`, only those of workers
   * launched on it, e.g. to compare Spot's with on-demand Fargate's:
   * `pool.metricColdStartSeconds({ capacityProvider: PoolCapacityProvider.FARGATE_SPOT, statistic: 'p90' })`.
   * Every cold start is a value of its own, so percentiles are exact. Averages over a minute by default.
   */
  public metricColdStartSeconds(props: ColdStartMetricOptions = {}): cloudwatch.Metric {
    const { capacityProvider, ...options } = props;
    const metric = this.metric(PoolMetric.COLD_START_SECONDS, options);
    return capacityProvider ? metric.with({ dimensionsMap: { agent: this.agent, [CAPACITY_PROVIDER_DIMENSION]: capacityProvider } }) : metric;
  }

  /**
   * Any of the pool's metrics by name, as CDK constructs offer `metric(name)` beside their `metricXxx()`
   * methods. Averages over a minute by default.
   */
  public metric(metric: PoolMetric, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: metric,
      dimensionsMap: { agent: this.agent },
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    });
  }
}
