import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { budgetConfig } from './budget-config';
import { COLD_START_REQUESTS } from './cold-start-filters';
import { ControlPlaneApi } from './control-plane-api';
import { DispatchBudgetOptions } from './dispatch-budget';
import { grantFleetReadiness } from './fleet-readiness';
import { GitCredentials } from './git-credentials';
import { FunctionDefaults, PersistentWorkspaces, workspaceFamilyPrefix } from './persistent-workspaces';
import { platformConfig } from './platform-config';
import { addWorkerCredentials } from './worker-credentials';
import { AgentFleet } from '../agents/agent-fleet';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { PlatformIndex } from '../cluster/platform-tables';
import { grantWorkerLaunch, grantWorkerToken } from '../cluster/worker-grants';
import { PlatformFunction } from '../core/platform-function';
import { LedgerPricing } from '../ledger/ledger-pricing';
import { SecureVpc } from '../network/secure-vpc';

/** Props for {@link DispatchLifecycle}. */
export interface DispatchLifecycleProps extends DispatchBudgetOptions {
  /** The API its routes are added to, with the scopes each kind of route requires. */
  readonly api: ControlPlaneApi;
  readonly network: SecureVpc;
  readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly agents: AgentFleet;
  readonly eventBus: events.IEventBus;
  readonly encryptionKey: kms.IKey;
  /**
   * Start workers of X86_64 agents on Fargate Spot first, on-demand when Spot has no capacity. Agents on ARM64
   * (the default `cpuArchitecture`) always start on demand: Fargate Spot does not run ARM64 tasks.
   * @default true
   */
  readonly spotEnabled?: boolean;
  /** How workers get a credential for private repositories. @default - none: public repositories only */
  readonly gitCredentials?: GitCredentials;
  /**
   * The prices the ledger uses (its `pricing`): budgets are sent to workers at the same model prices, so that the
   * gateway stops a run where the ledger would price it at the limit.
   * @default LedgerPricing.listPrices()
   */
  readonly modelPricing?: LedgerPricing;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** How often the sweeper looks for dispatches past their deadline or stuck in a non-final state. */
const SWEEP_INTERVAL = Duration.minutes(1);

/**
 * The states of a task whose worker is starting: running and meant to keep running. ECS's task state change
 * events carry no health status (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html),
 * so the hand-off waits for the worker itself to answer before it pushes.
 */
const TASK_READY = { lastStatus: ['RUNNING'], desiredStatus: ['RUNNING'] };
/** The state of a task that has stopped, whatever made it stop. */
const TASK_STOPPED = { lastStatus: ['STOPPED'] };

/**
 * The handlers that move dispatches through their lifecycle (docs/control-plane.md), each with only the
 * permissions its part needs: the dispatch API routes, the reactions to ECS task state changes (the hand-off
 * when a worker is ready, the completion when a task stops), the outbox that publishes every transition from the table's stream, the sweeper, and
 * persistent workspaces (their routes, and the cleaner that removes a deleted one's files).
 */
export class DispatchLifecycle extends Construct {
  /** `POST /dispatch`. */
  public readonly createFunction: lambda.IFunction;
  /** Starts a task for each dispatch no warm worker took, from the dispatches table's stream. */
  public readonly starterFunction: lambda.IFunction;
  /** `GET /dispatch…` and `GET /artifacts/{id}`. */
  public readonly readFunction: lambda.IFunction;
  /** `DELETE /dispatch/{id}`. */
  public readonly cancelFunction: lambda.IFunction;
  /**
   * The hand-off, on ECS's event that a task of the cluster is running: once its worker answers, a pool worker
   * becomes idle, a worker started for a dispatch gets its assignment (or is stopped when the dispatch no
   * longer waits).
   */
  public readonly taskReadyFunction: lambda.IFunction;
  /**
   * The completion, on ECS's event that a task of the cluster stopped: its dispatch ends as the worker's
   * result.json says, what the task ran is recorded, and the persistent workspace it held is given back.
   */
  public readonly taskStoppedFunction: lambda.IFunction;
  /** Publishes and audits every transition from the dispatches table's stream. */
  public readonly outboxFunction: lambda.IFunction;
  /** Resolves dispatches past their deadline or stuck. */
  public readonly sweeperFunction: lambda.IFunction;
  /** `GET /health/fleet`. */
  public readonly fleetHealthFunction: lambda.IFunction;
  /** `GET /workspaces` and `DELETE /workspaces/{name}`. */
  public readonly workspacesFunction: lambda.IFunction;
  /** Removes a deleted workspace's files. */
  public readonly workspaceCleanerFunction: lambda.IFunction;
  /** Makes persistent workspaces' access points on first use. */
  public readonly workspaceProvisionerFunction: lambda.IFunction;
  /**
   * Renews a run's git credential and upload policy for its worker, just before it pushes and uploads, on
   * proof of its assignment token; only the agents' task roles may invoke it.
   */
  public readonly workerCredentialsFunction: lambda.IFunction;
  /** Where asynchronous events that failed every retry are kept (starter, task ready, task stopped, outbox, sweeper, workspace cleaner and provisioner). */
  public readonly deadLetterQueues: sqs.IQueue[];
  /**
   * What every control-plane function shares (network, logs, OUTPOST_CONFIG), for the platform's other
   * handlers (the pool scaler).
   * @internal
   */
  public readonly _functionDefaults: FunctionDefaults;
  /**
   * The key that seals worker tokens (the platform key), for the platform's other launchers (the pool scaler).
   * @internal
   */
  public readonly _workerTokenKey: kms.IKey;

