import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { apiUrlOutput } from '../runtime/cli/endpoint';
import { Agent, AgentImage, OutpostPlatform } from '../src';
import { logicalIdOf, statementsOfFunction, synthPlatform } from './support/platform-stack';

describe('control plane API', () => {
  const { template } = synthPlatform();

  test('is an HTTP API whose every route, the dispatch routes among them, requires IAM authorization; no other way to a handler', () => {
    const [apiId, ...otherApis] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'));
    expect(otherApis).toEqual([]);
    // A quick-create target would add a $default route of its own.
    expect(template.findResources('AWS::ApiGatewayV2::Api')[apiId].Properties).not.toHaveProperty('Target');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining([
      'GET /health', 'POST /dispatch', 'GET /dispatch', 'GET /dispatch/{id}', 'GET /dispatch/{id}/logs', 'GET /artifacts/{id}', 'DELETE /dispatch/{id}',
      'POST /admin/dispatch', 'GET /admin/dispatch', 'GET /admin/dispatch/{id}', 'GET /admin/dispatch/{id}/logs', 'GET /admin/artifacts/{id}', 'DELETE /admin/dispatch/{id}',
    ]));
    for (const route of routes) {
      expect(route).toMatchObject({ ApiId: { Ref: apiId }, AuthorizationType: 'AWS_IAM' });
    }
    // No function URL, no REST API, and no other API may invoke the handlers.
    expect(template.findResources('AWS::Lambda::Url')).toEqual({});
    expect(template.findResources('AWS::ApiGateway::RestApi')).toEqual({});
    const invokers = Object.values(template.findResources('AWS::Lambda::Permission')).map((permission) => permission.Properties)
      .filter((permission) => permission.Principal === 'apigateway.amazonaws.com');
    expect(invokers.length).toBeGreaterThanOrEqual(routes.length);
    for (const permission of invokers) {
      expect(JSON.stringify(permission.SourceArn)).toContain(JSON.stringify({ Ref: apiId }));
    }
  });

  test('logs every request as JSON and throttles by default', () => {
    const accessLogs = logicalIdOf(template, 'AWS::Logs::LogGroup', 'AccessLogs');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] }, Format: Match.stringLikeRegexp('"userArn":"\\$context.identity.userArn"') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  test('throttling is configurable and validated', () => {
    synthPlatform({ apiThrottling: { rateLimit: 5, burstLimit: 10 } }).template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    expect(() => synthPlatform({ apiThrottling: { rateLimit: 0 } })).toThrow(/`throttling.rateLimit` must be a whole number from 1 to 10000, got 0/);
  });

  test('exports the API URL as the one output `outpost --stack` reads', () => {
    const outputs = template.findOutputs('*');
    const found = apiUrlOutput('Stack', Object.entries(outputs).map(([key, output]) => ({ OutputKey: key, OutputValue: JSON.stringify(output.Value) })));
    expect(JSON.parse(found)).toEqual(expect.objectContaining({ 'Fn::Join': expect.anything() }));
    expect(found).toContain(JSON.stringify({ Ref: Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0] }));
  });
});

describe('health function', () => {
  const { template } = synthPlatform();
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'ControlPlaneHealth');
  const controlSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'ControlPlaneSecurityGroup');

  test('runs the bundled handler on Node.js 24, arm64, in the VPC', () => {
    const { Properties: props } = template.findResources('AWS::Lambda::Function')[fn];
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON' },
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [controlSg, 'GroupId'] }] },
      Environment: { Variables: { DISPATCHES_TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Dispatches') }, OUTPOST_VERSION: expect.any(String) } },
    });
    expect(props.VpcConfig.SubnetIds).toHaveLength(2);
  });

  test('may describe the dispatches table and write its own logs, nothing more', () => {
    const role = template.findResources('AWS::Lambda::Function')[fn].Properties.Role['Fn::GetAtt'][0];
    const statements = statementsOfFunction(template, 'ControlPlaneHealth');
    const dispatches = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Dispatches');
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.stringContaining('HealthLogs'), 'Arn'] } },
      { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: { 'Fn::GetAtt': [dispatches, 'Arn'] } },
      // Its own policy for its network interfaces in the VPC (PlatformFunction).
      { Ref: expect.stringContaining('ControlPlaneHealthNetworkInterfaces') },
    ]);
    const roleProps = template.findResources('AWS::IAM::Role')[role].Properties;
    expect(JSON.stringify(roleProps.ManagedPolicyArns)).not.toContain('arn:aws:iam::aws:policy');
  });
});

