import { CfnOutput, IResolvable, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformStorage } from '../cluster/platform-storage';
import { createEncryptedLogGroup } from '../core/encryption';
import { PlatformFunction } from '../core/platform-function';
import { requireIntegerInRange } from '../core/validation';
import { SecureVpc } from '../network/secure-vpc';

/** Request limits for the whole API (per account and Region, beyond which callers get 429). */
export interface ApiThrottling {
  /** Steady-state requests per second. @default 50 */
  readonly rateLimit?: number;
  /** Requests allowed in a burst. @default 100 */
  readonly burstLimit?: number;
}

/** An OpenID Connect issuer whose tokens may call the API instead of SigV4 (Cognito, Okta, Entra ID, Google…). */
export interface JwtAuthorizerOptions {
  /** The issuer URL, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf`. */
  readonly issuer: string;
  /** Accepted `aud` (or Cognito `client_id`) values. */
  readonly audience: string[];
  /**
   * The OAuth scope a token needs for the `/admin/...` routes, which act on every caller's dispatches, logs,
   * artifacts and workspaces. API Gateway checks it on each admin route, as IAM checks `grantAdmin`; a token
   * with it may call every other route too.
   * @default 'outpost/admin'
   */
  readonly adminScope?: string;
  /**
   * The scope a token needs to dispatch, cancel and delete its own workspaces (and to read, as `grantDispatch`
   * allows). Set it when the issuer's tokens serve other applications as well.
   * @default - any valid token of the audience may dispatch
   */
  readonly dispatchScope?: string;
  /**
   * The scope a token needs to read its own dispatches, logs, artifacts, workspaces and costs, and the health
   * routes. Needs `dispatchScope` too: otherwise any token could dispatch while reading needed a scope.
   * @default - a token with `dispatchScope` (or any valid token, when that is unset too)
   */
  readonly readScope?: string;
}

/** Props for {@link ControlPlaneApi}. */
export interface ControlPlaneApiProps {
  readonly network: SecureVpc;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly logEncryptionKey: kms.IKey;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default - 50 requests per second, bursts of 100 */
  readonly throttling?: ApiThrottling;
  /** What happens to the log groups when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Authorize callers by JWT from this OIDC issuer instead of AWS IAM (SigV4). The `grant*` methods then
   * have no effect: access follows the tokens the issuer hands out, and the scopes each route requires
   * (`adminScope`, `dispatchScope`, `readScope`).
   * @default - AWS IAM on every route
   */
  readonly jwtAuthorizer?: JwtAuthorizerOptions;
  /**
   * The repositories callers may dispatch to, as `host/owner/repo` patterns where `*` stands for any
   * characters within one segment: `['github.com/acme/*', 'gitlab.example.com/platform/tools-*']`. Checked when a
   * dispatch is created (403 `RepositoryNotAllowed`, naming the repository) and again before a git credential
   * is minted for it. `grantDispatch` can narrow them per principal.
   * @default - any repository
   */
  readonly allowedRepositories?: string[];
  /**
   * Roles whose session names identify people, because their trust policy fixes the session name: a condition
   * `"StringEquals": { "sts:RoleSessionName": "${aws:username}" }`, or an identity provider that sets it. Each
   * session of these roles owns its own dispatches and workspaces. Every session of any other role is one
   * owner, since whoever may assume it picks the session name: `assumed-role/Dev/alice` is not Alice unless `Dev`
   * is listed here. IAM Identity Center's roles (`AWSReservedSSO_*`) are always per session: Identity Center sets
   * the session name to the user's name.
   * @default - none besides IAM Identity Center's
   */
  readonly personalSessionRoles?: iam.IRole[];
}

/** Options for {@link ControlPlaneApi.grantDispatch}. */
export interface DispatchGrantOptions {
  /**
   * Narrow the repositories this principal (an IAM role or user) may dispatch to, as `allowedRepositories`
   * patterns; it must match these as well as the platform's. Several narrowed grants to one principal add up.
   * @default - the platform's `allowedRepositories`
   */
  readonly repositories?: string[];
}

/** Routes a caller uses on their own dispatches and workspaces, by what they may do. */
const READ_ROUTES: Array<[apigw.HttpMethod, string]> = [
  [apigw.HttpMethod.GET, '/dispatch'],
  [apigw.HttpMethod.GET, '/dispatch/*'],
  [apigw.HttpMethod.GET, '/artifacts/*'],
  [apigw.HttpMethod.GET, '/workspaces'],
  [apigw.HttpMethod.GET, '/ledger'],
  [apigw.HttpMethod.GET, '/health'],
  [apigw.HttpMethod.GET, '/health/*'],
];
const DISPATCH_ROUTES: Array<[apigw.HttpMethod, string]> = [
  ...READ_ROUTES,
  [apigw.HttpMethod.POST, '/dispatch'],
  [apigw.HttpMethod.DELETE, '/dispatch/*'],
  [apigw.HttpMethod.DELETE, '/workspaces/*'],
];

