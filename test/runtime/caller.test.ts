import { callerOf } from '../../runtime/core/api/caller';

function event(path: string, authorizer: unknown): any {
  return { rawPath: path, requestContext: { authorizer } };
}

describe('callerOf', () => {
  test('an IAM caller is their principal ARN', () => {
    expect(callerOf(event('/dispatch', { iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice' } })))
      .toEqual({ id: 'arn:aws:sts::123456789012:assumed-role/Dev/alice', admin: false });
  });

  test('a JWT caller is issuer and subject, so two issuers\' subjects never collide', () => {
    expect(callerOf(event('/dispatch', { jwt: { claims: { iss: 'https://a.example.com', sub: '42' }, scopes: [] } })))
      .toEqual({ id: 'jwt:https://a.example.com#42', admin: false });
  });

  test('admin only on /admin/ routes, whatever the caller claims', () => {
    const iam = { iam: { userArn: 'arn:aws:iam::123456789012:user/ops' } };
    expect(callerOf(event('/admin/dispatch', iam))?.admin).toBe(true);
    expect(callerOf(event('/dispatch', { ...iam, admin: true }))?.admin).toBe(false);
    expect(callerOf(event('/administrator', iam))?.admin).toBe(false);
  });

  test('no identity, no caller', () => {
    expect(callerOf(event('/dispatch', undefined))).toBeUndefined();
    expect(callerOf(event('/dispatch', { jwt: { claims: { sub: '' } } }))).toBeUndefined();
  });
});
