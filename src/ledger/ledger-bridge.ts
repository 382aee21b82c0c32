import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LedgerPricing } from './ledger-pricing';
import { AgentFleet } from '../agents/agent-fleet';
import { AgentKind } from '../agents/agent-kind';
import { PlatformStorage } from '../cluster/platform-storage';
import { ControlPlaneApi } from '../control-plane/control-plane-api';
import { DispatchLifecycle } from '../control-plane/dispatch-lifecycle';
import { PlatformFunction } from '../core/platform-function';
import { requireProp } from '../core/validation';
import { METRICS_NAMESPACE } from '../monitoring/metrics-namespace';

/** The metric the ledger publishes per priced dispatch (EMF, dimension `agent`): USD. */
export const DISPATCH_COST_METRIC = 'DispatchCostUsd';
/** The dispatch states the ledger prices: its task is gone and its outcome recorded. */
const FINAL_STATES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

/** One agent's daily spend threshold, over the platform-wide one. */
export interface AgentSpendAlarm {
  readonly agent: AgentKind;
  /** Alarm when the agent's dispatches cost more than this in a day (UTC), USD. */
  readonly dailyUsd: number;
}

/** What the ledger does besides pricing every dispatch: prices, forwarding, spend alarms. */
export interface LedgerOptions {
  /** @default LedgerPricing.listPrices() */
  readonly pricing?: LedgerPricing;
  /**
   * Also send every `DispatchCost` event to this bus, e.g. a finance account's:
   * `EventBus.fromEventBusArn(this, 'Finance', 'arn:aws:events:eu-west-1:111122223333:event-bus/costs')`. Its
   * resource policy must let this account put events (docs/costs.md, "Forwarding").
   * @default - none
   */
  readonly forwardTo?: events.IEventBus;
  /** Alarm when any agent's dispatches cost more than this in a day (UTC), USD. @default - no platform-wide alarm */
  readonly dailySpendAlarmUsd?: number;
  /** Per-agent thresholds, replacing `dailySpendAlarmUsd` for those agents. @default - none */
  readonly agentSpendAlarms?: AgentSpendAlarm[];
}

/** Props for {@link LedgerBridge}. */
export interface LedgerBridgeProps extends LedgerOptions {
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly agents: AgentFleet;
  /** The lifecycle whose dispatches are priced; the ledger's functions run as its functions do. */
  readonly lifecycle: DispatchLifecycle;
  /** The API its routes are added to, with the scopes each kind of route requires. */
  readonly api: ControlPlaneApi;
  /** The platform bus: `outpost.dispatch` events in, `outpost.ledger` events out. */
  readonly eventBus: events.IEventBus;
  /** Where the spend alarms go. */
  readonly alarmTopic: sns.ITopic;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What every run cost (docs/costs.md). When a dispatch reaches a final state, the ledger function prices it
 * (compute, storage and tokens, each with its quantity and unit price), publishes a `DispatchCost` event
 * (`source: outpost.ledger`) on the platform bus, writes the cost onto the dispatch, adds it once to the
 * running totals per day, agent and requester in the ledger table, and publishes the `Outpost/DispatchCostUsd`
 * metric. `GET /ledger` answers a caller's totals, `GET /admin/ledger` everyone's.
 */
export class LedgerBridge extends Construct {
  /** Running totals per day, agent and requester, and a marker per priced dispatch. */
  public readonly table: dynamodb.TableV2;
  /** Prices dispatches that reached a final state. */
  public readonly ledgerFunction: lambda.IFunction;
  /** `GET /ledger`, `GET /admin/ledger`. */
  public readonly readFunction: lambda.IFunction;
  /** Events the ledger function failed every retry of. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The daily spend alarms, one per agent that has a threshold. */
  public readonly spendAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: LedgerBridgeProps) {
    super(scope, id);
    const owner = 'LedgerBridge';
    const kinds = props.agents.agents.map((agent) => agent.kind);
    validateThreshold(owner, 'dailySpendAlarmUsd', props.dailySpendAlarmUsd);
    for (const alarm of props.agentSpendAlarms ?? []) {
      requireProp(kinds.includes(alarm.agent), owner, 'agentSpendAlarms', `names ${alarm.agent}, which is not one of the platform's agents (${kinds.join(', ')})`, 'Remove it, or add the agent.');
      validateThreshold(owner, `agentSpendAlarms[${alarm.agent}].dailyUsd`, alarm.dailyUsd);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });

