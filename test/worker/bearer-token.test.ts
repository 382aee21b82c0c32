import { hasBearerToken } from '../../runtime/worker/bearer-token';

describe('hasBearerToken', () => {
  const token = 'c2VjcmV0LXRva2Vu-0123456789';

  test('accepts the token, whatever the case of the scheme', () => {
    expect(hasBearerToken(`Bearer ${token}`, token)).toBe(true);
    expect(hasBearerToken(`bearer ${token}`, token)).toBe(true);
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['another token of the same length', `Bearer ${token.slice(0, -1)}X`],
    ['a prefix of the token', `Bearer ${token.slice(0, 8)}`],
    ['the token and more', `Bearer ${token}0`],
    ['another scheme', `Basic ${token}`],
    ['the bare token', token],
    ['two tokens', `Bearer ${token} ${token}`],
  ])('refuses %s', (_, header) => {
    expect(hasBearerToken(header, token)).toBe(false);
  });
});
