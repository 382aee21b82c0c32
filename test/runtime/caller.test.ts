import { callerOf, callerRulesOf } from '../../runtime/core/api/caller';

function event(path: string, authorizer: unknown): any {
  return { rawPath: path, requestContext: { authorizer } };
}

const NONE = callerRulesOf(undefined);
const iam = (userArn: string) => ({ iam: { userArn } });

describe('callerOf', () => {
  test('an IAM user is their ARN', () => {
    expect(callerOf(event('/dispatch', iam('arn:aws:iam::123456789012:user/eng/dave')), NONE))
      .toEqual({ id: 'arn:aws:iam::123456789012:user/eng/dave', admin: false });
  });

  test('the sessions of a role whose session names anyone assuming it may pick are one owner: a session name cannot impersonate', () => {
    const alice = callerOf(event('/dispatch', iam('arn:aws:sts::123456789012:assumed-role/Dev/alice')), NONE);
    const mallory = callerOf(event('/dispatch', iam('arn:aws:sts::123456789012:assumed-role/Dev/alice')), NONE);
    expect(alice).toEqual({ id: 'arn:aws:sts::123456789012:assumed-role/Dev', admin: false });
    expect(mallory?.id).toBe(alice?.id);
    expect(callerOf(event('/dispatch', iam('arn:aws:sts::123456789012:assumed-role/Ops/alice')), NONE)?.id).toBe('arn:aws:sts::123456789012:assumed-role/Ops');
  });

  test('a role listed as fixing its session names (by its ARN, path and all) owns per session', () => {
    const rules = callerRulesOf(JSON.stringify({ sessionRoles: ['arn:aws:iam::123456789012:role/people/Dev'] }));
    expect(callerOf(event('/dispatch', iam('arn:aws:sts::123456789012:assumed-role/Dev/alice')), rules)?.id).toBe('arn:aws:sts::123456789012:assumed-role/Dev/alice');
    expect(callerOf(event('/dispatch', iam('arn:aws:sts::123456789012:assumed-role/Dev/bob')), rules)?.id).toBe('arn:aws:sts::123456789012:assumed-role/Dev/bob');
    // The same role name in another account is another role.
    expect(callerOf(event('/dispatch', iam('arn:aws:sts::999999999999:assumed-role/Dev/alice')), rules)?.id).toBe('arn:aws:sts::999999999999:assumed-role/Dev');
  });

  test('IAM Identity Center\'s roles own per session: Identity Center sets the session name to the user\'s', () => {
    const sso = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com';
    expect(callerOf(event('/dispatch', iam(sso)), NONE)?.id).toBe(sso);
  });

  test('a JWT caller is issuer and subject, so two issuers\' subjects never collide', () => {
    expect(callerOf(event('/dispatch', { jwt: { claims: { iss: 'https://a.example.com', sub: '42' }, scopes: [] } }), NONE))
      .toEqual({ id: 'jwt:https://a.example.com#42', admin: false });
  });

  test('admin only on /admin/ routes, whatever the caller claims', () => {
    const ops = iam('arn:aws:iam::123456789012:user/ops');
    expect(callerOf(event('/admin/dispatch', ops), NONE)?.admin).toBe(true);
    expect(callerOf(event('/dispatch', { ...ops, admin: true }), NONE)?.admin).toBe(false);
    expect(callerOf(event('/administrator', ops), NONE)?.admin).toBe(false);
  });

  test('no identity, no caller', () => {
    expect(callerOf(event('/dispatch', undefined), NONE)).toBeUndefined();
    expect(callerOf(event('/dispatch', { jwt: { claims: { sub: '' } } }), NONE)).toBeUndefined();
  });

  test('malformed rules are a deployment bug, said as such', () => {
    expect(() => callerRulesOf('{"sessionRoles":"arn"}')).toThrow('OUTPOST_CALLERS must be {"sessionRoles": [role ARN, ...]}');
  });
});
