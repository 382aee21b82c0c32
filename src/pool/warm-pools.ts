import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { POOL_CHANGE_FILTERS } from './pool-change-filters';
import { WarmPool } from './warm-pool';
import { AgentFleet } from '../agents/agent-fleet';
import { AgentKind } from '../agents/agent-kind';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { PlatformIndex } from '../cluster/platform-tables';
import { acknowledgeClusterTasks, grantOnClusterTasks, grantWorkerLaunch } from '../cluster/worker-grants';
import { DispatchLifecycle } from '../control-plane/dispatch-lifecycle';
import { acknowledgeFindings } from '../core/acknowledge';
import { PlatformFunction } from '../core/platform-function';
import { SecureVpc } from '../network/secure-vpc';

/** Props for {@link WarmPools}. */
export interface WarmPoolsProps {
  readonly network: SecureVpc;
  readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  /** The agents, each with its `warmPool` option. */
  readonly agents: AgentFleet;
  /** The lifecycle whose dispatches the pools serve; the scaler runs as its functions do (network, logs, configuration). */
  readonly lifecycle: DispatchLifecycle;
}

/** How often the scaler reconciles every pool, besides its runs on changes. */
const SCALE_INTERVAL = Duration.minutes(1);
/** Long enough for the stack deletion's drain to see stopping workers stopped (their stop timeout is 2 minutes). */
const SCALER_TIMEOUT = Duration.minutes(5);

/**
 * The agents' warm pools ({@link WarmPool}, one per agent) and the scaler that keeps them (docs/pool.md): one
 * function, run every minute for every pool and, through the pool table's stream, for the agent of each
 * change that calls for it (a worker claimed, a dispatch that found none idle, a worker idle or gone). It
 * reconciles the table with what ECS runs, replaces unhealthy workers, starts and stops workers as the policy
 * decides within Fargate's launch limits, drains disabled pools, and publishes each pool's metrics. When the
 * stack is deleted, a custom resource backed by the same function stops every pool worker before the cluster
 * goes.
 */
export class WarmPools extends Construct {
  public readonly pools: WarmPool[];
  public readonly scalerFunction: lambda.IFunction;
  /** Scheduled runs and stream batches that failed every retry. */
  public readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: WarmPoolsProps) {
    super(scope, id);
    const { cluster, storage, agents } = props;
    const tables = storage.tables;
    this.pools = agents.agents.map((agent) => new WarmPool(this, agent.kind, { agent }));

    const defaults = props.lifecycle._functionDefaults;
    const scaler = new PlatformFunction(this, 'Scaler', {
      ...defaults,
      handler: 'pool-scaler',
      description: 'Outpost: keeps the agents\' warm pools (reconcile with ECS, start and stop workers, metrics) and drains them on stack deletion',
      environment: {
        ...defaults.environment,
        OUTPOST_POOLS: Stack.of(this).toJsonString(Object.fromEntries(this.pools.map((pool) => [pool.agent, pool._settings]))),
      },
      synchronousOnly: false,
      timeout: SCALER_TIMEOUT,
    });

    // The pool's items (workers, and a lease and state item per agent), both indexes it reads, and the workers'
    // tasks: start, stop, describe, and list them (ECS authorizes ListTasks on no narrower resource).
    const role = scaler.role;
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [tables.pool.tableArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${tables.pool.tableArn}/index/${PlatformIndex.POOL_BY_AGENT_STATE}`, `${tables.dispatches.tableArn}/index/${PlatformIndex.DISPATCHES_BY_AGENT_STATUS}`],
    }));
    grantWorkerLaunch(role, cluster.cluster, agents, props.lifecycle._workerTokenKey);
    grantOnClusterTasks(role, cluster.cluster, ['ecs:StopTask', 'ecs:DescribeTasks']);
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ecs:ListTasks'],
      resources: ['*'],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.cluster.clusterArn } },
    }));
    acknowledgeClusterTasks(role, cluster.cluster);
    acknowledgeFindings(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecs:ListTasks is authorized against container instances, which Fargate tasks have none of; the statement is limited to the platform cluster by an ecs:cluster condition.',
    });

    const deadLetters = scaler.asyncDeadLetterQueue;
    // The next minute reconciles whatever this one missed: retrying it would only overlap.
    const minute = new events.Rule(this, 'Minute', {
      description: 'Outpost: keep the warm pools',
      schedule: events.Schedule.rate(SCALE_INTERVAL),
      targets: [new targets.LambdaFunction(scaler.function, { deadLetterQueue: deadLetters, retryAttempts: 0 })],
    });
    tables.pool.grantStreamRead(scaler.function);
    const changes = scaler.function.addEventSourceMapping('PoolChanges', {
      eventSourceArn: tables.pool.tableStreamArn!,
      // Only changes from now on matter: the minute's run reconciles the rest.
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 100,
      retryAttempts: 3,
      maxRecordAge: Duration.minutes(5),
      onFailure: new SqsDlq(deadLetters),
      filters: [...POOL_CHANGE_FILTERS],
    });

    // Stack deletion: CloudFormation deletes the drain after the triggers (which depend on it), so nothing starts
    // a worker once it has run, and before the cluster and the network its function reaches ECS through.
    const drain = new CustomResource(this, 'Drain', { serviceToken: scaler.function.functionArn, resourceType: 'Custom::OutpostPoolDrain' });
    drain.node.addDependency(props.network);
    minute.node.addDependency(drain);
    changes.node.addDependency(drain);

    this.scalerFunction = scaler.function;
    this.deadLetterQueue = deadLetters;
  }

  /** The pool of one agent. */
  public pool(kind: AgentKind): WarmPool {
    const pool = this.pools.find((candidate) => candidate.agent === kind);
    if (!pool) {
      throw new Error(`WarmPools: the ${kind} agent is not part of this platform. Add Agent.${kind}() to \`agents\`.`);
    }
    return pool;
  }
}
