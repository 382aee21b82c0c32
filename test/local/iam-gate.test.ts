import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { LambdaInvoker, LambdaInvokeError } from '../../runtime/adapters/lambda-invoke';
import { SignedPost } from '../../runtime/adapters/signed-post';
import type { Credentials, IamGate, InvokeCallback, PolicyDocument } from '../../runtime/local/iam';
import type { MotoServer } from '../support/moto-server';
import { ACCOUNT, REGION, startGateOnMoto, type GateOnMoto } from './support/gate-on-moto';

const TABLE = 'dispatches';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;
const OTHER_TABLE = 'pools';
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/platform`;
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/agent-task`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/dispatch-create`;

/** The test role's policies: what each test below calls allowed or denied, and why. */
const POLICIES: PolicyDocument[] = [{
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN },
    { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE_ARN}/index/byStatus` },
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${OTHER_TABLE}` },
    { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${OTHER_TABLE}` },
    { Effect: 'Allow', Action: 'ecs:RunTask', Resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/agent:*`, Condition: { ArnEquals: { 'ecs:cluster': CLUSTER_ARN } } },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: TASK_ROLE, Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
    { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:worker-credentials` },
  ],
}];

describe('IAM gate (moto behind it, real SDK clients in front)', () => {
  let local: GateOnMoto;
  let moto: MotoServer;
  let gate: IamGate;
  let admin: GateOnMoto['admin'];
  let credentials: Credentials;
  const invocations: Array<{ functionName: string; payload: string; type: string }> = [];
  /** What the invoke callback answers next; an Error it throws. */
  let invokeAnswer: Awaited<ReturnType<InvokeCallback>> | Error = { payload: '{"ok":true}' };
  const dynamodb = (as: Credentials = credentials) => new DynamoDBClient({ endpoint: gate.endpoint, region: REGION, credentials: as });
  const ecs = () => new ECSClient({ endpoint: gate.endpoint, region: REGION, credentials });

  beforeAll(async () => {
    local = await startGateOnMoto(async (functionName, payload, type) => {
      invocations.push({ functionName, payload: payload.toString('utf8'), type });
      if (invokeAnswer instanceof Error) {
        throw invokeAnswer;
      }
      return invokeAnswer;
    });
    ({ moto, gate, admin } = local);
    credentials = gate.issueCredentials({ arn: ROLE, policies: POLICIES });
  });
  afterAll(() => local.stop());
  beforeEach(async () => {
    await moto.reset();
    const tables = new DynamoDBClient(admin);
    for (const name of [TABLE, OTHER_TABLE]) {
      await tables.send(new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }));
    }
  });

  test('an allowed call reaches moto and answers as moto does', async () => {
    await dynamodb().send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'D1' }, status: { S: 'queued' } } }));
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'D1' } } }));
    expect(Item).toEqual({ id: { S: 'D1' }, status: { S: 'queued' } });
    const { Items } = await dynamodb().send(new QueryCommand({
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'queued' } },
    }));
    expect(Items).toHaveLength(1);
  });

  test('a call outside the policy is AccessDeniedException naming the caller, the action and the resource', async () => {
    const query = dynamodb().send(new QueryCommand({
      TableName: TABLE, KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'D1' } },
    }));
    await expect(query).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/dispatch-create/dispatch-create is not authorized to perform: dynamodb:Query `
        + `on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:Query action`,
    });
    expect(gate.denials.at(-1)).toMatchObject({ action: 'dynamodb:Query', resource: TABLE_ARN });
  });

  test('a Deny statement wins over an Allow of the same action and resource', async () => {
    await expect(dynamodb().send(new PutItemCommand({ TableName: OTHER_TABLE, Item: { id: { S: 'P1' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException', message: expect.stringContaining('with an explicit deny in an identity-based policy'),
    });
  });

  test('a transaction needs each item\'s action on each item\'s table: one item outside the policy refuses it whole', async () => {
    const write = (tables: string[]) => dynamodb().send(new TransactWriteItemsCommand({
      TransactItems: tables.map((TableName, i) => ({ Put: { TableName, Item: { id: { S: `T${i}` } } } })),
    }));
    await write([TABLE, TABLE]);
    await expect(write([TABLE, OTHER_TABLE])).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining(`table/${OTHER_TABLE}`) });
    const { Item } = await new DynamoDBClient(admin).send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'T0' } } }));
    expect(Item).toEqual({ id: { S: 'T0' } });
  });

  describe('RunTask', () => {
    beforeEach(async () => {
      const direct = new ECSClient(admin);
      await direct.send(new CreateClusterCommand({ clusterName: 'platform' }));
      await direct.send(new CreateClusterCommand({ clusterName: 'elsewhere' }));
      await direct.send(new RegisterTaskDefinitionCommand({
        family: 'agent', taskRoleArn: TASK_ROLE, containerDefinitions: [{ name: 'worker', image: 'worker:1', memory: 512 }],
      }));
      await direct.send(new RegisterTaskDefinitionCommand({
        family: 'agent-admin', taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, containerDefinitions: [{ name: 'worker', image: 'worker:1', memory: 512 }],
      }));
    });
    // moto runs a task only with a launch type it can place without container instances.
    const FARGATE = { launchType: 'FARGATE' as const, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } };
    const run = (cluster: string, taskDefinition: string) => ecs().send(new RunTaskCommand({ cluster, taskDefinition, count: 1, ...FARGATE }));

    test('the ecs:cluster condition decides: the platform cluster yes, another cluster no', async () => {
      const { tasks } = await run('platform', 'agent:1');
      expect(tasks?.[0].taskArn).toMatch(/:task\/platform\//);
      await expect(run('elsewhere', 'agent:1')).rejects.toMatchObject({
        name: 'AccessDeniedException', message: expect.stringContaining(`ecs:RunTask on resource: arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/agent:1`),
      });
    });

    test('passing the task definition\'s role needs iam:PassRole to ecs-tasks.amazonaws.com on that role', async () => {
      // RunTask allowed on every definition, so that only PassRole decides.
      const wide = gate.issueCredentials({
        arn: ROLE, policies: [...POLICIES, { Statement: [{ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }] }],
      });
      const send = (definition: string) => new ECSClient({ endpoint: gate.endpoint, region: REGION, credentials: wide })
        .send(new RunTaskCommand({ cluster: 'platform', taskDefinition: definition, count: 1, ...FARGATE }));
      await expect(send('agent-admin:1')).rejects.toMatchObject({
        name: 'AccessDeniedException', message: expect.stringContaining(`iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/admin`),
      });
      await expect(send('agent:1')).resolves.toMatchObject({ tasks: [expect.objectContaining({ taskDefinitionArn: expect.stringContaining('agent:1') })] });
      const otherService = gate.issueCredentials({
        arn: ROLE,
        policies: [{
          Statement: [
            { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' },
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: TASK_ROLE, Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
          ],
        }],
      });
      await expect(new ECSClient({ endpoint: gate.endpoint, region: REGION, credentials: otherService })
        .send(new RunTaskCommand({ cluster: 'platform', taskDefinition: 'agent:1', ...FARGATE }))).rejects.toMatchObject({
        message: expect.stringContaining(`iam:PassRole on resource: ${TASK_ROLE}`),
      });
    });
  });

  test('a query-protocol service answers its own XML denial: SNS AuthorizationError (AuthorizationErrorException in the SDK)', async () => {
    const { TopicArn } = await new SNSClient(admin).send(new CreateTopicCommand({ Name: 'alarms' }));
    await expect(new SNSClient({ endpoint: gate.endpoint, region: REGION, credentials }).send(new PublishCommand({ TopicArn, Message: 'x' })))
      .rejects.toMatchObject({ name: 'AuthorizationErrorException', message: expect.stringContaining(`sns:Publish on resource: ${TopicArn}`) });
  });

  describe('signatures', () => {
    test('an access key the gate never issued is UnrecognizedClientException', async () => {
      const stranger = { accessKeyId: 'ASIAUNKNOWNKEY000000', secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
      await expect(dynamodb(stranger).send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'D1' } } })))
        .rejects.toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    });

    test('a signature made with another secret is InvalidSignatureException', async () => {
      const forged = { ...credentials, secretAccessKey: 'not-the-secret' };
      await expect(dynamodb(forged).send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'D1' } } })))
        .rejects.toMatchObject({ name: 'InvalidSignatureException' });
    });

    test('a body changed after signing no longer matches its signature', async () => {
      const signer = new SignedPost('dynamodb', { region: REGION, endpoint: gate.endpoint, credentials: async () => credentials }, 'test');
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' };
      const good = await signer.post('', headers, JSON.stringify({ TableName: TABLE, Key: { id: { S: 'D1' } } }));
      expect(good.status).toBe(200);
      // Signed for the dispatches table, sent for the pools table: same length, so only the signature can tell.
      const tampering = new SignedPost('dynamodb', { region: REGION, endpoint: gate.endpoint, credentials: async () => credentials }, 'test');
      const original = fetch;
      global.fetch = ((url: URL, init: RequestInit) => original(url, { ...init, body: String(init.body).replace(TABLE, 'dispatchez') })) as typeof fetch;
      try {
        const tampered = await tampering.post('', headers, JSON.stringify({ TableName: TABLE, Key: { id: { S: 'D1' } } }));
        expect(tampered.status).toBe(400);
        expect(await tampered.json()).toMatchObject({ __type: 'InvalidSignatureException' });
      } finally {
        global.fetch = original;
      }
    });

    test('a request dated more than 15 minutes ago is refused', async () => {
      const stale = new DynamoDBClient({ endpoint: gate.endpoint, region: REGION, credentials, systemClockOffset: -20 * 60 * 1000, maxAttempts: 1 });
      await expect(stale.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'D1' } } })))
        .rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringContaining('Signature not yet current or expired') });
    });

    test('an unsigned request is refused', async () => {
      const response = await fetch(gate.endpoint, {
        method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    });
  });

  describe('Lambda Invoke', () => {
    const invoker = (as: Credentials = credentials) => new LambdaInvoker({ region: REGION, endpoint: gate.endpoint, credentials: async () => as });

    test('is answered by the invoke callback with the function\'s payload, never by moto', async () => {
      invocations.length = 0;
      invokeAnswer = { payload: '{"credentials":"fresh"}' };
      await expect(invoker().invoke(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:worker-credentials`, { runId: 'r1' })).resolves.toEqual({ credentials: 'fresh' });
      expect(invocations).toEqual([{ functionName: 'worker-credentials', payload: '{"runId":"r1"}', type: 'RequestResponse' }]);
    });

    test('a handler error comes back as X-Amz-Function-Error: Unhandled', async () => {
      invokeAnswer = { payload: '{"errorType":"Error","errorMessage":"boom"}', functionError: 'Unhandled' };
      await expect(invoker().invoke('worker-credentials', {})).rejects.toMatchObject({ type: 'FunctionError(Unhandled)', message: expect.stringContaining('boom') });
    });

    test('a callback that cannot run the function is Lambda\'s ServiceException', async () => {
      invokeAnswer = new Error('no function named worker-credentials');
      await expect(invoker().invoke('worker-credentials', {})).rejects.toMatchObject({
        type: 'ServiceException', message: expect.stringContaining('no function named worker-credentials'),
      });
      invokeAnswer = { payload: '{}' };
    });

    test('a function outside the policy is AccessDeniedException, and the callback is not called', async () => {
      invocations.length = 0;
      const denied = invoker().invoke('dispatch-create', {});
      await expect(denied).rejects.toBeInstanceOf(LambdaInvokeError);
      await expect(denied).rejects.toMatchObject({
        type: 'AccessDeniedException', message: expect.stringContaining(`lambda:InvokeFunction on resource: arn:aws:lambda:${REGION}:${ACCOUNT}:function:dispatch-create`),
      });
      expect(invocations).toEqual([]);
    });

    test('an Event invocation is accepted with 202 and runs after the answer', async () => {
      invocations.length = 0;
      const signer = new SignedPost('lambda', { region: REGION, endpoint: gate.endpoint, credentials: async () => credentials }, 'test');
      const response = await signer.post('/2015-03-31/functions/worker-credentials/invocations', { 'x-amz-invocation-type': 'Event' }, '{"a":1}');
      expect(response.status).toBe(202);
      expect(invocations).toEqual([{ functionName: 'worker-credentials', payload: '{"a":1}', type: 'Event' }]);
    });
  });

  test('STS GetCallerIdentity names the assumed role, whatever the policies', async () => {
    const nobody = gate.issueCredentials({ arn: `arn:aws:iam::${ACCOUNT}:role/service-role/nobody`, sessionName: 'fn', policies: [] });
    const response = await new SignedPost('sts', { region: REGION, endpoint: gate.endpoint, credentials: async () => nobody }, 'test')
      .post('', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Arn>arn:aws:sts::${ACCOUNT}:assumed-role/nobody/fn</Arn>`);
  });

  test('an operation the gate does not know is denied, saying so', async () => {
    await expect(dynamodb().send(new CreateTableCommand({
      TableName: 'new', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('the IAM gate does not know the operation dynamodb:CreateTable') });
  });
});