  constructor(scope: Construct, id: string, props: DispatchLifecycleProps) {
    super(scope, id);
    const { cluster, storage, agents } = props;
    const tables = storage.tables;
    const familyPrefix = workspaceFamilyPrefix(this);
    const config = platformConfig(this, {
      ...props,
      spotEnabled: props.spotEnabled ?? true,
      workspaceFamilyPrefix: familyPrefix,
      repositories: props.api._repositoryPolicy(),
      budget: budgetConfig('DispatchLifecycle', props),
    });
    const functionDefaults: FunctionDefaults = {
      vpc: props.network.vpc,
      subnets: props.network.taskSubnets,
      securityGroup: props.network.controlPlaneSecurityGroup,
      logEncryptionKey: props.encryptionKey,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      environment: { OUTPOST_CONFIG: config },
    };
    // Each function names its bundled handler (assets/handlers/<handler>/index.js).
    const fn = (functionId: string, handler: string, description: string, synchronousOnly: boolean, timeout?: Duration) =>
      new PlatformFunction(this, functionId, { ...functionDefaults, handler, description: `Outpost: ${description}`, synchronousOnly, timeout });

    const create = fn('DispatchCreate', 'dispatch-create', 'POST /dispatch', true, Duration.seconds(29));
    const starter = fn('DispatchStarter', 'dispatch-starter', 'starts a task for each dispatch no warm worker took, from the dispatches stream', false, Duration.minutes(2));
    const read = fn('DispatchRead', 'dispatch-read', 'GET /dispatch, /dispatch/{id}, /dispatch/{id}/logs, /artifacts/{id}', true);
    const cancel = fn('DispatchCancel', 'dispatch-cancel', 'DELETE /dispatch/{id}', true);
    // The hand-off waits up to 30 s for a starting worker to answer (STARTING_WORKER_PATIENCE in
    // runtime/core/handoff/worker-patience.ts, plus a 2 s probe), then may mint a git credential (GitHub, 3 s a
    // call) and pushes (5 s): 90 s leaves room for DynamoDB and a cold start.
    const taskReady = fn('TaskReady', 'task-ready', 'hand-off when ECS reports a task running and its worker answers', false, Duration.seconds(90));
    const taskStopped = fn('TaskStopped', 'task-stopped', 'completion when ECS reports a task stopped', false, Duration.seconds(30));
    const outbox = fn('Outbox', 'outbox', 'publishes dispatch transitions and appends them to the audit table', false);
    const sweeper = fn('Sweeper', 'sweeper', 'stops runs past their deadline and resolves stuck dispatches', false, Duration.minutes(2));
    const fleetHealth = fn('FleetHealth', 'fleet-health', 'GET /health/fleet', true);
    const workspaces = new PersistentWorkspaces(this, 'Workspaces', { ...props, functionDefaults, familyPrefix });
    // Workspaces: taken at POST /dispatch, launched on by the starter, given back when a run ends.
    workspaces.grantTake(create.role);
    workspaces.grantLaunch(starter.role);
    for (const releaser of [taskStopped, outbox]) {
      workspaces.grantRelease(releaser.role);
    }
    const workerCredentials = addWorkerCredentials(this, { ...props, functionDefaults });

    // Tables: each function gets the item actions it performs, and Query on the one index it reads.
    for (const writer of [create, cancel, sweeper]) {
      tables.grantItems(writer.role, [tables.dispatches], 'GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem');
      tables.grantItems(writer.role, [tables.pool], 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem');
    }
    // The hand-off moves its dispatch and worker on; the completion ends the dispatch and removes the worker.
    tables.grantItems(taskReady.role, [tables.dispatches, tables.pool], 'GetItem', 'UpdateItem');
    tables.grantItems(taskStopped.role, [tables.dispatches], 'GetItem', 'UpdateItem');
    tables.grantItems(taskStopped.role, [tables.pool], 'GetItem', 'DeleteItem');
    tables.grantIndexQuery(create.role, PlatformIndex.POOL_BY_AGENT_STATE);
    tables.grantItems(starter.role, [tables.dispatches], 'GetItem', 'UpdateItem');
    tables.grantItems(starter.role, [tables.pool], 'PutItem');
    tables.grantItems(read.role, [tables.dispatches], 'GetItem');
    tables.grantIndexQuery(read.role, PlatformIndex.DISPATCHES_BY_REQUESTER);
    tables.grantIndexQuery(sweeper.role, PlatformIndex.DISPATCHES_BY_AGENT_STATUS);
    tables.grantIndexQuery(fleetHealth.role, PlatformIndex.DISPATCHES_BY_AGENT_STATUS, PlatformIndex.POOL_BY_AGENT_STATE);
    grantFleetReadiness(fleetHealth.role, agents);
    tables.grantAuditAppend(outbox.function);
    // The handlers that push assignments read the git credentials' secret; nothing else does.
    for (const pusher of [create, taskReady]) {
      props.gitCredentials?._grantRead(pusher.role);
    }
    props.eventBus.grantPutEventsTo(outbox.function);

    // The model prices of the platform's overrides reach the functions that build assignments, and only those:
    // a budget is priced as the ledger will price the run (runtime/core/ledger/model-prices.ts).
    const modelOverrides = props.modelPricing?._overrides?.models;
    if (modelOverrides) {
      for (const pusher of [create, taskReady]) {
        pusher.function.addEnvironment('OUTPOST_MODEL_PRICES', Stack.of(this).toJsonString(modelOverrides));
      }
    }

    // Workers: start (the starter), stop (the starter, cancel, sweeper, task ready), and pass the agents' roles to ECS.
    grantWorkerLaunch(starter.role, cluster.cluster, agents, props.encryptionKey);
    // Worker tokens, sealed by the launchers: the hand-off opens them to present them, each worker its own at start.
    for (const pusher of [create, taskReady]) {
      grantWorkerToken(pusher.role, props.encryptionKey, cluster.cluster, 'kms:Decrypt');
    }
    for (const agent of agents.agents) {
      grantWorkerToken(agents.taskDefinition(agent.kind).taskRole, props.encryptionKey, cluster.cluster, 'kms:Decrypt');
    }
    for (const agent of agents.agents) {
      agents.taskDefinition(agent.kind).logGroup.grantRead(read.function);
    }
    for (const stopper of [starter, cancel, taskReady, sweeper]) {
      cluster.grantTaskStop(stopper.role);
    }

    // Artifacts: the handlers that hand out presigned uploads sign them; the read and the completion read results.
    for (const presigner of [create, taskReady]) {
      storage.artifacts.grantPresignedUpload(presigner.role);
    }
    for (const reader of [read, taskStopped]) {
      storage.artifacts.grantResultsRead(reader.role);
    }

    // Routes: the caller's own dispatches, and the /admin/ routes that only grantAdmin principals may invoke.
    const route = (method: apigw.HttpMethod, path: string, handler: PlatformFunction) =>
      props.api._addRoute(method, path, handler.function, `${method}${path}`.replace(/[^A-Za-z0-9]/g, ''));
    for (const prefix of ['', '/admin']) {
      route(apigw.HttpMethod.POST, `${prefix}/dispatch`, create);
      route(apigw.HttpMethod.GET, `${prefix}/dispatch`, read);
      route(apigw.HttpMethod.GET, `${prefix}/dispatch/{id}`, read);
      route(apigw.HttpMethod.GET, `${prefix}/dispatch/{id}/logs`, read);
      route(apigw.HttpMethod.GET, `${prefix}/artifacts/{id}`, read);
      route(apigw.HttpMethod.DELETE, `${prefix}/dispatch/{id}`, cancel);
      route(apigw.HttpMethod.GET, `${prefix}/workspaces`, workspaces.manage);
      route(apigw.HttpMethod.DELETE, `${prefix}/workspaces/{name}`, workspaces.manage);
    }
    route(apigw.HttpMethod.GET, '/health/fleet', fleetHealth);

    // ECS tells the platform when a worker is ready and when a task stops; each rule sends its function only
    // the states it acts on (isReady and isStopped in runtime/core/tasks/task-event.ts), retried, then dead-lettered.
    const taskStateRule = (target: PlatformFunction, states: Record<string, string[]>, description: string) =>
      new events.Rule(this, `${target.node.id}Events`, {
        description: `Outpost: ${description}`,
        eventPattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'], detail: { clusterArn: [cluster.cluster.clusterArn], ...states } },
        targets: [new targets.LambdaFunction(target.function, { deadLetterQueue: target.deadLetterQueue, retryAttempts: 8 })],
      });
    taskStateRule(taskReady, TASK_READY, 'agent tasks of the platform cluster running');
    taskStateRule(taskStopped, TASK_STOPPED, 'agent tasks of the platform cluster stopped');

    // The outbox: every change to a dispatch, read from the table's stream, in order per dispatch.
    outbox.readStream(tables.dispatches, { batchSize: 100, retryAttempts: 10 });
    // The starter: the dispatches POST /dispatch handed to it, and only those (runtime/core/dispatch/cold-start-request.ts).
    starter.readStream(tables.dispatches, {
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(0),
      parallelizationFactor: 10,
      retryAttempts: 5,
      filters: [...COLD_START_REQUESTS],
    });

    new events.Rule(this, 'Sweep', {
      description: 'Outpost: resolve dispatches past their deadline or stuck',
      schedule: events.Schedule.rate(SWEEP_INTERVAL),
      // The next sweep is a minute away: retrying this one would only overlap it.
      targets: [new targets.LambdaFunction(sweeper.function, {
        deadLetterQueue: sweeper.deadLetterQueue,
        retryAttempts: 0,
      })],
    });

    this._functionDefaults = functionDefaults;
    this._workerTokenKey = props.encryptionKey;
    this.createFunction = create.function;
    this.starterFunction = starter.function;
    this.readFunction = read.function;
    this.cancelFunction = cancel.function;
    this.taskReadyFunction = taskReady.function;
    this.taskStoppedFunction = taskStopped.function;
    this.outboxFunction = outbox.function;
    this.sweeperFunction = sweeper.function;
    this.fleetHealthFunction = fleetHealth.function;
    this.workspacesFunction = workspaces.manage.function;
    this.workspaceCleanerFunction = workspaces.cleaner.function;
    this.workspaceProvisionerFunction = workspaces.provisioner.function;
    this.workerCredentialsFunction = workerCredentials.function;
    const asynchronous = [starter, taskReady, taskStopped, outbox, sweeper, workspaces.cleaner, workspaces.provisioner];
    this.deadLetterQueues = asynchronous.map((handler) => handler.asyncDeadLetterQueue);
  }
}
