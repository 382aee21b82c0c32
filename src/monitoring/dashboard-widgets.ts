import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DeferredWidget } from './deferred-widget';
import { DispatchMetric, dispatchMetric } from './dispatch-metric';
import { METRICS_NAMESPACE } from './metrics-namespace';
import { AgentKind } from '../agents/agent-kind';
import { PoolCapacityProvider } from '../pool/pool-capacity-provider';
import { WarmPool } from '../pool/warm-pool';

/** The states a dispatch moves into, as the outbox's `state` dimension names them. */
const STATES = ['STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const FIVE_MINUTES = Duration.minutes(5);
/** Pools start workers a few times an hour, not a minute: an hour holds enough cold starts for a percentile. */
const COLD_START_PERIOD = Duration.hours(1);
/**
 * Cold starts are skewed (image pulls, Spot capacity): the median shows the usual one and p90 the slow tail a
 * cold dispatch waits through, which an average blurs and a maximum reduces to one outlier. Each cold start is
 * published as a value of its own, so CloudWatch's percentiles are of the samples themselves.
 */
const COLD_START_PERCENTILES = [50, 90];
const FULL = 24;
const HALF = 12;
const QUARTER = 6;
const HEIGHT = 6;

/** A platform function as the dashboard and alarms show it. */
export interface MonitoredFunction {
  /** Its path in the platform, e.g. `Lifecycle/Outbox`. */
  readonly label: string;
  readonly function: lambda.IFunction;
  readonly deadLetterQueue?: sqs.IQueue;
}

/** What the dashboard shows. */
export interface DashboardParts {
  readonly agents: AgentKind[];
  readonly pools: WarmPool[];
  readonly api: apigw.IHttpApi;
  /** The functions to chart, found when the dashboard is rendered (after aspects). */
  readonly functions: () => MonitoredFunction[];
  /** The alarms of the alarm panel, found when the dashboard is rendered. */
  readonly alarms: () => cloudwatch.IAlarm[];
}

/** The dashboard's rows, top to bottom: alarms, dispatches, pools, API, handlers, queues and cost. */
export function dashboardRows(parts: DashboardParts): cloudwatch.IWidget[][] {
  const perAgent = (metric: DispatchMetric, labelSuffix = '', options: cloudwatch.MetricOptions = {}) =>
    parts.agents.map((agent) => dispatchMetric(metric, agent, { label: `${agent}${labelSuffix}`, ...options }));
  const graph = (title: string, width: number, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title, width, height: HEIGHT, left, ...options });
  // The panels of what is found in the tree are made when the dashboard is rendered, at their fixed sizes.
  const later = (width: number, height: number, make: () => cloudwatch.IWidget) => new DeferredWidget(width, height, make);
  const deadLetters = (fn: MonitoredFunction) => fn.deadLetterQueue ? [fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
    label: fn.label, period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM,
  })] : [];
  return [
    [later(FULL, 4, () => new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: FULL, height: 4, alarms: parts.alarms() }))],
    [
      // A search sums each state over every agent, those deployed later included.
      graph('Dispatches by state (moves into it, 5 min)', HALF, STATES.map((state) => new cloudwatch.MathExpression({
        expression: `SUM(SEARCH('{${METRICS_NAMESPACE},agent,state} MetricName="${DispatchMetric.TRANSITIONS}" state="${state}"', 'Sum', 300))`,
        label: state,
        period: FIVE_MINUTES,
      }))),
      graph('Warm vs cold starts', QUARTER, [...perAgent(DispatchMetric.WARM_STARTS, ' warm'), ...perAgent(DispatchMetric.COLD_STARTS, ' cold')], { stacked: true }),
      graph('Wait to RUNNING (s), p50 and p95', QUARTER, [
        ...perAgent(DispatchMetric.WAIT_SECONDS, ' p50', { statistic: cloudwatch.Stats.p(50) }),
        ...perAgent(DispatchMetric.WAIT_SECONDS, ' p95', { statistic: cloudwatch.Stats.p(95) }),
      ]),
    ],
    parts.pools.map((pool) => graph(`Pool: ${pool.agent}`, Math.max(QUARTER - 2, Math.floor(FULL / parts.pools.length)), [
      pool.metricIdleWorkers({ label: 'idle' }),
      pool.metricStartingWorkers({ label: 'starting' }),
      pool.metricBusyWorkers({ label: 'busy' }),
    ], { stacked: true })),
    ...coldStartRow(parts.pools, graph),
    [
      graph('API requests, 4xx and 5xx', HALF, [
        parts.api.metricCount({ label: 'requests', period: FIVE_MINUTES }),
        parts.api.metricClientError({ label: '4xx', period: FIVE_MINUTES }),
        parts.api.metricServerError({ label: '5xx', period: FIVE_MINUTES }),
      ]),
      graph('API latency (ms)', HALF, ['p50', 'p95', 'p99'].map((statistic) => parts.api.metricLatency({ label: statistic, statistic, period: FIVE_MINUTES }))),
    ],
    [
      later(HALF, HEIGHT, () => graph('Handler errors', HALF, parts.functions().map((fn) => fn.function.metricErrors({ label: fn.label, period: FIVE_MINUTES })))),
      later(HALF, HEIGHT, () => graph('Handler throttles', HALF, parts.functions().map((fn) => fn.function.metricThrottles({ label: fn.label, period: FIVE_MINUTES })))),
    ],
    [
      later(HALF, HEIGHT, () => graph('Dead letters (messages waiting)', HALF, parts.functions().flatMap(deadLetters))),
      graph('Stuck dispatches', QUARTER, perAgent(DispatchMetric.STUCK_DISPATCHES)),
      graph('Cost per day (USD)', QUARTER, perAgent(DispatchMetric.DISPATCH_COST_USD, '', { period: Duration.days(1) }), { stacked: true }),
    ],
  ];
}

type Graph = (title: string, width: number, left: cloudwatch.IMetric[]) => cloudwatch.GraphWidget;

/**
 * The pools' cold starts, p50 and p90 an hour: per agent, and per agent and capacity provider (Fargate always,
 * Fargate Spot for a pool with a Spot share). No row without pools.
 */
function coldStartRow(pools: readonly WarmPool[], graph: Graph): cloudwatch.IWidget[][] {
  if (pools.length === 0) {
    return [];
  }
  const percentiles = (pool: WarmPool, label: string, capacityProvider?: PoolCapacityProvider) => COLD_START_PERCENTILES.map((percentile) =>
    pool.metricColdStartSeconds({
      label: `${label} p${percentile}`, statistic: cloudwatch.Stats.p(percentile), period: COLD_START_PERIOD, ...(capacityProvider && { capacityProvider }),
    }));
  const providers = (pool: WarmPool) => (pool.spotShare > 0
    ? [PoolCapacityProvider.FARGATE, PoolCapacityProvider.FARGATE_SPOT]
    : [PoolCapacityProvider.FARGATE]);
  return [[
    graph('Pool cold start (s) per agent, p50 and p90', HALF, pools.flatMap((pool) => percentiles(pool, pool.agent))),
    graph('Pool cold start (s) per capacity provider, p50 and p90', HALF, pools.flatMap((pool) =>
      providers(pool).flatMap((provider) => percentiles(pool, `${pool.agent} ${provider}`, provider)))),
  ]];
}
