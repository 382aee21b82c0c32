import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import type { IamGate } from '../../runtime/local/iam';
import { synthPlatform } from '../support/platform-stack';
import { ACCOUNT, REGION, startGateOnMoto, type GateOnMoto } from './support/gate-on-moto';
import { TemplateRoles } from './support/template-roles';

/** The gate fed the synthesized platform's real roles: the grants the constructs make, enforced. */
describe('IAM gate with the roles of the synthesized platform', () => {
  let local: GateOnMoto;
  let gate: IamGate;
  let admin: GateOnMoto['admin'];
  const roles = new TemplateRoles(synthPlatform().template.toJSON() as { Resources: Record<string, any> }, REGION, ACCOUNT);
  const tableName = (hint: string) => roles.nameOf(roles.logicalId('AWS::DynamoDB::GlobalTable', hint));

  beforeAll(async () => {
    local = await startGateOnMoto();
    ({ gate, admin } = local);
  });
  afterAll(() => local.stop());

  test('the dispatch-create function may put into the dispatches table, not into the audit table', async () => {
    const direct = new DynamoDBClient(admin);
    for (const hint of ['TablesDispatches', 'TablesAudit']) {
      await direct.send(new CreateTableCommand({
        TableName: tableName(hint),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }));
    }
    const credentials = gate.issueCredentials(roles.principalOfFunction('DispatchCreateFunction'));
    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: gate.endpoint, credentials });
    await dynamodb.send(new PutItemCommand({ TableName: tableName('TablesDispatches'), Item: { pk: { S: 'D1' } } }));
    await expect(dynamodb.send(new PutItemCommand({ TableName: tableName('TablesAudit'), Item: { pk: { S: 'A1' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${roles.logicalId('AWS::IAM::Role', 'DispatchCreateRole')}/${roles.logicalId('AWS::Lambda::Function', 'DispatchCreateFunction')} `
        + `is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName('TablesAudit')} `
        + 'because no identity-based policy allows the dynamodb:PutItem action',
    });
  });

  test('the dispatch-create function may query the pool table through its byAgentState index only', async () => {
    await new DynamoDBClient(admin).send(new CreateTableCommand({
      TableName: tableName('TablesPool'),
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'agentState', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byAgentState', KeySchema: [{ AttributeName: 'agentState', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: gate.endpoint, credentials: gate.issueCredentials(roles.principalOfFunction('DispatchCreateFunction')) });
    const query = (IndexName: string | undefined, attribute: string) => dynamodb.send(new QueryCommand({
      TableName: tableName('TablesPool'), IndexName, KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': attribute }, ExpressionAttributeValues: { ':v': { S: 'claude#idle' } },
    }));
    await expect(query('byAgentState', 'agentState')).resolves.toMatchObject({ Items: [] });
    await expect(query(undefined, 'pk')).rejects.toMatchObject({
      name: 'AccessDeniedException', message: expect.stringContaining(`dynamodb:Query on resource: arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName('TablesPool')} because`),
    });
  });

  test('the starter may RunTask the claude task definition, with its tags and roles, in the platform cluster only', async () => {
    const clusterId = roles.logicalId('AWS::ECS::Cluster', 'Cluster');
    const definitionId = roles.logicalId('AWS::ECS::TaskDefinition', 'claude');
    const definition = roles.nameOf(definitionId);
    const direct = new ECSClient(admin);
    await direct.send(new CreateClusterCommand({ clusterName: roles.nameOf(clusterId) }));
    await direct.send(new CreateClusterCommand({ clusterName: 'elsewhere' }));
    // The definition as the template registers it: the gate learns its roles from moto, for iam:PassRole.
    const { TaskRoleArn, ExecutionRoleArn } = roles.propertiesOf(definitionId);
    await direct.send(new RegisterTaskDefinitionCommand({
      family: definition,
      taskRoleArn: TaskRoleArn,
      executionRoleArn: ExecutionRoleArn,
      containerDefinitions: [{ name: 'worker', image: 'worker:1', memory: 512 }],
    }));
    const runTask = (principalHint: string, cluster: string) => new ECSClient({
      region: REGION, endpoint: gate.endpoint, credentials: gate.issueCredentials(roles.principalOfFunction(principalHint)),
    }).send(new RunTaskCommand({
      cluster,
      taskDefinition: roles.arnOf(definitionId),
      count: 1,
      // As runtime/adapters/worker-launcher.ts tags a task (moto places it only with a launch type).
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      propagateTags: 'TASK_DEFINITION',
      tags: [{ key: 'outpost:dispatch', value: 'D1' }],
    }));
    const { tasks } = await runTask('DispatchStarterFunction', roles.arnOf(clusterId));
    expect(tasks).toHaveLength(1);
    await expect(runTask('DispatchStarterFunction', `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/elsewhere`)).rejects.toMatchObject({
      name: 'AccessDeniedException', message: expect.stringContaining(`ecs:RunTask on resource: ${roles.arnOf(definitionId)}`),
    });
    await expect(runTask('DispatchReadFunction', roles.arnOf(clusterId))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