describe('who may call the API', () => {
  function grantedRoutes(grant: 'grantDispatch' | 'grantRead' | 'grantAdmin'): string[] {
    const stack = new Stack(new App(), 'Test');
    const platform = new OutpostPlatform(stack, 'Outpost', { agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })] });
    const role = new iam.Role(stack, 'Engineer', { assumedBy: new iam.AccountRootPrincipal() });
    platform.controlPlane[grant](role);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find((p) => p.Properties.Roles[0].Ref.startsWith('Engineer'))!;
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    // Each resource is `arn:…:execute-api:<region>:<account>:<api>/$default/<METHOD><path>`: keep what follows the stage.
    return [statement.Resource].flat().map((arn: any) => arn['Fn::Join'][1].slice(-1)[0] as string).sort();
  }

  test('grantDispatch: dispatch, follow, cancel and collect one\'s own runs; no admin routes', () => {
    expect(grantedRoutes('grantDispatch')).toEqual([
      '/$default/DELETE/dispatch/*', '/$default/DELETE/workspaces/*', '/$default/GET/artifacts/*', '/$default/GET/dispatch',
      '/$default/GET/dispatch/*', '/$default/GET/health', '/$default/GET/health/*', '/$default/GET/ledger', '/$default/GET/workspaces',
      '/$default/POST/dispatch',
    ]);
  });

  test('grantRead: GET routes only', () => {
    const routes = grantedRoutes('grantRead');
    expect(routes.every((route) => route.startsWith('/$default/GET/'))).toBe(true);
    expect(routes).toContain('/$default/GET/dispatch/*');
    expect(routes).toContain('/$default/GET/ledger');
  });

  test('grantAdmin: every route, /admin included', () => {
    expect(grantedRoutes('grantAdmin')).toEqual(['/$default/*/*']);
  });

  test('an OIDC issuer can replace IAM on every route', () => {
    const { template } = synthPlatform({ jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['outpost'] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['outpost'] },
    });
    const authorizer = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', 'Jwt');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey)).toEqual(expect.arrayContaining(['POST /dispatch', 'DELETE /dispatch/{id}', 'GET /admin/dispatch']));
    for (const route of routes) {
      expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer } });
    }
    // Issue 15, finding 2: without scopes every valid token was an admin. By default, /admin needs the admin scope.
    // The API URL's output says how to call it: bearer tokens, not SigV4.
    expect(Object.values(template.findOutputs('*')).map((output) => output.Description).filter((text) => text?.startsWith('Outpost control plane API')))
      .toEqual(['Outpost control plane API (JWT bearer tokens)']);
    const scopesOf = (key: string) => routes.find((route) => route.Properties.RouteKey === key)!.Properties.AuthorizationScopes;
    expect(scopesOf('GET /admin/dispatch')).toEqual(['outpost/admin']);
    expect(scopesOf('POST /dispatch')).toBeUndefined();
    expect(scopesOf('GET /dispatch/{id}')).toBeUndefined();
  });

  describe('JWT scopes', () => {
    const { template } = synthPlatform({
      jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['outpost'], adminScope: 'ops/admin', dispatchScope: 'outpost/dispatch', readScope: 'outpost/read' },
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties);

    test('every /admin route requires the admin scope, and only it', () => {
      const admin = routes.filter((route) => route.RouteKey.split(' ')[1].startsWith('/admin/'));
      expect(admin.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(['GET /admin/dispatch', 'DELETE /admin/dispatch/{id}', 'GET /admin/ledger', 'DELETE /admin/workspaces/{name}']));
      for (const route of admin) {
        expect({ route: route.RouteKey, scopes: route.AuthorizationScopes }).toEqual({ route: route.RouteKey, scopes: ['ops/admin'] });
      }
    });

    test('writes take the dispatch or admin scope; reads also the read scope, as grantDispatch includes grantRead', () => {
      const others = routes.filter((route) => !route.RouteKey.split(' ')[1].startsWith('/admin/'));
      expect(others.length).toBeGreaterThan(8);
      for (const route of others) {
        const expected = route.RouteKey.startsWith('GET ') ? ['outpost/read', 'outpost/dispatch', 'ops/admin'] : ['outpost/dispatch', 'ops/admin'];
        expect({ route: route.RouteKey, scopes: route.AuthorizationScopes }).toEqual({ route: route.RouteKey, scopes: expected });
      }
    });
  });

  test.each([
    [{ readScope: 'outpost/read' }, /readScope needs jwtAuthorizer.dispatchScope/],
    [{ adminScope: 'outpost admin' }, /jwtAuthorizer.adminScope "outpost admin" is not an OAuth scope/],
  ])('refuses scopes that would not protect the API: %j', (scopes, message) => {
    expect(() => synthPlatform({ jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['outpost'], ...scopes } })).toThrow(message);
  });
});

