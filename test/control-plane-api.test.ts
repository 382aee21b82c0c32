import { Match } from 'aws-cdk-lib/assertions';
import { synthDeployedApi } from './support/deployed-api';
import { logicalIdOf, synthPlatform } from './support/platform-stack';

describe('control plane API', () => {
  const { template } = synthPlatform();

  test('is an HTTP API whose every route requires IAM authorization', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health' });
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

  test('exports the API URL', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).some((key) => key.includes('ApiUrl'))).toBe(true);
  });
});

describe('health function', () => {
  const { template } = synthPlatform();
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'Health');
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
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const dispatches = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Dispatches');
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.stringContaining('HealthLogs'), 'Arn'] } },
      { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: { 'Fn::GetAtt': [dispatches, 'Arn'] } },
    ]);
    const roleProps = template.findResources('AWS::IAM::Role')[role].Properties;
    expect(JSON.stringify(roleProps.ManagedPolicyArns)).not.toContain('arn:aws:iam::aws:policy');
  });
});

describe('who may call the API', () => {
  const { invocable } = synthDeployedApi();

  test('grantDispatch: dispatch, follow, cancel and collect one\'s own runs; no admin routes', () => {
    expect(invocable.grantDispatch).toEqual([
      '/$default/DELETE/dispatch/*', '/$default/DELETE/workspaces/*', '/$default/GET/artifacts/*', '/$default/GET/dispatch',
      '/$default/GET/dispatch/*', '/$default/GET/health', '/$default/GET/health/*', '/$default/GET/workspaces', '/$default/POST/dispatch',
    ]);
  });

  test('grantRead: GET routes only', () => {
    const routes = invocable.grantRead;
    expect(routes.every((route) => route.startsWith('/$default/GET/'))).toBe(true);
    expect(routes).toContain('/$default/GET/dispatch/*');
  });

  test('grantAdmin: every route, /admin included', () => {
    expect(invocable.grantAdmin).toEqual(['/$default/*/*']);
  });

  test('an OIDC issuer can replace IAM on every route', () => {
    const { template } = synthPlatform({ jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['outpost'] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['outpost'] },
    });
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
    }
  });
});
