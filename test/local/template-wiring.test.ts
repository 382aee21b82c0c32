import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ratePeriodMs, scheduledEvent } from '../../runtime/local/events/schedule';
import { deploymentOrder } from '../../runtime/local/provision/deploy';
import { Intrinsics } from '../../runtime/local/template/intrinsics';
import type { CfnTemplate } from '../../runtime/local/template/template';
import { readWiring, wiringCounts } from '../../runtime/local/template/wiring';
import { OutpostPlatform } from '../../src';

const pseudo = { region: 'us-east-1', accountId: '123456789012', stackName: 'Test' };

/** The quickstart platform's template, as `cdk synth` writes it. */
function quickstartTemplate(): CfnTemplate {
  const app = new App();
  const stack = new Stack(app, 'Test');
  new OutpostPlatform(stack, 'Outpost');
  const assembly = app.synth();
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Test.template.json'), 'utf8')) as CfnTemplate;
}

describe('the wiring Outpost Local reads from a synthesized template', () => {
  const template = quickstartTemplate();
  const count = (type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type).length;
  const rules = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Events::Rule');

  test('every route, rule, schedule, stream mapping and function of the template, none skipped', () => {
    expect(wiringCounts(readWiring(template))).toEqual({
      functions: count('AWS::Lambda::Function'),
      routes: count('AWS::ApiGatewayV2::Route'),
      rules: rules.filter((rule) => rule.Properties?.EventPattern !== undefined).length,
      schedules: rules.filter((rule) => rule.Properties?.ScheduleExpression !== undefined).length,
      streamMappings: count('AWS::Lambda::EventSourceMapping'),
    });
    expect(count('AWS::ApiGatewayV2::Route')).toBeGreaterThanOrEqual(20);
  });

  test('a stream mapping keeps its filters, batch size, retries, bisection and dead-letter queue', () => {
    const starter = readWiring(template).streamMappings.find((mapping) => mapping.function.includes('DispatchStarter'))!;
    expect(starter).toMatchObject({ batchSize: 10, maximumRetryAttempts: 5, bisectBatchOnFunctionError: true, reportBatchItemFailures: true, startingPosition: 'TRIM_HORIZON' });
    expect(starter.filters.length).toBeGreaterThan(0);
    expect(starter.onFailure).toMatch(/DeadLetters/);
  });

  test('a rule target that is not a function of the template is refused, naming it', () => {
    const broken = JSON.parse(JSON.stringify(template));
    const [ruleId] = Object.entries(broken.Resources).find(([, resource]: [string, any]) => resource.Type === 'AWS::Events::Rule')!;
    broken.Resources[ruleId].Properties.Targets[0].Arn = { 'Fn::GetAtt': ['SomethingElse', 'Arn'] };
    expect(() => readWiring(broken)).toThrow(`${ruleId}: target Target0 names SomethingElse, which is not a Lambda function of the template`);
  });

  test('resources come after everything they reference', () => {
    const order = deploymentOrder(template);
    const position = new Map(order.map((id, index) => [id, index]));
    const starter = Object.keys(template.Resources).find((id) => id.startsWith('OutpostLifecycleDispatchStarterFunction') && template.Resources[id].Type === 'AWS::Lambda::Function')!;
    const role = (template.Resources[starter].Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(position.get(role)!).toBeLessThan(position.get(starter)!);
  });
});

describe('intrinsics, resolved as a deploy would', () => {
  const template: CfnTemplate = {
    Resources: { Table: { Type: 'AWS::DynamoDB::Table' } },
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
  };
  const intrinsics = new Intrinsics(template, (id) => (id === 'Table' ? { ref: 'table-1', attributes: { Arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/table-1' } } : undefined), pseudo);

  test('Ref, GetAtt, Join, Sub, Select, Split, If and pseudo parameters', () => {
    expect(intrinsics.resolve({
      a: { 'Fn::Join': ['/', [{ Ref: 'Table' }, { Ref: 'AWS::Region' }]] },
      b: { 'Fn::Sub': '${Table.Arn}|${AWS::AccountId}|${!Literal}' },
      c: { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] },
      d: { 'Fn::If': ['IsDev', 'yes', 'no'] },
      e: { Ref: 'AWS::NoValue' },
    })).toEqual({ a: 'table-1/us-east-1', b: 'arn:aws:dynamodb:us-east-1:123456789012:table/table-1|123456789012|${Literal}', c: 'y', d: 'yes' });
  });

  test('a reference to a resource not deployed, or an attribute it lacks, throws naming both', () => {
    expect(() => intrinsics.resolve({ Ref: 'Missing' })).toThrow('Ref Missing: no such resource deployed');
    expect(() => intrinsics.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toThrow('Fn::GetAtt Table.StreamArn: the resource has no such attribute here');
  });
});

describe('schedules', () => {
  test('rate expressions, as EventBridge spells them', () => {
    expect(ratePeriodMs('rate(1 minute)')).toBe(60_000);
    expect(ratePeriodMs('rate(5 minutes)')).toBe(300_000);
    expect(() => ratePeriodMs('rate(5 minute)')).toThrow('not a valid rate');
    expect(() => ratePeriodMs('cron(0 12 * * ? *)')).toThrow('rate(...) schedules only');
  });

  test('the Scheduled Event has the EventBridge user guide example\'s fields', () => {
    const event = scheduledEvent('arn:aws:events:us-east-1:123456789012:rule/r', '123456789012', 'us-east-1', new Date('2026-01-02T03:04:05.678Z')) as Record<string, unknown>;
    expect(Object.keys(event).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
    expect(event).toMatchObject({ 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'time': '2026-01-02T03:04:05Z', 'resources': ['arn:aws:events:us-east-1:123456789012:rule/r'] });
  });
});