describe('repository allow-list', () => {
  /** OUTPOST_CONFIG.repositories of the platform's functions, with each token written `<logical id>`. */
  function repositoriesConfig(template: Template): unknown {
    const create = Object.values(template.findResources('AWS::Lambda::Function')).find((fn) => fn.Properties.Environment?.Variables?.OUTPOST_CONFIG)!;
    const parts: unknown[] = create.Properties.Environment.Variables.OUTPOST_CONFIG['Fn::Join'][1];
    return JSON.parse(parts.map((part: any) => (typeof part === 'string' ? part : `<${part.Ref ?? part['Fn::GetAtt'][0]}>`)).join('')).repositories;
  }

  test('the platform\'s patterns, and each narrowed grant by its principal\'s ARN, reach the handlers\' configuration', () => {
    const stack = new Stack(new App(), 'Test');
    const platform = new OutpostPlatform(stack, 'Outpost', {
      agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })],
      allowedRepositories: ['github.com/acme/*'],
    });
    // Made after the handlers exist: the configuration is resolved at synthesis.
    const contractor = new iam.Role(stack, 'Contractor', { assumedBy: new iam.AccountRootPrincipal() });
    platform.controlPlane.grantDispatch(contractor, { repositories: ['github.com/acme/docs'] });
    platform.controlPlane.grantDispatch(new iam.Role(stack, 'Engineer', { assumedBy: new iam.AccountRootPrincipal() }));
    const template = Template.fromStack(stack);
    expect(repositoriesConfig(template)).toEqual({
      allowed: ['github.com/acme/*'],
      grants: [{ principal: `<${logicalIdOf(template, 'AWS::IAM::Role', 'Contractor')}>`, patterns: ['github.com/acme/docs'] }],
    });
  });

  test('without any, the configuration has none: every repository may be dispatched to', () => {
    const stack = new Stack(new App(), 'Test');
    new OutpostPlatform(stack, 'Outpost', { agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })] });
    expect(repositoriesConfig(Template.fromStack(stack))).toBeUndefined();
  });

  test.each([
    [['https://github.com/acme/*'], /"https:\/\/github.com\/acme\/\*" is not a repository pattern: write host\/owner\/repo/],
    [['github.com/acme'], /"github.com\/acme" is not a repository pattern/],
    [['github.com/acme/repo.git '], /is not a repository pattern/],
    [[], /allowedRepositories is empty, which would refuse every repository/],
  ])('refuses %j at synthesis', (patterns, message) => {
    const stack = new Stack(new App(), 'Test');
    expect(() => new OutpostPlatform(stack, 'Outpost', { allowedRepositories: patterns })).toThrow(message);
  });

  test('a narrowed grant needs a role or a user: the API knows its callers by them', () => {
    const stack = new Stack(new App(), 'Test');
    const platform = new OutpostPlatform(stack, 'Outpost', { agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })] });
    expect(() => platform.controlPlane.grantDispatch(new iam.AccountRootPrincipal(), { repositories: ['github.com/acme/*'] })).toThrow(/give it a Role or a User/);
  });
});

describe('callers and their sessions', () => {
  test('every function a route reaches learns which roles\' session names identify people, and only those', () => {
    const stack = new Stack(new App(), 'Test');
    const people = new iam.Role(stack, 'People', { assumedBy: new iam.AccountRootPrincipal() });
    new OutpostPlatform(stack, 'Outpost', { agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })], personalSessionRoles: [people] });
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function');
    const routed = new Set(Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).map((integration) => integration.Properties.IntegrationUri['Fn::GetAtt'][0]));
    expect(routed.size).toBeGreaterThanOrEqual(6);
    for (const id of Object.keys(functions)) {
      const rules = functions[id].Properties.Environment?.Variables?.OUTPOST_CALLERS;
      if (routed.has(id)) {
        expect({ id, rules }).toEqual({ id, rules: { 'Fn::Join': ['', ['{"sessionRoles":["', { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', 'People'), 'Arn'] }, '"]}']] } });
      } else {
        expect({ id, rules }).toEqual({ id, rules: undefined });
      }
    }
  });
});
