import { UnknownConditionOperator } from '../../runtime/local/iam/policy/conditions';
import { evaluatePolicies } from '../../runtime/local/iam/policy/evaluate';
import type { Authorization, PolicyStatement } from '../../runtime/local/iam/policy/policy-document';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/dispatches';
const decide = (statements: PolicyStatement[], request: Authorization, global: Record<string, string> = {}) =>
  evaluatePolicies([{ Version: '2012-10-17', Statement: statements }], request, global);
const allow = (statement: Omit<PolicyStatement, 'Effect'>): PolicyStatement => ({ Effect: 'Allow', ...statement });

/** IAM's evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) as the gate applies it. */
describe('identity-policy evaluation', () => {
  test('nothing allowed is implicitly denied; an Allow allows; a Deny wins over it', () => {
    const request = { action: 'dynamodb:GetItem', resource: TABLE };
    expect(decide([], request)).toBe('implicitly denied');
    expect(decide([allow({ Action: 'dynamodb:GetItem', Resource: TABLE })], request)).toBe('allowed');
    expect(decide([allow({ Action: 'dynamodb:*', Resource: '*' }), { Effect: 'Deny', Action: 'dynamodb:Get*', Resource: TABLE }], request)).toBe('explicitly denied');
  });

  test('actions match without regard to case and with wildcards; resources match case and wildcards', () => {
    const statement = allow({ Action: 'DynamoDB:get*', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/dispatche?' });
    expect(decide([statement], { action: 'dynamodb:GetItem', resource: TABLE })).toBe('allowed');
    expect(decide([statement], { action: 'dynamodb:PutItem', resource: TABLE })).toBe('implicitly denied');
    expect(decide([statement], { action: 'dynamodb:GetItem', resource: TABLE.replace('dispatches', 'Dispatches') })).toBe('implicitly denied');
    expect(decide([statement], { action: 'dynamodb:GetItem', resource: `${TABLE}/index/byRequester` })).toBe('implicitly denied');
  });

  test('NotAction and NotResource apply to everything but what they name', () => {
    const notAction = allow({ NotAction: 'iam:*', Resource: '*' });
    expect(decide([notAction], { action: 'dynamodb:GetItem', resource: TABLE })).toBe('allowed');
    expect(decide([notAction], { action: 'iam:PassRole', resource: '*' })).toBe('implicitly denied');
    const notResource = { Effect: 'Deny' as const, Action: '*', NotResource: TABLE };
    expect(decide([allow({ Action: '*', Resource: '*' }), notResource], { action: 'dynamodb:GetItem', resource: TABLE })).toBe('allowed');
    expect(decide([allow({ Action: '*', Resource: '*' }), notResource], { action: 'dynamodb:GetItem', resource: `${TABLE}2` })).toBe('explicitly denied');
  });

  describe('conditions', () => {
    const holds = (Condition: PolicyStatement['Condition'], context: Authorization['context'], global: Record<string, string> = {}) =>
      decide([allow({ Action: '*', Resource: '*', Condition })], { action: 's3:ListBucket', resource: '*', context }, global) === 'allowed';

    test('every key of every operator must hold; any of a key\'s values may', () => {
      const condition = { StringEquals: { 'kms:EncryptionContext:purpose': ['a', 'b'], 'kms:EncryptionContext:cluster': 'c' } };
      expect(holds(condition, { 'kms:EncryptionContext:purpose': 'b', 'kms:EncryptionContext:cluster': 'c' })).toBe(true);
      expect(holds(condition, { 'kms:EncryptionContext:purpose': 'b', 'kms:EncryptionContext:cluster': 'd' })).toBe(false);
      expect(holds(condition, { 'kms:EncryptionContext:purpose': 'b' })).toBe(false);
    });

    test('condition key names are not case-sensitive; StringLike and ArnLike take wildcards', () => {
      expect(holds({ StringLike: { 'S3:Prefix': 'artifacts/*' } }, { 's3:prefix': 'artifacts/D1/' })).toBe(true);
      expect(holds({ StringLike: { 's3:prefix': 'artifacts/*' } }, { 's3:prefix': 'secrets/' })).toBe(false);
      expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:123456789012:rule/*' } }, { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/r' })).toBe(true);
      expect(holds({ ArnEquals: { 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/a' } }, { 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/b' })).toBe(false);
    });

    test('an absent key fails a positive test, passes a negated one, and passes any test with IfExists', () => {
      expect(holds({ StringEquals: { 'aws:ResourceTag/owner': 'me' } }, {})).toBe(false);
      expect(holds({ StringNotEquals: { 'aws:ResourceTag/owner': 'me' } }, {})).toBe(true);
      expect(holds({ StringEqualsIfExists: { 'aws:ResourceTag/owner': 'me' } }, {})).toBe(true);
      expect(holds({ StringEqualsIfExists: { 'aws:ResourceTag/owner': 'me' } }, { 'aws:ResourceTag/owner': 'you' })).toBe(false);
    });

    test('Null tests presence; Bool and Numeric compare values', () => {
      expect(holds({ Null: { 'aws:TagKeys': 'true' } }, {})).toBe(true);
      expect(holds({ Null: { 'aws:TagKeys': 'false' } }, {})).toBe(false);
      expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, {}, { 'aws:SecureTransport': 'true' })).toBe(false);
      expect(holds({ Bool: { 'aws:SecureTransport': true } }, {}, { 'aws:SecureTransport': 'true' })).toBe(true);
      expect(holds({ NumericLessThan: { 's3:max-keys': 100 } }, { 's3:max-keys': '99' })).toBe(true);
      expect(holds({ NumericLessThan: { 's3:max-keys': 100 } }, { 's3:max-keys': '1000' })).toBe(false);
    });

    test('ForAnyValue needs one request value to hold, ForAllValues every one (and holds for none)', () => {
      const tags = { 'aws:TagKeys': ['outpost:dispatch', 'team'] };
      expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } }, tags)).toBe(true);
      expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'team' } }, tags)).toBe(false);
      expect(holds({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['outpost:*', 'team'] } }, tags)).toBe(true);
      expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'team' } }, {})).toBe(true);
      expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } }, {})).toBe(false);
    });

    test('an operator the gate does not know refuses the call rather than skip the statement', () => {
      expect(() => holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {})).toThrow(UnknownConditionOperator);
      expect(() => holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {})).toThrow('the IAM gate does not know the condition operator IpAddress');
    });
  });
});
