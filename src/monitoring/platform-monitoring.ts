import { Aspects, Duration, IAspect } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { dashboardRows, MonitoredFunction } from './dashboard-widgets';
import { DispatchMetric, dispatchMetric } from './dispatch-metric';
import { MonitoringOptions } from './monitoring-options';
import { AgentKind } from '../agents/agent-kind';
import { PlatformFunction } from '../core/platform-function';
import { requireIntegerInRange, requireProp } from '../core/validation';
import { WarmPools } from '../pool/warm-pools';

/** Props for {@link PlatformMonitoring}. */
export interface PlatformMonitoringProps extends MonitoringOptions {
  /** Where every alarm goes. */
  readonly alarmTopic: sns.ITopic;
  /** The control plane's HTTP API. */
  readonly api: apigw.IHttpApi;
  /** The agents whose dispatches, pools, cost and stuck dispatches are charted. */
  readonly agents: AgentKind[];
  /**
   * The warm pools (their metrics) and their scaler (its own failure alarm instead of an error alarm).
   * @default - no pool panels; the scaler, if any, is watched as any other function
   */
  readonly warmPools?: WarmPools;
}

/**
 * The platform's dashboard and alarms (README "Operations", docs/operations.md). Every alarm notifies the
 * alarm topic. The handlers and their dead-letter queues are found, not listed: an aspect on this construct's
 * scope (as cdk-monitoring-constructs' `MonitoringAspect` does) visits every platform function of that scope
 * at synthesis, whenever it was created, and gives it an error alarm and, when it has a dead-letter queue, a
 * queue-depth alarm. Construction order does not matter; the alarm lists are complete once the app is
 * synthesized.
 */