/** The scope `/admin/...` routes require under a JWT authorizer, unless `adminScope` names another. */
export const DEFAULT_ADMIN_SCOPE = 'outpost/admin';

/** One JSON line per request: who called what, and how it went. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({
  requestId: '$context.requestId',
  time: '$context.requestTime',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  sourceIp: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  route: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
}));

/**
 * The platform's HTTP API; requests are throttled and access-logged, and the lifecycle adds its routes here.
 * Every route requires one of two kinds of authorization, never both:
 * - AWS IAM (SigV4), the default: the `grantDispatch`, `grantRead` and `grantAdmin` methods decide who may call
 *   which route.
 * - With `jwtAuthorizer`: a JWT of the configured issuer, with the scopes each kind of route requires; the
 *   `grant*` methods then have no effect.
 */
export class ControlPlaneApi extends Construct {
  public readonly api: apigw.HttpApi;
  /** The API's base URL. */
  public readonly url: string;
  public readonly accessLogGroup: logs.LogGroup;
  /** Answers `GET /health`. */
  public readonly healthFunction: lambda.IFunction;

  private readonly allowedRepositories?: string[];
  /** `OUTPOST_CALLERS`, for every function a route reaches (runtime/core/api/caller.ts). */
  private readonly callerRules: string;
  private readonly repositoryGrants: Array<{ principal: string; patterns: string[] }> = [];
  /** What each kind of route requires of a JWT, or undefined under IAM (which `grant*` decides). */
  private readonly scopes?: Readonly<Record<RouteKind, string[] | undefined>>;

  constructor(scope: Construct, id: string, props: ControlPlaneApiProps) {
    super(scope, id);
    requireIntegerInRange('ControlPlaneApi', 'throttling.rateLimit', props.throttling?.rateLimit, 1, 10_000);
    this.scopes = props.jwtAuthorizer && routeScopes(props.jwtAuthorizer);
    this.allowedRepositories = props.allowedRepositories && requireRepositoryPatterns('allowedRepositories', props.allowedRepositories);
    this.callerRules = Stack.of(this).toJsonString({ sessionRoles: (props.personalSessionRoles ?? []).map((role) => role.roleArn) });
    requireIntegerInRange('ControlPlaneApi', 'throttling.burstLimit', props.throttling?.burstLimit, 1, 5_000);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Outpost control plane',
      createDefaultStage: false,
      defaultAuthorizer: props.jwtAuthorizer
        ? new HttpJwtAuthorizer('Jwt', props.jwtAuthorizer.issuer, { jwtAudience: props.jwtAuthorizer.audience })
        : new HttpIamAuthorizer(),
    });
    this.accessLogGroup = createEncryptedLogGroup(this, 'AccessLogs', props.logEncryptionKey, logRetention, removalPolicy);
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttling?.rateLimit ?? 50, burstLimit: props.throttling?.burstLimit ?? 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(this.accessLogGroup), format: ACCESS_LOG_FORMAT },
    });
    this.url = stage.url;

    const health = new PlatformFunction(this, 'Health', {
      handler: 'health',
      description: 'Outpost: GET /health',
      vpc: props.network.vpc,
      subnets: props.network.taskSubnets,
      securityGroup: props.network.controlPlaneSecurityGroup,
      logEncryptionKey: props.logEncryptionKey,
      logRetention,
      removalPolicy,
      synchronousOnly: true,
      environment: { DISPATCHES_TABLE_NAME: props.storage.tables.dispatches.tableName },
    });
    this.healthFunction = health.function;
    health.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [props.storage.tables.dispatches.tableArn] }));

    this._addRoute(apigw.HttpMethod.GET, '/health', health.function, 'HealthIntegration');

    new CfnOutput(this, 'ApiUrl', { value: this.url, description: `Outpost control plane API (${props.jwtAuthorizer ? 'JWT bearer tokens' : 'SigV4-signed requests'})` });
  }

  /**
   * Dispatch, follow, cancel and collect one's own runs, and manage one's own workspaces; with `repositories`,
   * only to those repositories. Under AWS IAM only: with `jwtAuthorizer`, `dispatchScope` decides.
   */
  public grantDispatch(grantee: iam.IGrantable, options: DispatchGrantOptions = {}): iam.Grant {
    if (options.repositories) {
      const patterns = requireRepositoryPatterns('grantDispatch: repositories', options.repositories);
      const principal = grantee.grantPrincipal as Partial<iam.IRole & iam.IUser>;
      const arn = principal.roleArn ?? principal.userArn;
      if (!arn) {
        throw new Error('grantDispatch: repositories narrows the grant of an IAM role or user, which the API identifies its callers by; give it a Role or a User');
      }
      this.repositoryGrants.push({ principal: arn, patterns });
    }
    return this.grantRoutes(grantee, DISPATCH_ROUTES);
  }

  /**
   * Read one's own dispatches, logs, artifacts, workspaces and costs (`GET /ledger`), and the platform's health.
   * Under AWS IAM only: with `jwtAuthorizer`, `readScope` decides.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, READ_ROUTES);
  }

  /**
   * Everything, including the `/admin/...` routes that act on every caller's dispatches. Under AWS IAM only: with
   * `jwtAuthorizer`, `adminScope` decides.
   */
  public grantAdmin(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: [this.api.arnForExecuteApi('*', '/*', '$default')] });
  }

  /**
   * The repositories callers may dispatch to, for the handlers' configuration (`repositories`); resolved at
   * synthesis, so grants made after the handlers were created count.
   * @internal
   */
  public _repositoryPolicy(): IResolvable {
    return Lazy.any({
      produce: () => (this.allowedRepositories || this.repositoryGrants.length > 0
        ? { allowed: this.allowedRepositories, grants: this.repositoryGrants.length > 0 ? this.repositoryGrants : undefined }
        : undefined),
    });
  }

  /**
   * Routes `method path` to `handler`, which learns how callers become owners (`OUTPOST_CALLERS`). Under a JWT authorizer the route requires the scopes of its kind: admin
   * for `/admin/...`, dispatch for the other writes, read for the other reads.
   * @internal
   */
  public _addRoute(method: apigw.HttpMethod, path: string, handler: lambda.Function, integrationId: string): void {
    handler.addEnvironment('OUTPOST_CALLERS', this.callerRules);
    this.api.addRoutes({
      path,
      methods: [method],
      integration: new HttpLambdaIntegration(integrationId, handler),
      authorizationScopes: this.scopes?.[routeKind(method, path)],
    });
  }

  private grantRoutes(grantee: iam.IGrantable, routes: Array<[apigw.HttpMethod, string]>): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: routes.map(([method, path]) => this.api.arnForExecuteApi(method, path, '$default')),
    });
  }
}

