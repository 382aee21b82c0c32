import { matchesRepositoryPattern, repositoryDecision, repositoryName } from '../../../runtime/core/git/repository-allow-list';

const ALICE = 'arn:aws:sts::123456789012:assumed-role/Dev/alice';
const CAROL = 'arn:aws:sts::123456789012:assumed-role/Contractor/carol';
const DAVE = 'arn:aws:iam::123456789012:user/eng/dave';

describe('repository names', () => {
  test.each([
    ['https://github.com/Acme/Service.git', 'github.com/acme/service'],
    ['https://github.com/acme/service', 'github.com/acme/service'],
    ['https://github.com/acme/service/', 'github.com/acme/service'],
    ['git@github.com:acme/service.git', 'github.com/acme/service'],
    ['https://gitlab.example.com:8443/platform/tools/cli.git', 'gitlab.example.com:8443/platform/tools/cli'],
    ['https://github.com/acme', undefined],
    ['https://github.com/acme/../other/repo', 'github.com/other/repo'],
    ['not a url', undefined],
  ])('%s → %s', (url, name) => {
    expect(repositoryName(url)).toBe(name);
  });
});

describe('repository patterns', () => {
  test.each([
    ['github.com/acme/*', 'github.com/acme/service', true],
    ['github.com/acme/*', 'github.com/acme-evil/service', false],
    ['github.com/acme/*', 'github.com/acme/group/service', false],
    ['github.com/acme/svc-*', 'github.com/acme/svc-billing', true],
    ['github.com/acme/svc-*', 'github.com/acme/billing', false],
    ['GitHub.com/ACME/Service', 'github.com/acme/service', true],
    ['github.com/acme/serv.ce', 'github.com/acme/servxce', false],
    ['gitlab.example.com/platform/*/*', 'gitlab.example.com/platform/tools/cli', true],
  ])('%s matches %s: %s', (pattern, name, matches) => {
    expect(matchesRepositoryPattern(pattern, name)).toBe(matches);
  });
});

describe('who may dispatch to which repository', () => {
  const policy = {
    allowed: ['github.com/acme/*'],
    grants: [
      { principal: 'arn:aws:iam::123456789012:role/partners/Contractor', patterns: ['github.com/acme/docs'] },
      { principal: 'arn:aws:iam::123456789012:user/eng/dave', patterns: ['github.com/acme/svc-*'] },
    ],
  };

  test('no policy: any repository', () => {
    expect(repositoryDecision(undefined, ALICE, 'https://github.com/anyone/anything.git')).toEqual({ allowed: true });
  });

  test('the platform\'s patterns apply to every caller, and the refusal names the repository', () => {
    expect(repositoryDecision(policy, ALICE, 'https://github.com/acme/service.git')).toEqual({ allowed: true });
    expect(repositoryDecision(policy, ALICE, 'https://github.com/other/service.git')).toEqual({
      allowed: false, reason: 'github.com/other/service is not among the platform\'s allowed repositories (github.com/acme/*)',
    });
  });

  test('a narrowed grant binds every session of its role, whatever the session name, and no other role', () => {
    expect(repositoryDecision(policy, CAROL, 'https://github.com/acme/docs.git')).toEqual({ allowed: true });
    expect(repositoryDecision(policy, CAROL, 'https://github.com/acme/service.git')).toEqual({
      allowed: false, reason: 'github.com/acme/service is not among the repositories your grant allows (github.com/acme/docs)',
    });
    expect(repositoryDecision(policy, 'arn:aws:sts::123456789012:assumed-role/Contractor/renamed-session', 'https://github.com/acme/service.git').allowed).toBe(false);
    expect(repositoryDecision(policy, 'arn:aws:sts::999999999999:assumed-role/Contractor/carol', 'https://github.com/acme/service.git').allowed).toBe(true);
  });

  test('an IAM user\'s narrowed grant', () => {
    expect(repositoryDecision(policy, DAVE, 'https://github.com/acme/svc-billing').allowed).toBe(true);
    expect(repositoryDecision(policy, DAVE, 'https://github.com/acme/docs').allowed).toBe(false);
    expect(repositoryDecision(policy, 'arn:aws:iam::123456789012:user/dave2', 'https://github.com/acme/docs').allowed).toBe(true);
  });

  test('a narrowed grant cannot widen the platform\'s patterns', () => {
    const widening = { allowed: ['github.com/acme/*'], grants: [{ principal: 'arn:aws:iam::123456789012:role/Contractor', patterns: ['github.com/*/*'] }] };
    expect(repositoryDecision(widening, CAROL, 'https://github.com/other/service').allowed).toBe(false);
  });
});