export class PlatformMonitoring extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  /** The API's share of 5xx answers. */
  public readonly apiServerErrorAlarm: cloudwatch.Alarm;
  /** One per handler (the scaler has `scalerFailureAlarm` instead): any error. Filled at synthesis. */
  public readonly handlerErrorAlarms: cloudwatch.Alarm[] = [];
  /** One per dead-letter queue: a message is waiting in it. Filled at synthesis. */
  public readonly deadLetterAlarms: cloudwatch.Alarm[] = [];
  /** The warm pools' scaler failed repeatedly; absent without `warmPools`. */
  public readonly scalerFailureAlarm?: cloudwatch.Alarm;
  /** The sweeper found dispatches stuck QUEUED or STARTING. */
  public readonly stuckDispatchesAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    const rate = props.apiServerErrorRate ?? 0.05;
    requireProp(rate > 0 && rate <= 1, 'PlatformMonitoring', 'apiServerErrorRate', `must be a share above 0 and at most 1, got ${rate}`, 'Use e.g. 0.05 for 5%.');
    requireIntegerInRange('PlatformMonitoring', 'handlerErrors', props.handlerErrors, 1, 1_000);
    requireIntegerInRange('PlatformMonitoring', 'scalerFailedRuns', props.scalerFailedRuns, 1, SCALER_WINDOW);
    requireIntegerInRange('PlatformMonitoring', 'stuckDispatches', props.stuckDispatches, 1, 1_000);
    const period = props.alarmPeriod ?? Duration.minutes(5);
    requireProp(period.toSeconds() >= 60 && period.toSeconds() % 60 === 0, 'PlatformMonitoring', 'alarmPeriod',
      `must be a whole number of minutes, got ${period.toHumanString()}`, 'Use e.g. Duration.minutes(5).');

    const notify = new actions.SnsAction(props.alarmTopic);
    const alarm = (scopeOf: Construct, alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(scopeOf, alarmId, alarmProps);
      created.addAlarmAction(notify);
      return created;
    };

    this.apiServerErrorAlarm = alarm(this, 'ApiServerErrors', {
      alarmDescription: `Outpost: more than ${rate * 100}% of API requests answered 5xx in two of three ${period.toHumanString()} periods. Runbook: docs/operations.md#api-5xx`,
      metric: props.api.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period }),
      threshold: rate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const scaler = props.warmPools?.scalerFunction;
    const handlerAlarms = new Construct(this, 'HandlerErrors');
    const queueAlarms = new Construct(this, 'DeadLetters');
    const watched = new Set<PlatformFunction>();
    // Called by the aspect for each platform function of the scope, once, whenever it was created.
    const watch = (fn: PlatformFunction) => {
      if (watched.has(fn)) {
        return;
      }
      watched.add(fn);
      const label = labelOf(scope, fn);
      if (fn.function !== scaler) {
        this.handlerErrorAlarms.push(alarm(handlerAlarms, constructId(label), {
          alarmDescription: `Outpost: the ${label} handler failed (${props.handlerErrors ?? 1} or more errors in ${period.toHumanString()}). Runbook: docs/operations.md#handler-errors`,
          metric: fn.function.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
          threshold: props.handlerErrors ?? 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
      if (fn.deadLetterQueue) {
        this.deadLetterAlarms.push(alarm(queueAlarms, constructId(label), {
          alarmDescription: `Outpost: events the ${label} handler failed on wait in its dead-letter queue. Runbook: docs/operations.md#dead-letters`,
          metric: fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    };
    Aspects.of(scope).add(new PlatformFunctionWatcher(watch));

    if (scaler) {
      const failedRuns = props.scalerFailedRuns ?? 3;
      this.scalerFailureAlarm = alarm(this, 'ScalerFailures', {
        alarmDescription: `Outpost: the warm pools' scaler failed in ${failedRuns} of the last ${SCALER_WINDOW} minutes. Runbook: docs/operations.md#scaler-failures`,
        metric: scaler.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: SCALER_WINDOW,
        datapointsToAlarm: failedRuns,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // A sum over the agents: one alarm for the platform, each agent's series filled where the sweeper was silent.
    const stuck = Object.fromEntries(props.agents.map((agent, i) => [`m${i}`, dispatchMetric(DispatchMetric.STUCK_DISPATCHES, agent, { period })]));
    this.stuckDispatchesAlarm = alarm(this, 'StuckDispatches', {
      alarmDescription: `Outpost: the sweeper failed ${props.stuckDispatches ?? 1} or more dispatches stuck QUEUED or STARTING in ${period.toHumanString()}. Runbook: docs/operations.md#stuck-dispatches`,
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(stuck).map((name) => `FILL(${name}, 0)`).join(' + '),
        usingMetrics: stuck,
        label: 'stuck dispatches',
        period,
      }),
      threshold: props.stuckDispatches ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: dashboardRows({
        agents: props.agents,
        pools: props.warmPools?.pools ?? [],
        api: props.api,
        functions: () => platformFunctions(scope),
        alarms: () => alarmsIn(scope),
      }),
    });
  }

  /**
   * Every alarm this construct made, all notifying the alarm topic; the handlers' are made at synthesis. The
   * dashboard's alarm panel also shows the alarms other parts of the scope made (key rotation failures, daily
   * spend).
   */
  public get alarms(): cloudwatch.Alarm[] {
    return [
      this.apiServerErrorAlarm, ...this.handlerErrorAlarms, ...this.deadLetterAlarms,
      ...(this.scalerFailureAlarm ? [this.scalerFailureAlarm] : []), this.stuckDispatchesAlarm,
    ];
  }

  /** One agent's dispatches that moved into `state` (e.g. `'FAILED'`), summed over five minutes by default. */
  public metricDispatchTransitions(agent: AgentKind, state: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.TRANSITIONS, agent, { ...props, dimensionsMap: { ...props.dimensionsMap, state } });
  }

  /** One agent's dispatches that began running on an idle pool worker, summed over five minutes by default. */
  public metricWarmStarts(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.WARM_STARTS, agent, props);
  }

  /** One agent's dispatches that began running on a task started for them, summed over five minutes by default. */
  public metricColdStarts(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.COLD_STARTS, agent, props);
  }

  /**
   * Seconds from a dispatch's creation to RUNNING, e.g. for an alarm of your own:
   * `monitoring.metricWaitSeconds(AgentKind.CLAUDE, { statistic: 'p95' })`. Sums over five minutes by default.
   */
  public metricWaitSeconds(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.WAIT_SECONDS, agent, props);
  }

  /** One agent's dispatches the sweeper failed as stuck QUEUED or STARTING, summed over five minutes by default. */
  public metricStuckDispatches(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.STUCK_DISPATCHES, agent, props);
  }

  /** What one agent's finished dispatches cost, USD, summed over five minutes by default. */
  public metricDispatchCostUsd(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return dispatchMetric(DispatchMetric.DISPATCH_COST_USD, agent, props);
  }

  /**
   * Any dispatch metric of one agent by name, as CDK constructs offer `metric(name)` beside their `metricXxx()`
   * methods. Sums over five minutes by default; `DispatchMetric.TRANSITIONS` also takes a `state` in `dimensionsMap`.
   */
  public metric(metric: DispatchMetric, agent: AgentKind, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return dispatchMetric(metric, agent, props);
  }
}

/** The scaler runs every minute; its alarm looks at this many. */
const SCALER_WINDOW = 5;

/** Visits every construct of the scope it is added to at synthesis, and hands each platform function to `watch`. */
class PlatformFunctionWatcher implements IAspect {
  constructor(private readonly watch: (fn: PlatformFunction) => void) {}

  public visit(node: IConstruct): void {
    if (node instanceof PlatformFunction) {
      this.watch(node);
    }
  }
}

/** A function's path in `scope`, e.g. `Lifecycle/Outbox`. */
const labelOf = (scope: IConstruct, fn: PlatformFunction) => fn.node.path.slice(scope.node.path.length + 1);

/** Every platform function in `scope`, named by its path there. */
function platformFunctions(scope: IConstruct): MonitoredFunction[] {
  return scope.node.findAll()
    .filter((child): child is PlatformFunction => child instanceof PlatformFunction)
    .map((fn) => ({ label: labelOf(scope, fn), function: fn.function, deadLetterQueue: fn.deadLetterQueue }));
}

/** Every alarm in `scope`: this construct's and those other parts of the platform made before it. */
function alarmsIn(scope: IConstruct): cloudwatch.Alarm[] {
  return scope.node.findAll().filter((child): child is cloudwatch.Alarm => child instanceof cloudwatch.Alarm);
}

/** A construct id from a path: `Lifecycle/Outbox` → `Lifecycle-Outbox`. */
const constructId = (label: string) => label.replace(/\//g, '-');