type RouteKind = 'admin' | 'dispatch' | 'read';

function routeKind(method: apigw.HttpMethod, path: string): RouteKind {
  if (path === '/admin' || path.startsWith('/admin/')) {
    return 'admin';
  }
  return method === apigw.HttpMethod.GET ? 'read' : 'dispatch';
}

/**
 * The scopes each kind of route accepts, any one of them sufficing (API Gateway's rule for a route's
 * authorization scopes): a kind accepts its own scope and those of the kinds that include it, as
 * `grantAdmin` includes `grantDispatch`, which includes `grantRead`. A kind with no scope of its own and none
 * below it accepts any valid token.
 */
function routeScopes(options: JwtAuthorizerOptions): Record<RouteKind, string[] | undefined> {
  const admin = options.adminScope ?? DEFAULT_ADMIN_SCOPE;
  for (const [name, value] of Object.entries({ adminScope: admin, dispatchScope: options.dispatchScope, readScope: options.readScope })) {
    if (value !== undefined && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value)) {
      throw new Error(`ControlPlaneApi: jwtAuthorizer.${name} "${value}" is not an OAuth scope (RFC 6749 §3.3: printable ASCII, no spaces, quotes or backslashes)`);
    }
  }
  if (options.readScope !== undefined && options.dispatchScope === undefined) {
    throw new Error('ControlPlaneApi: jwtAuthorizer.readScope needs jwtAuthorizer.dispatchScope as well: without it any token could dispatch while reading needed a scope');
  }
  const accepting = (...scopes: Array<string | undefined>) => [...new Set(scopes.filter((scope): scope is string => scope !== undefined))];
  return {
    admin: [admin],
    dispatch: options.dispatchScope === undefined ? undefined : accepting(options.dispatchScope, admin),
    read: options.dispatchScope === undefined ? undefined : accepting(options.readScope, options.dispatchScope, admin),
  };
}

/** A repository pattern: `host/owner/repo` (two or more path segments), `*` within a segment. */
const REPOSITORY_PATTERN = /^[a-z0-9*]([a-z0-9.*-]*[a-z0-9*])?(:[0-9]{1,5})?(\/[A-Za-z0-9_.*-]+){2,}$/i;

function requireRepositoryPatterns(name: string, patterns: string[]): string[] {
  if (patterns.length === 0) {
    throw new Error(`ControlPlaneApi: ${name} is empty, which would refuse every repository; leave it unset to allow any`);
  }
  for (const pattern of patterns) {
    if (!REPOSITORY_PATTERN.test(pattern) || pattern.split('/').some((segment) => segment === '.' || segment === '..')) {
      throw new Error(`ControlPlaneApi: ${name} "${pattern}" is not a repository pattern: write host/owner/repo, e.g. "github.com/acme/*" (no scheme, no .git)`);
    }
  }
  return [...patterns];
}