    const defaults = props.lifecycle._functionDefaults;
    const environment = {
      ...defaults.environment,
      OUTPOST_LEDGER: Stack.of(this).toJsonString({
        table: this.table.tableName,
        agents: Object.fromEntries(props.agents.agents.map((agent) => [agent.kind, {
          cpu: agent.cpu, memoryMiB: agent.memoryLimitMiB, ephemeralStorageGiB: agent.ephemeralStorageGiB,
        }])),
        ...(props.pricing?._overrides && { pricing: props.pricing._overrides }),
      }),
    };
    const ledger = new PlatformFunction(this, 'Ledger', {
      ...defaults,
      environment,
      handler: 'ledger',
      description: 'Outpost: prices each finished dispatch, publishes DispatchCost, keeps the ledger\'s totals',
      synchronousOnly: false,
      timeout: Duration.seconds(30),
    });
    const read = new PlatformFunction(this, 'Read', {
      ...defaults,
      environment,
      handler: 'ledger-read',
      description: 'Outpost: GET /ledger, /admin/ledger',
      synchronousOnly: true,
    });

    // The dispatch it prices (read, and its cost written back), the totals it counts, the event it publishes.
    const dispatches = props.storage.tables.dispatches;
    ledger.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [dispatches.tableArn] }));
    ledger.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [this.table.tableArn] }));
    props.eventBus.grantPutEventsTo(ledger.function);
    read.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.table.tableArn] }));

    // A final state arrives once per dispatch; a task that has not reported its stop yet is retried (1 and 3 minutes).
    ledger.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
    new events.Rule(this, 'FinalStates', {
      eventBus: props.eventBus,
      description: 'Outpost: dispatches that reached a final state, to price',
      eventPattern: { source: ['outpost.dispatch'], detailType: ['Dispatch State Change'], detail: { to: FINAL_STATES } },
      targets: [new targets.LambdaFunction(ledger.function, { deadLetterQueue: ledger.deadLetterQueue, retryAttempts: 8 })],
    });

    if (props.forwardTo) {
      const role = new iam.Role(this, 'ForwardRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
        description: 'Outpost: forwards DispatchCost events to another bus',
      });
      new events.Rule(this, 'Forward', {
        eventBus: props.eventBus,
        description: 'Outpost: DispatchCost events, to the bus they are forwarded to',
        eventPattern: { source: ['outpost.ledger'], detailType: ['DispatchCost'] },
        targets: [new targets.EventBus(props.forwardTo, { role, deadLetterQueue: ledger.deadLetterQueue })],
      });
    }

    for (const prefix of ['', '/admin']) {
      props.api._addRoute(apigw.HttpMethod.GET, `${prefix}/ledger`, read.function, `GET${prefix.replace('/', '')}Ledger`);
    }

    const thresholds = new Map<AgentKind, number>();
    for (const kind of kinds) {
      const threshold = props.agentSpendAlarms?.find((alarm) => alarm.agent === kind)?.dailyUsd ?? props.dailySpendAlarmUsd;
      if (threshold !== undefined) {
        thresholds.set(kind, threshold);
      }
    }
    this.spendAlarms = [...thresholds].map(([kind, threshold]) => {
      const alarm = this.metricDailySpend(kind).createAlarm(this, `DailySpend${kind}`, {
        alarmDescription: `Outpost: the ${kind} agent's dispatches cost more than ${threshold} USD today (UTC)`,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      return alarm;
    });

    this.ledgerFunction = ledger.function;
    this.readFunction = read.function;
    this.deadLetterQueue = ledger.asyncDeadLetterQueue;
  }

  /** What an agent's dispatches cost per day (UTC), USD: the sum of `Outpost/DispatchCostUsd`. */
  public metricDailySpend(agent: AgentKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: DISPATCH_COST_METRIC,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.days(1),
      ...props,
      dimensionsMap: { ...props?.dimensionsMap, agent },
    });
  }

  /** Read the ledger table's totals directly (reports, exports), beside what `GET /ledger` answers. */
  public grantReadTotals(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem', 'dynamodb:Query'], resourceArns: [this.table.tableArn] });
  }
}

function validateThreshold(owner: string, prop: string, value: number | undefined): void {
  if (value !== undefined) {
    requireProp(Number.isFinite(value) && value > 0, owner, prop, `must be more than 0 USD, got ${value}`, 'Give the daily spend, in USD, above which to alarm.');
  }
}
